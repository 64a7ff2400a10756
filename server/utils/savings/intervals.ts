// When an instance is off because of us, from the run logs: an interval opens at a rule's successful stop (or
// hibernate) and closes the next time we see the instance running (a rule's successful start, or any later run that
// finds it running). Databases and Auto Scaling groups count too: a database's interval opens at its confirmed stop (the
// run's end when the run saw it `stopped`; a follow-up check's time when that check confirmed it, follow-up.ts), and a
// group's hours count once per instance of the desired capacity its stop saved. Pure: the repository keeps the open
// intervals, record.ts applies what this answers.
import type { LogEntry, LogTarget } from '#shared/schemas/log'

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
  /** How many instances it stands for: an Auto Scaling group's saved desired capacity; 1 when absent. */
  units?: number
}

/** An interval that ended: off from `interval.since` until `until`, ended by the run `closedBy`. */
export interface ClosedInterval {
  interval: OffInterval
  until: string
  closedBy: string
}

/** The key of an instance, unique across accounts and regions. */
export const instanceKey = (i: Pick<OffInterval, 'accountId' | 'region' | 'instanceId'>) => `${i.accountId}#${i.region}#${i.instanceId}`

/** A target's id among the intervals: an EC2 instance's own, another type's with its type (ids are unique only within one). */
export const intervalId = (t: Pick<LogTarget, 'instanceId' | 'resourceType'>) => (!t.resourceType || t.resourceType === 'ec2' ? t.instanceId : `${t.resourceType}:${t.instanceId}`)

/** Whether the run found the resource running (it costs again): by its state before, in its own type's terms. */
function foundRunning(t: LogTarget): boolean {
  const state = t.stateBefore
  if (state === undefined) return false
  if (t.resourceType === 'rds' || t.resourceType === 'aurora') return state !== 'stopped' && state !== 'stopping'
  if (t.resourceType === 'asg') return (parseCapacity(state)?.desired ?? 0) > 0
  return state === 'running' || state === 'pending'
}

// `min=1,desired=2,max=3` (a group's state in the log) or `1,2,3` (its saved capacity).
export function parseCapacity(text: string): { desired: number } | null {
  const m = /^(?:min=)?(\d+),(?:desired=)?(\d+),(?:max=)?(\d+)$/.exec(text.trim())
  return m ? { desired: Number(m[2]) } : null
}

/** How many instances a stopped target stands for: a group's saved desired capacity, else one. */
function unitsOf(t: LogTarget): number {
  if (t.resourceType !== 'asg') return 1
  return parseCapacity(t.savedCapacity ?? '')?.desired ?? 0
}

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
    // A run over several accounts gives each target its own; one of a single account, the entry's.
    const ids = { accountId: t.accountId ?? entry.accountId, region: t.region, instanceId: intervalId(t) }
    const current = open.get(instanceKey(ids))
    const stopped = t.outcome === 'stopped' || t.outcome === 'hibernated'
    // A database's start still on its way costs from then on, as a started one does.
    const seenRunning = t.outcome === 'started' || t.outcome === 'starting' || foundRunning(t)
    if (current && seenRunning && Date.parse(entry.startedAt) > Date.parse(current.since)) {
      closed.push({ interval: current, until: entry.startedAt, closedBy: entry.eventId })
    }
    const units = unitsOf(t)
    if (stopped && units > 0 && (!current || seenRunning)) {
      opened.push({ ...ids, rule: entry.ruleName, ...(t.instanceType ? { instanceType: t.instanceType } : {}), since: entry.finishedAt, eventId: entry.eventId, ...(units !== 1 ? { units } : {}) })
    }
  }
  return { closed, opened }
}

/**
 * What a follow-up check adds (follow-up.ts): its databases confirmed stopped, as a run of their own at the check's
 * time (`<eventId>#follow-up`, the same for every delivery of the check, so a second one adds nothing). Only opens:
 * what the run saw running it closed itself, and a database off because of another rule keeps that rule's interval.
 */
export function followUpRecord(entry: Pick<LogEntry, 'eventId' | 'ruleName' | 'accountId' | 'targets' | 'followUp'>): Pick<LogEntry, 'eventId' | 'ruleName' | 'accountId' | 'startedAt' | 'finishedAt' | 'targets'> | null {
  const at = entry.followUp?.checkedAt
  const confirmed = entry.targets.filter(t => (t.resourceType === 'rds' || t.resourceType === 'aurora') && t.outcome === 'stopped' && t.reason?.includes('confirmed by the follow-up check'))
  if (!at || confirmed.length === 0) return null
  return { eventId: `${entry.eventId}#follow-up`, ruleName: entry.ruleName, accountId: entry.accountId, startedAt: at, finishedAt: at, targets: confirmed.map(t => ({ ...t, stateBefore: 'stopping' })) }
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
