// What a rule reaches, in a few words for its row: its one account's id, "3 accounts", or "2 OUs + 1 account".
import type { AccountTargets } from '#shared/account-targets'

export function useReachText() {
  const { t } = useI18n()
  return (rule: Pick<AccountTargets, 'accountIds'> & Partial<AccountTargets>): string => {
    const accounts = rule.accountIds.length
    const units = rule.organizationalUnits?.length ?? 0
    if (!units) return accounts === 1 ? rule.accountIds[0]! : t('rule.reach', { n: accounts }, accounts)
    const unitText = t('rule.reachUnits', { n: units }, units)
    return accounts ? `${unitText} + ${t('rule.reach', { n: accounts }, accounts)}` : unitText
  }
}
