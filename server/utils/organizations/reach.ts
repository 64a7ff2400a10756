// What each rule of a list reaches, from its units' last resolutions in the store (unit-store.ts): the accounts of its
// units and its explicit ones, less the excluded, and when the oldest of those units was read. One BatchGet for the
// page, and none when no rule on it names a unit (the rules list is a Lambda cold start's first route: issue 12).
import type { AccountTargets } from '#shared/account-targets'
import type { RuleReach } from '#shared/schemas/rule'
import type { UnitStore } from './unit-store'

/** `rules` with `reach` added to each one whose units have all been resolved at least once. */
export async function withReach<T extends AccountTargets>(store: Pick<UnitStore, 'read'>, rules: T[]): Promise<(T & { reach?: RuleReach })[]> {
  const units = [...new Set(rules.flatMap(r => r.organizationalUnits))]
  if (!units.length) return rules
  const found = await store.read(units)
  return rules.map((rule) => {
    const resolved = rule.organizationalUnits.map(u => found.get(u))
    if (!rule.organizationalUnits.length || resolved.some(u => !u)) return rule
    const excluded = new Set(rule.excludeAccountIds)
    const reached = new Set([...rule.accountIds, ...resolved.flatMap(u => u!.accountIds)].filter(id => !excluded.has(id)))
    const at = Math.min(...resolved.map(u => u!.at))
    return { ...rule, reach: { accounts: reached.size, resolvedAt: new Date(at).toISOString() } }
  })
}
