// The savings repository's writes and reads in memory, item for item as it keeps them in DynamoDB (the same keys,
// attributes and conditions), for the unit tests of the record and the read, and for the savings bench's seed: the
// real record (record.ts) runs over it, and its items are then written to the store in batches. The bench checks a
// sample of them against what the DynamoDB repository itself writes for the same runs.
import { instanceKey } from '../../server/utils/savings/intervals'
import type { ClosedInterval, OffInterval } from '../../server/utils/savings/intervals'
import { dayItemKey, monthCountKey, monthsBetween, monthSummaryKey, OPEN, rollupItemKey, ROLLUPS_SINCE, toDayAggregate, toRollup } from '../../server/utils/savings/repository'
import type { DayAggregate, MonthRollup, RollupPart, SavingsRepository, StoredInterval } from '../../server/utils/savings/repository'

type Item = Record<string, unknown>
type Memory = Pick<SavingsRepository, 'intervals' | 'closedBy' | 'open' | 'markClosed' | 'remove' | 'addToDay' | 'addToMonth' | 'markRollupsSince' | 'rollupsSince' | 'days' | 'rollups' | 'monthStates' | 'putMonthSummary' | 'openIntervals'>

/** Thrown by a write that `failAt` picked: a record cut short there. */
export class InjectedFailure extends Error {}

export function memorySavings(options: { clock?: () => Date, failAt?: (write: string) => boolean } = {}): Memory & { items: () => Item[] } {
  const items = new Map<string, Item>()
  const at = (key: { pk: string, sk: string }) => `${key.pk}\u0000${key.sk}`
  const write = (what: string) => {
    if (options.failAt?.(what)) throw new InjectedFailure(`injected failure at ${what}`)
  }
  const interval = (item: Item): StoredInterval => {
    const { pk: _pk, sk: _sk, ...rest } = item
    return rest as unknown as StoredInterval
  }

  function addOnce(key: { pk: string, sk: string }, set: Record<string, string>, cells: Map<string, number>, hours: number, applyId: string): boolean {
    const item = items.get(at(key)) ?? { ...key }
    const applied = (item.applied as Set<string> | undefined) ?? new Set<string>()
    if (applied.has(applyId)) return false
    Object.assign(item, set)
    item.applied = new Set([...applied, applyId])
    item.hours = Number(item.hours ?? 0) + hours
    for (const [name, h] of cells) item[name] = Number(item[name] ?? 0) + h
    items.set(at(key), item)
    return true
  }

  return {
    items: () => [...items.values()],
    async intervals(keys: string[]) {
      return new Map(keys.flatMap(k => (items.has(at({ pk: OPEN, sk: k })) ? [[k, interval(items.get(at({ pk: OPEN, sk: k }))!)] as const] : [])))
    },
    async openIntervals() {
      return [...items.values()].filter(i => i.pk === OPEN && !i.closedBy).map(interval)
    },
    async closedBy(closedBy: string) {
      return [...items.values()].filter(i => i.pk === OPEN && i.closedBy === closedBy).map(interval)
    },
    async open(i: OffInterval) {
      write('open')
      const key = { pk: OPEN, sk: instanceKey(i) }
      if (items.has(at(key))) return false
      items.set(at(key), { ...key, ...i })
      return true
    },
    async markClosed({ interval: i, until, closedBy }: ClosedInterval) {
      write('markClosed')
      const item = items.get(at({ pk: OPEN, sk: instanceKey(i) }))
      if (!item || item.since !== i.since || item.closedBy) return false
      Object.assign(item, { closedAt: until, closedBy })
      return true
    },
    async remove(i: StoredInterval) {
      write('remove')
      const key = at({ pk: OPEN, sk: instanceKey(i) })
      if (items.get(key)?.closedBy === i.closedBy) items.delete(key)
    },
    async addToDay(day: string, rule: string, cells: Map<string, number>, applyId: string) {
      write('addToDay')
      return addOnce(dayItemKey(day, rule), { day, rule }, new Map([...cells].map(([c, h]) => [`c:${c}`, h])), [...cells.values()].reduce((a, b) => a + b, 0), applyId)
    },
    async addToMonth(month: string, rule: string, cells: Map<string, number>, hours: number, applyId: string) {
      write('addToMonth')
      const added = addOnce(rollupItemKey(month, rule), { month, rule }, cells, hours, applyId)
      write('countMonth')
      const count = items.get(at(monthCountKey(month))) ?? { ...monthCountKey(month), n: 0 }
      items.set(at(monthCountKey(month)), { ...count, n: Number(count.n) + 1 })
      return added
    },
    async monthStates(months: string[]) {
      return new Map(months.map((m) => {
        const summary = items.get(at(monthSummaryKey(m)))
        return [m, { version: Number(items.get(at(monthCountKey(m)))?.n ?? 0), summary: summary ? { version: Number(summary.version), text: typeof summary.text === 'string' ? summary.text : null } : null }]
      }))
    },
    async putMonthSummary(month: string, version: number, text: string | null) {
      const key = monthSummaryKey(month)
      const kept = items.get(at(key))
      if (!kept || Number(kept.version) <= version) items.set(at(key), { ...key, version, ...(text === null ? { tooLarge: true } : { text }) })
    },
    async markRollupsSince() {
      write('markRollupsSince')
      if (!items.has(at(ROLLUPS_SINCE))) items.set(at(ROLLUPS_SINCE), { ...ROLLUPS_SINCE, at: (options.clock?.() ?? new Date()).toISOString() })
    },
    async rollupsSince() {
      const item = items.get(at(ROLLUPS_SINCE))
      return item ? Date.parse(String(item.at)) : null
    },
    async days(fromDay: string, toDay: string): Promise<DayAggregate[]> {
      const months = new Set(monthsBetween(fromDay, toDay).map(m => `m#${m}`))
      return [...items.values()].filter(i => months.has(String(i.pk)) && String(i.day) >= fromDay && String(i.day) <= toDay).map(toDayAggregate)
    },
    async rollups(months: string[], part?: RollupPart, _consistent?: boolean): Promise<MonthRollup[]> {
      const pks = new Set(months.map(m => rollupItemKey(m, '').pk))
      return [...items.values()].filter(i => pks.has(String(i.pk))).map(i => toRollup(i, part))
    },
  }
}
