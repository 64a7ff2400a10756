// Repairing the follow-up checks of databases (follow-up-arm.ts): a check's timer is lost with its process locally (a
// restart), and in AWS its one-time schedule may never have been written, or been deleted. The reconciler (at start
// and every 10 minutes locally, with every reconcile in AWS) reads the checks still waiting from the run log: one
// whose time has come runs now; one still ahead whose timer or schedule is missing or drifted is armed again.
import { LogNotFound } from '../errors'
import type { ExecutorDeps } from './deps'
import { followUpKey } from './follow-up-arm'
import { runFollowUp } from './follow-up'

/** What the reconcile of the follow-up checks did. */
export interface FollowUpReconcileReport {
  /** Checks ahead whose timer or schedule was there. */
  inSync: number
  /** Checks ahead armed again: their timer or schedule was missing, or drifted. */
  armed: number
  /** Checks run now: their time had come and they had not run (the process was down, or the timer was lost). */
  ran: number
  errors: { eventId: string, message: string }[]
}

/** Runs the checks overdue and arms again those whose timer or schedule is missing (see the file's comment). */
export async function reconcileFollowUps(deps: ExecutorDeps): Promise<FollowUpReconcileReport> {
  const report: FollowUpReconcileReport = { inSync: 0, armed: 0, ran: 0, errors: [] }
  if (!deps.followUps || !deps.logs.followUpsWaiting) return report
  const now = (deps.now?.() ?? new Date()).getTime()
  for await (const { eventId, due } of deps.logs.followUpsWaiting()) {
    try {
      if (Date.parse(due) <= now) {
        await runFollowUp(deps, eventId)
        report.ran++
        continue
      }
      const item = { key: followUpKey(eventId), at: due }
      if (deps.followUps.check && await deps.followUps.check(item) === 'in-sync') report.inSync++
      else {
        await deps.followUps.put(item)
        report.armed++
      }
    }
    catch (error) {
      // A run whose log expired (or was never written) has nothing to check: nothing waits for it any more.
      if (error instanceof LogNotFound) await deps.logs.clearFollowUp?.(eventId)
      else report.errors.push({ eventId, message: (error as Error)?.message ?? String(error) })
    }
  }
  return report
}
