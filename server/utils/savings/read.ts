// What GET /api/savings answers: the daily aggregates of the range (one Query per month) and the intervals still
// open, counted up to `now`, grouped and priced.
import type { SavingsAnswer, SavingsQuery } from '#shared/schemas/savings'
import { utcDay } from './intervals'
import type { PriceSource } from './prices'
import { cellsOf, savingsReport } from './report'
import type { SavingsRepository } from './repository'

export async function readSavings(savings: { repository: Pick<SavingsRepository, 'days' | 'openIntervals'>, prices: () => Promise<PriceSource> }, query: SavingsQuery, now: Date): Promise<SavingsAnswer> {
  const range = { fromMs: query.fromMs, toMs: query.toMs }
  const [days, open, prices] = await Promise.all([
    savings.repository.days(utcDay(range.fromMs), utcDay(Math.max(range.fromMs, range.toMs - 1))),
    savings.repository.openIntervals(),
    savings.prices(),
  ])
  return savingsReport(cellsOf(days, open, range, now.getTime()), range, query.groupBy, prices)
}
