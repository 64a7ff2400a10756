// Adds a logged run to the savings: closes the intervals of the instances it saw running, adds their hours to the
// days they span, and opens intervals for the instances it stopped. Every step is a conditional write, so a record
// cut short and started again counts each hour once: an interval is first marked closed by the run, then its hours
// are added to each day once per run (the day keeps the ids it added), and only then is it removed. A record of the
// same run started again adds what both marked under the same ids; a later run's record that meets an interval marked
// closed by another run finishes that run's closes first.
// The monthly roll-ups (one item per month and rule, beside the days) get the same hours in the same record, under the
// same run's ids and with a set of their own: each item, day or month, adds a run's chunk once. A record that stops
// between a day's write and its month's (or the other way) has not yet removed its intervals, which stay marked
// closed: whoever finishes it (the same run started again, the next record that meets one of its instances, or the
// reconcile's replay of a run never noted recorded) adds the same closes again, split the same way under the same
// ids, and each item adds only the chunks it lacks. The intervals are removed only once every day and month has them.
import type { LogEntry } from '#shared/schemas/log'
import { accountRun, hoursByDay, instanceKey, intervalId } from './intervals'
import type { ClosedInterval } from './intervals'
import { cellKey, isRollupCell, rollupCellName, rollupDayName } from './repository'
import type { SavingsRepository, StoredInterval } from './repository'

// DynamoDB takes an update expression of up to 4 KB: a day's update of one run adds this many cells at most.
const CELLS_PER_UPDATE = 100

type Repo = Pick<SavingsRepository, 'intervals' | 'closedBy' | 'open' | 'markClosed' | 'remove' | 'addToDay' | 'addToMonth' | 'markRollupsSince'>

const add = (cells: Map<string, number>, key: string, hours: number) => cells.set(key, (cells.get(key) ?? 0) + hours)
// Sorted, so a record started again splits the cells into the same updates, with the same ids.
const chunks = (cells: Map<string, number>) => {
  const sorted = [...cells].sort(([a], [b]) => (a < b ? -1 : 1))
  return Array.from({ length: Math.ceil(sorted.length / CELLS_PER_UPDATE) }, (_, i) => new Map(sorted.slice(i * CELLS_PER_UPDATE, (i + 1) * CELLS_PER_UPDATE)))
}

/** What `closes` add: to each day of a rule its account x region x type cells; to each month of a rule its roll-up's. */
function hoursOf(closes: ClosedInterval[]): { days: Map<string, { day: string, rule: string, cells: Map<string, number> }>, months: Map<string, { month: string, rule: string, cells: Map<string, number> }> } {
  const days = new Map<string, { day: string, rule: string, cells: Map<string, number> }>()
  const months = new Map<string, { month: string, rule: string, cells: Map<string, number> }>()
  for (const { interval, until } of closes) {
    for (const { day, hours: h } of hoursByDay(Date.parse(interval.since), Date.parse(until))) {
      const hours = h * (interval.units ?? 1)
      const dayKey = `${day}#${interval.rule}`
      const entry = days.get(dayKey) ?? { day, rule: interval.rule, cells: new Map<string, number>() }
      add(entry.cells, cellKey(interval), hours)
      days.set(dayKey, entry)
      const month = day.slice(0, 7)
      const monthKey = `${month}#${interval.rule}`
      const rollup = months.get(monthKey) ?? { month, rule: interval.rule, cells: new Map<string, number>() }
      add(rollup.cells, rollupCellName(interval), hours)
      add(rollup.cells, rollupDayName(day, interval), hours)
      months.set(monthKey, rollup)
    }
  }
  return { days, months }
}

/** Adds the hours of `closes` (all of one run's) to their days and their months' roll-ups, then removes the intervals. */
export async function addUp(repo: Repo, closedBy: string, closes: ClosedInterval[]): Promise<void> {
  if (closes.length === 0) return
  const { days, months } = hoursOf(closes)
  await repo.markRollupsSince()
  for (const { day, rule, cells } of days.values()) {
    for (const [i, chunk] of chunks(cells).entries()) await repo.addToDay(day, rule, chunk, `${closedBy}#${i}`)
  }
  for (const { month, rule, cells } of months.values()) {
    for (const [i, chunk] of chunks(cells).entries()) {
      // Each hour is in one account cell (c:) and one day cell (d:): the chunk stands for the hours of its c: cells.
      const hours = [...chunk].reduce((sum, [name, h]) => sum + (isRollupCell(name) ? h : 0), 0)
      await repo.addToMonth(month, rule, chunk, hours, `${closedBy}#${i}`)
    }
  }
  for (const { interval } of closes) await repo.remove({ ...interval, closedBy } as StoredInterval)
}

/** Finishes the closes of a run whose record was cut short: all its intervals marked closed, not yet removed. */
async function finishRun(repo: Repo, closedBy: string): Promise<void> {
  const marked = await repo.closedBy(closedBy)
  await addUp(repo, closedBy, marked.map(i => ({ interval: i, until: i.closedAt!, closedBy })))
}

/** Records what a logged run did to the savings (see the file's comment). */
export async function recordRun(repo: Repo, entry: Pick<LogEntry, 'eventId' | 'ruleName' | 'accountId' | 'startedAt' | 'finishedAt' | 'targets'>): Promise<{ closed: number, opened: number }> {
  const targets = entry.targets.filter(t => t.accountId ?? entry.accountId)
  if (targets.length === 0) return { closed: 0, opened: 0 }
  const stored = await repo.intervals(targets.map(t => instanceKey({ accountId: (t.accountId ?? entry.accountId), region: t.region, instanceId: intervalId(t) })))
  // Another run's record cut short: finish it first (its closes may reach instances beyond this run's).
  const others = new Set([...stored.values()].flatMap(i => (i.closedBy && i.closedBy !== entry.eventId ? [i.closedBy] : [])))
  for (const run of others) await finishRun(repo, run)
  // An earlier attempt of this very record: what it marked is added with what this one marks, under the same ids.
  // All of a run's closes are among its own targets, read consistently above: no index is needed for them.
  const own = [...stored.values()].filter(i => i.closedBy === entry.eventId).map(i => ({ interval: i, until: i.closedAt!, closedBy: entry.eventId }))
  const open = new Map([...stored].filter(([, i]) => !i.closedBy))

  const { closed, opened } = accountRun(entry, open)
  const marked: ClosedInterval[] = []
  for (const c of closed) if (await repo.markClosed(c)) marked.push(c)
  await addUp(repo, entry.eventId, [...own, ...marked])
  let count = 0
  for (const interval of opened) if (await repo.open(interval)) count++
  return { closed: marked.length, opened: count }
}
