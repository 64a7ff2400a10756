// A whole month's roll-ups, read as one item when nothing was added to them since its summary was made: a year of a
// large fleet is thousands of roll-ups (one per rule and month), and the savings page reads them on every visit,
// though a past month's change only when a late interval closes into it.
// Freshness: each add to a month's roll-ups is followed by a count (repository.addToMonth: ADD n), made also when the
// add was done already, so a record cut short between the two counts it when it is finished. A summary keeps the
// count read before the roll-ups it sums (both read consistently); it is used only while the count is still that. An
// add that the summary missed ended after its roll-ups were read, and its count then moved past the summary's. Until
// a record cut short between its add and its count is finished (its redelivery, the next record meeting its
// instances, or the reconcile's replay), the summary may lack that one add, as the run's days may.
import type { MonthRollup, RollupPart, SavingsRepository, SummaryData } from './repository'
import { fromSummaryText, SUMMARY_MAX_CELLS, summaryOf } from './repository'

type Repo = Pick<SavingsRepository, 'rollups' | 'monthStates' | 'putMonthSummary'>

const cellsIn = (data: SummaryData) => data.cells.length + data.days.length

/** How many cells a summary of `rollups` holds: each rule's account x region x type cells, and the days across rules. */
export const summaryCells = (rollups: MonthRollup[]): number => cellsIn(summaryOf(rollups))

/**
 * The roll-ups of `months`: from their summaries where current; else read whole and summarized; a month too large for
 * a summary is read for the `part` asked for.
 */
export async function monthRollups(repo: Repo, months: string[], part: RollupPart): Promise<MonthRollup[]> {
  const states = await repo.monthStates(months)
  const out: MonthRollup[] = []
  const stale: string[] = []
  const unsummarized: string[] = []
  for (const month of months) {
    const { version, summary } = states.get(month)!
    if (summary?.version !== version) stale.push(month)
    else if (summary.text === null) unsummarized.push(month)
    else out.push(...fromSummaryText(month, summary.text))
  }
  if (unsummarized.length) out.push(...await repo.rollups(unsummarized, part))
  if (stale.length === 0) return out
  // Read whole (both parts, every add that ended before): the summary serves every grouping.
  const read = await repo.rollups(stale, 'both', true)
  await Promise.all(stale.map((month) => {
    const version = states.get(month)!.version
    const rollups = read.filter(r => r.month === month)
    // A month nothing was ever added to (a range before the first run, or far ahead) is left without an item.
    if (version === 0 && rollups.length === 0) return undefined
    const data = summaryOf(rollups)
    return repo.putMonthSummary(month, version, cellsIn(data) > SUMMARY_MAX_CELLS ? null : JSON.stringify(data))
  }))
  // Both parts of the months just read: the report takes the one its grouping reads.
  return [...out, ...read]
}
