// What GET /api/savings answers: the range's whole months from their roll-ups (one Query per month, an item per
// rule; or, when nothing was added to them since, their month's summary: month-summary.ts), the days at either end
// that make no whole month from the daily aggregates (one Query per month), and the intervals still open, counted up
// to `now`, grouped and priced. A month before the roll-ups began (data written before they existed) is read from its
// days: its roll-ups hold only what was added since.
import type { SavingsAnswer, SavingsQuery } from '#shared/schemas/savings'
import { utcDay } from './intervals'
import { monthRollups } from './month-summary'
import type { PriceSource } from './prices'
import { cellsOf, rollupCellsOf, savingsReport } from './report'
import type { SavingsRepository } from './repository'
import { monthsBetween } from './repository'

const DAY_MS = 86_400_000

/** The last day (YYYY-MM-DD) of a month (YYYY-MM). */
const lastDayOf = (month: string) => utcDay(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1) - DAY_MS)

/**
 * How to read the UTC days first..last: the whole months rolled up since `rollupsSince` (a month whose first day
 * begins at or after it), and the spans of days before and after them (none, one or two).
 */
export function planRange(first: string, last: string, rollupsSince: number | null): { months: string[], days: [string, string][] } {
  const months = rollupsSince === null
    ? []
    : monthsBetween(first, last).filter(m => `${m}-01` >= first && lastDayOf(m) <= last && Date.parse(`${m}-01T00:00:00Z`) >= rollupsSince)
  if (months.length === 0) return { months, days: [[first, last]] }
  const days: [string, string][] = []
  const start = `${months[0]}-01`
  const end = lastDayOf(months.at(-1)!)
  if (first < start) days.push([first, utcDay(Date.parse(`${start}T00:00:00Z`) - DAY_MS)])
  if (end < last) days.push([utcDay(Date.parse(`${end}T00:00:00Z`) + DAY_MS), last])
  return { months, days }
}

export async function readSavings(savings: { repository: Pick<SavingsRepository, 'days' | 'rollups' | 'monthStates' | 'putMonthSummary' | 'rollupsSince' | 'openIntervals'>, prices: () => Promise<PriceSource> }, query: SavingsQuery, now: Date): Promise<SavingsAnswer> {
  const { repository } = savings
  const range = { fromMs: query.fromMs, toMs: query.toMs }
  const [open, prices] = [repository.openIntervals(), savings.prices()]
  const plan = planRange(utcDay(range.fromMs), utcDay(Math.max(range.fromMs, range.toMs - 1)), await repository.rollupsSince())
  const [days, rollups] = await Promise.all([
    Promise.all(plan.days.map(([from, to]) => repository.days(from, to))).then(spans => spans.flat()),
    plan.months.length ? monthRollups(repository, plan.months, query.groupBy === 'day' ? 'days' : 'cells') : [],
  ])
  return savingsReport([...cellsOf(days, await open, range, now.getTime()), ...rollupCellsOf(rollups, query.groupBy)], range, query.groupBy, await prices)
}
