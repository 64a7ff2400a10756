// The sweeper of runs no delivery finished: a run over several accounts killed after Lambda's last retry (or in a
// process that stopped) still has its journal. A recent one is taken over and finished; one too old to act on safely
// is logged with what it did and, as errors, every account-region it did not reach; a logged one's journal is deleted.
// A fanned-out run's chunks are started again, as a redelivery of the run would.
import { LogNotFound, RunInProgress } from '../errors'
import type { RunJournal } from '../run-journal'
import type { ExecutorDeps } from './deps'
import { journaledEntry } from './journal'
import { claimRun, writeOnce } from './once'
import { isDispatched, startRule } from './run'
import { runReason } from '#shared/run-reasons'

// An interrupted stop finished hours late could undo a start that came since: past this age, it is only logged.
export const RESUME_WITHIN_MS = 60 * 60_000

export interface ResumeReport {
  /** Runs taken over and finished. */
  resumed: string[]
  /** Fanned-out runs whose chunks not done were started again. */
  dispatched: string[]
  /** Runs too old to finish, logged with the account-regions they did not reach. */
  abandoned: string[]
  /** Runs still held by a live delivery. */
  running: string[]
  /** Journals of runs that were logged already, deleted. */
  closed: string[]
}

type ResumeDeps = ExecutorDeps & { journal: Pick<RunJournal, 'open' | 'head' | 'record' | 'recorded' | 'close' | 'chunkDone' | 'unfinished'> }

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

/** Finishes, logs or deletes every journal left open; a journal that fails stays for the next sweep. */
export async function resumeInterruptedRuns(deps: ResumeDeps, run: typeof startRule = startRule): Promise<ResumeReport> {
  const report: ResumeReport = { resumed: [], dispatched: [], abandoned: [], running: [], closed: [] }
  const now = deps.now?.() ?? new Date()
  for await (const head of deps.journal.unfinished()) {
    try {
      if (await isLogged(deps, head.eventId)) {
        await deps.journal.close(head)
        report.closed.push(head.eventId)
      }
      else if (now.getTime() - Date.parse(head.startedAt) > RESUME_WITHIN_MS) {
        // The claim decides who writes the log: a delivery still holding it finishes the run itself.
        if (!(await claimRun(deps, head.eventId))) {
          report.running.push(head.eventId)
          continue
        }
        try {
          const message = runReason('notResumed', { minutes: RESUME_WITHIN_MS / 60_000 })
          await writeOnce(deps, journaledEntry(head, await deps.journal.recorded(head), now.toISOString(), message))
        }
        finally {
          await deps.logs.release(head.eventId)
        }
        await deps.journal.close(head)
        report.abandoned.push(head.eventId)
      }
      else {
        // As a redelivery would: a run that fanned out starts its chunks not done again (or logs when all are).
        const answer = await run(deps, { ...head.payload, executionId: head.eventId })
        const list = isDispatched(answer) ? report.dispatched : report.resumed
        list.push(head.eventId)
      }
    }
    catch (error) {
      if (error instanceof RunInProgress) report.running.push(head.eventId)
      else deps.logger?.warn(`[executor] the interrupted run ${head.eventId} was not swept: ${(error as Error).message}`)
    }
  }
  return report
}
