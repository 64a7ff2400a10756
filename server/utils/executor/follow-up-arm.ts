// Arming the follow-up check of a run that ended with databases still stopping or starting (see follow-up.ts):
// its due time goes into the run's log, and its timer or one-time schedule is set.
import { createHash } from 'node:crypto'
import type { LogEntry, LogTarget } from '#shared/schemas/log'
import type { ExecutorDeps } from './deps'

/** How long after a run its follow-up looks again: RDS stops and starts take some minutes, and rarely more than 15. */
export const FOLLOW_UP_DELAY_MS = 15 * 60_000

/** The outcomes of a database still on its way when the run ended. */
export const IN_PROGRESS = new Set<LogTarget['outcome']>(['stopping', 'starting'])

/** The follow-up's key: `followup#<eventId>`. */
export const followUpKey = (eventId: string) => `followup#${eventId}`

/** Its schedule's name: `followup.<eventId>`, or a hash of a long or unusual id (Scheduler takes 64 of [0-9a-zA-Z-_.]). */
export function followUpScheduleName(key: string): string {
  const eventId = key.replace(/^followup#/, '')
  return /^[\w.-]{1,55}$/.test(eventId) ? `followup.${eventId}` : `followup.${createHash('sha256').update(eventId).digest('hex').slice(0, 40)}`
}

/** The payload the schedule sends the Lambda. */
export const followUpInput = (item: { key: string }) => JSON.stringify({ kind: 'ouroboros.follow-up', eventId: item.key.replace(/^followup#/, '') })

/** Arms the follow-up of a logged run that has databases in progress; answers the entry, with `followUp.due` when armed. */
export async function armFollowUp(deps: ExecutorDeps, entry: LogEntry): Promise<LogEntry> {
  if (!deps.followUps || !deps.logs.complete || !entry.targets.some(t => IN_PROGRESS.has(t.outcome))) return entry
  const due = new Date((deps.now?.() ?? new Date()).getTime() + (deps.followUpDelayMs ?? FOLLOW_UP_DELAY_MS)).toISOString()
  try {
    // Recorded before its timer is set: a timer lost with its process (or a schedule never written) is re-armed by
    // the reconciler (follow-up-reconcile.ts), which finds the check still waiting.
    await deps.logs.markFollowUp?.(entry.eventId, due, entry.startedAt)
    await deps.followUps.put({ key: followUpKey(entry.eventId), at: due })
    const armed = { ...entry, followUp: { due } }
    await deps.logs.complete(armed)
    return armed
  }
  catch (error) {
    // The run is logged already; its targets stay in progress, as they are.
    deps.logger?.warn(`[executor] the follow-up check of run ${entry.eventId} could not be armed: ${(error as Error)?.message ?? String(error)}`)
    return entry
  }
}
