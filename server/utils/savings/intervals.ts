// When an instance is off because of us, from the run logs: an interval opens at a rule's successful stop (or
// hibernate) and closes the next time we see the instance running (a rule's successful start, or any later run that
// finds it running). Pure: the repository keeps the open intervals, record.ts applies what this answers.
import type { LogEntry } from '#shared/schemas/log'

const HOUR_MS = 3_600_000
const DAY_MS = 86_400_000

/** An instance off because of `rule`, since its stop at `since` (UTC ISO 8601). */
export interface OffInterval {
  accountId: string
  region: string
  instanceId: string
  rule: string
  /** The instance type, when the log knew it: what prices it. */
  instanceType?: string
  since: string
  /** The run that stopped it. */
  eventId: string
}

/** An interval that ended: off from `interval.since` until `until`, ended by the run `closedBy`. */
export interface ClosedInterval {
  interval: OffInterval
  until: string
  closedBy: string
}

/** The key of an instance, unique across accounts and regions. */
export const instanceKey = (i: Pick<OffInterval, 'accountId' | 'region' | 'instanceId'>) => `${i.accountId}#${i.region}#${i.instanceId}`

/**
 * What a logged run changes: the intervals it closes (instances seen running: started by it, or found running) and
 * those it opens (instances it stopped or hibernated). `open` holds the intervals still open for its instances.
 * - A stop of an instance another rule holds off keeps that rule's interval: overlapping rules count once.
 * - An instance found running while off closes its interval at the run's start: when it began to run we cannot
 *   know, only that it was running by then. A stop of an instance found running closes its old interval and opens
 *   a new one, as it ran in between.
 * - A failed start leaves the interval open: the instance is still off.
 */
export function accountRun(entry: Pick<LogEntry, 'eventId' | 'ruleName' | 'accountId' | 'startedAt' | 'finishedAt' | 'targets'>, open: ReadonlyMap<string, OffInterval>): { closed: ClosedInterval[], opened: OffInterval[] } {
  const closed: ClosedInterval[] = []
  const opened: OffInterval[] = []
  for (const t of entry.targets) {
    const ids = { accountId: entry.accountId, region: t.region, instanceId: t.instanceId }
    const current = open.get(instanceKey(ids))
    const stopped = t.outcome === 'stopped' || t.outcome === 'hibernated'
    const seenRunning = t.outcome === 'started' || t.stateBefore === 'running' || t.stateBefore === 'pending'
    if (current && seenRunning && Date.parse(entry.startedAt) > Date.parse(current.since)) {
      closed.push({ interval: current, until: entry.startedAt, closedBy: entry.eventId })
    }
    if (stopped && (!current || seenRunning)) {
      opened.push({ ...ids, rule: entry.ruleName, ...(t.instanceType ? { instanceType: t.instanceType } : {}), since: entry.finishedAt, eventId: entry.eventId })
    }
  }
  return { closed, opened }
}

/** The UTC day (YYYY-MM-DD) of an instant in epoch milliseconds. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * The hours of [sinceMs, untilMs), split by UTC day. Elapsed time, not wall-clock time: a night across a daylight-saving
 * change counts the hours that really passed.
 */
export function hoursByDay(sinceMs: number, untilMs: number): { day: string, hours: number }[] {
  const parts: { day: string, hours: number }[] = []
  for (let start = sinceMs; start < untilMs;) {
    const end = Math.min(untilMs, (Math.floor(start / DAY_MS) + 1) * DAY_MS)
    parts.push({ day: utcDay(start), hours: (end - start) / HOUR_MS })
    start = end
  }
  return parts
}
