// The sweeper of runs no delivery finished: a run over several accounts killed after Lambda's last retry (or in a
// process that stopped) still has its journal. A recent one is taken over and finished; one too old to act on safely
// is logged with what it did and, as errors, every account-region it did not reach; a logged one's journal is deleted.
import type { LogEntry, RegionError } from '#shared/schemas/log'
import { LogNotFound, RunInProgress } from '../errors'
import type { RunJournal, JournalHead } from '../run-journal'
import type { ExecutorDeps } from './deps'
import { countTargets, runStatus } from './summary'
import { claim, writeOnce } from './once'
import { runRule } from './run'

// An interrupted stop finished hours late could undo a start that came since: past this age, it is only logged.
export const RESUME_WITHIN_MS = 60 * 60_000

export interface ResumeReport {
  /** Runs taken over and finished. */
  resumed: string[]
  /** Runs too old to finish, logged with the account-regions they did not reach. */
  abandoned: string[]
  /** Runs still held by a live delivery. */
  running: string[]
  /** Journals of runs that were logged already, deleted. */
  closed: string[]
}

type ResumeDeps = ExecutorDeps & { journal: Pick<RunJournal, 'open' | 'head' | 'record' | 'recorded' | 'close' | 'unfinished'> }

async function isLogged(deps: ExecutorDeps, eventId: string): Promise<boolean> {
  try {
    await deps.logs.get(eventId)
    return true
  }
  catch (error) {
    if (error instanceof LogNotFound) return false
    throw error
  }
}

/** The log of a run given up on: what its journal recorded, and an error for each account-region it did not reach. */
async function abandonedEntry(deps: ExecutorDeps, head: JournalHead, now: Date): Promise<LogEntry> {
  const rule = await deps.rules.get(head.payload.rule).catch(() => null)
  const done = await deps.journal!.recorded(head)
  const targets = head.accountIds.flatMap(a => head.regions.flatMap(r => (done.get(`${a}#${r}`) ?? []).map(t => ({ ...t, accountId: a }))))
  const message = `not reached: the run was interrupted and no delivery took it over within ${RESUME_WITHIN_MS / 60_000} minutes, so it was not finished late (it could undo a later rule); run the rule again to act here`
  const errors: RegionError[] = head.accountIds.flatMap(a => head.regions.filter(r => !done.has(`${a}#${r}`)).map(region => ({ accountId: a, region, message })))
  const counts = countTargets(targets)
  return {
    eventId: head.eventId,
    ruleName: head.payload.rule,
    trigger: head.payload.trigger,
    scheduledTime: head.payload.scheduledTime ?? null,
    startedAt: head.startedAt,
    finishedAt: now.toISOString(),
    action: rule?.action ?? 'unknown',
    accountId: '',
    accountIds: head.accountIds,
    regions: head.regions,
    filters: rule?.filters ?? [],
    ...runStatus(counts, errors),
    targets,
    counts,
    ...(errors.length ? { errors } : {}),
  }
}

/** Finishes, logs or deletes every journal left open; a journal that fails stays for the next sweep. */
export async function resumeInterruptedRuns(deps: ResumeDeps, run: typeof runRule = runRule): Promise<ResumeReport> {
  const report: ResumeReport = { resumed: [], abandoned: [], running: [], closed: [] }
  const now = deps.now?.() ?? new Date()
  for await (const head of deps.journal.unfinished()) {
    try {
      if (await isLogged(deps, head.eventId)) {
        await deps.journal.close(head)
        report.closed.push(head.eventId)
      }
      else if (now.getTime() - Date.parse(head.startedAt) > RESUME_WITHIN_MS) {
        // The claim decides who writes the log: a delivery still holding it finishes the run itself.
        if (!(await claim(deps, head.eventId))) {
          report.running.push(head.eventId)
          continue
        }
        try {
          await writeOnce(deps, await abandonedEntry(deps, head, now))
        }
        finally {
          await deps.logs.release(head.eventId)
        }
        await deps.journal.close(head)
        report.abandoned.push(head.eventId)
      }
      else {
        await run(deps, { ...head.payload, executionId: head.eventId })
        report.resumed.push(head.eventId)
      }
    }
    catch (error) {
      if (error instanceof RunInProgress) report.running.push(head.eventId)
      else deps.logger?.warn(`[executor] the interrupted run ${head.eventId} was not swept: ${(error as Error).message}`)
    }
  }
  return report
}
