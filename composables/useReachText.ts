// What a rule reaches, in a few words for its row: its one account's id, "3 accounts", "3 OUs, 214 accounts (resolved
// 2 min ago)" once its units have been resolved (at a run or a preview), or "2 OUs + 1 account" before.
import type { AccountTargets } from '#shared/account-targets'
import type { RuleReach } from '#shared/schemas/rule'

/** How long ago `at` was, in the largest unit that says it: under a minute is `now`. */
export function agoOf(at: string, now: number): { unit: 'now' | 'minutes' | 'hours' | 'days', n: number } {
  const minutes = Math.floor((now - Date.parse(at)) / 60_000)
  if (minutes < 1) return { unit: 'now', n: 0 }
  if (minutes < 60) return { unit: 'minutes', n: minutes }
  const hours = Math.floor(minutes / 60)
  return hours < 48 ? { unit: 'hours', n: hours } : { unit: 'days', n: Math.floor(hours / 24) }
}

export function useReachText() {
  const { t } = useI18n()
  return (rule: Pick<AccountTargets, 'accountIds'> & Partial<AccountTargets> & { reach?: RuleReach }, now = Date.now()): string => {
    const accounts = rule.accountIds.length
    const units = rule.organizationalUnits?.length ?? 0
    if (!units) return accounts === 1 ? rule.accountIds[0]! : t('rule.reach', { n: accounts }, accounts)
    const unitText = t('rule.reachUnits', { n: units }, units)
    if (rule.reach) {
      const ago = agoOf(rule.reach.resolvedAt, now)
      const reached = t('rule.reach', { n: rule.reach.accounts }, rule.reach.accounts)
      return t('rule.reachResolved', { units: unitText, accounts: reached, ago: t(`rule.ago.${ago.unit}`, { n: ago.n }, ago.n) })
    }
    return accounts ? `${unitText} + ${t('rule.reach', { n: accounts }, accounts)}` : unitText
  }
}
