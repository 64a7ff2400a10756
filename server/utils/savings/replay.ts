// Nothing lost when a record fails: the hook notes each run it has recorded (hook.ts), and the reconcile replays the
// runs of the last REPLAY_WINDOW_MS that were logged but never noted (a crash between the log's write and its
// record), oldest first. Replaying counts nothing twice: a run's record is conditional writes under the run's own ids
// (record.ts), so a run recorded but not yet noted adds nothing again. A run replayed late may stop instances that a
// later run, already recorded, saw running: those intervals are closed at that later run's start, as its record would
// have closed them had it come second (under `<eventId>#replay`, once as well).
import type { LogEntry } from '#shared/schemas/log'
import type { LogsRepository } from '../logs'
import { accountRun, followUpRecord, instanceKey, intervalId } from './intervals'
import type { OffInterval } from './intervals'
import { addUp, recordRun } from './record'
import type { SavingsRepository } from './repository'

/** How far back the reconcile looks for runs never recorded: more than its longest interval (a day in AWS). */
export const REPLAY_WINDOW_MS = 2 * 86_400_000
/** How long a run stays noted recorded: past the window, so no run of it is replayed for want of its note. */
export const RECORDED_TTL_SECONDS = 7 * 86_400
const PAGE = 100

export interface ReplayReport {
  /** The runs of the window looked at, and those replayed (never noted recorded). */
  examined: number
  replayed: number
  errors: { eventId: string, message: string }[]
}

type Run = Pick<LogEntry, 'eventId' | 'ruleName' | 'accountId' | 'startedAt' | 'finishedAt' | 'targets'>

/** The runs started since `since`, newest first, paged from the logs' by-time index. */
async function recentRuns(logs: Pick<LogsRepository, 'list'>, since: string): Promise<{ eventId: string, startedAt: string }[]> {
  const runs: { eventId: string, startedAt: string }[] = []
  let cursor: string | undefined
  do {
    const page = await logs.list({ limit: PAGE, cursor })
    for (const run of page.items) {
      if (run.startedAt < since) return runs
      runs.push({ eventId: run.eventId, startedAt: run.startedAt })
    }
    cursor = page.cursor ?? undefined
  } while (cursor)
  return runs
}

/** Closes the intervals `run` opened that one of the `later` runs (oldest first) saw running, at that run's start. */
async function closeSeenLater(repo: SavingsRepository, run: Run, later: Run[]): Promise<void> {
  const keys = run.targets.map(t => instanceKey({ accountId: t.accountId ?? run.accountId, region: t.region, instanceId: intervalId(t) }))
  const pending = new Map<string, OffInterval>([...await repo.intervals(keys)].filter(([, i]) => i.eventId === run.eventId && !i.closedBy))
  const closedBy = `${run.eventId}#replay`
  const marked = []
  for (const next of later) {
    if (pending.size === 0) break
    for (const c of accountRun(next, pending).closed) {
      pending.delete(instanceKey(c.interval))
      const close = { ...c, closedBy }
      if (await repo.markClosed(close)) marked.push(close)
    }
  }
  await addUp(repo, closedBy, marked)
}

/** Replays the runs of the last `windowMs` before `now` that were never noted recorded (see the file's comment). */
export async function replayUnrecorded(deps: { logs: Pick<LogsRepository, 'list' | 'get'>, savings: SavingsRepository }, now: Date, windowMs = REPLAY_WINDOW_MS): Promise<ReplayReport> {
  const runs = (await recentRuns(deps.logs, new Date(now.getTime() - windowMs).toISOString())).reverse()
  const noted = new Set<string>()
  for (let i = 0; i < runs.length; i += PAGE) for (const id of await deps.savings.recorded(runs.slice(i, i + PAGE).map(r => r.eventId))) noted.add(id)
  const first = runs.findIndex(r => !noted.has(r.eventId))
  const report: ReplayReport = { examined: runs.length, replayed: 0, errors: [] }
  if (first < 0) return report
  // Every run from the first unrecorded one on, read whole once: the later ones say what was seen running after.
  const entries: LogEntry[] = []
  for (const r of runs.slice(first)) entries.push(await deps.logs.get(r.eventId))
  for (const [i, entry] of entries.entries()) {
    if (noted.has(entry.eventId)) continue
    try {
      await recordRun(deps.savings, entry)
      await closeSeenLater(deps.savings, entry, entries.slice(i + 1))
      const followUp = followUpRecord(entry)
      if (followUp) await recordRun(deps.savings, followUp)
      await deps.savings.markRecorded(entry.eventId, RECORDED_TTL_SECONDS)
      report.replayed++
    }
    catch (error) {
      report.errors.push({ eventId: entry.eventId, message: (error as Error).message })
    }
  }
  return report
}
