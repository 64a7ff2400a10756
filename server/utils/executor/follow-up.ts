// The follow-up check: databases take minutes to stop or start, so a run that ends with some still `stopping` or
// `starting` arms a check a while later, in AWS a one-time EventBridge schedule (in the reverts' group, named
// `followup.<event>`, deleted once fired), locally a timer. The check reads their states and completes the run's log:
// `stopped`/`started` when they got there, `failed` when one went back (AWS refuses to stop some instances, with
// storage problems for one, after accepting the call), still in progress otherwise. Running it twice does no harm.
import { formatInstant } from '#shared/schemas/instant'
import type { LogEntry, LogTarget } from '#shared/schemas/log'
import type { ExecutorDeps } from './deps'
import { IN_PROGRESS } from './follow-up-arm'
import { handlerFor } from './resources'
import { forEachAccount } from './fan-out'
import { countTargets, runStatus } from './summary'
import { runReason } from '#shared/run-reasons'

/** What became of a target in progress, given its state now (undefined: it no longer exists). */
function settle(target: LogTarget, state: string | undefined, at: string): LogTarget {
  const stopping = target.outcome === 'stopping'
  const goal = stopping ? 'stopped' : 'available'
  const checked = formatInstant(at)
  if (state === goal) return { ...target, stateAfter: state, outcome: stopping ? 'stopped' : 'started', reason: runReason('confirmedLater', { outcome: stopping ? 'stopped' : 'started', at: checked }) }
  if (state === undefined) return { ...target, outcome: 'failed', reason: runReason('goneLater', { at: checked }) }
  const back = stopping ? 'available' : 'stopped'
  if (state === back) return { ...target, stateAfter: state, outcome: 'failed', reason: runReason('backLater', { state, at: checked, action: stopping ? 'stop' : 'start' }) }
  return { ...target, stateAfter: state, reason: runReason('stillLater', { state, at: checked }) }
}

/** Runs the follow-up check of run `eventId`: reads the states of its databases in progress and completes its log. */
export async function runFollowUp(deps: ExecutorDeps, eventId: string): Promise<LogEntry> {
  if (!deps.logs.complete) throw new Error('the executor was given a logs repository that cannot complete a run')
  const entry = await deps.logs.get(eventId)
  const open = entry.targets.filter(t => IN_PROGRESS.has(t.outcome) && t.resourceType)
  if (open.length === 0) {
    // Checked already (a second delivery of its schedule, or the reconciler after the timer).
    await deps.logs.clearFollowUp?.(eventId)
    return entry
  }
  const at = (deps.now?.() ?? new Date()).toISOString()
  const regions = [...new Set(open.map(t => t.region))]
  // A run over several accounts: its targets say theirs; one of a single account, the entry's.
  const accountOf = (t: LogTarget) => t.accountId ?? entry.accountId
  const spec = { ruleName: entry.ruleName, regions, action: entry.action === 'start' ? 'start' as const : 'stop' as const, hibernate: false, filters: [] }
  const accounts = [...new Set(open.map(accountOf))]
  const { items: read, errors } = await forEachAccount(deps, spec, accounts, !entry.accountId, async (accountSpec, scope) => {
    const here = open.filter(t => t.region === scope.region && accountOf(t) === accountSpec.accountId)
    if (here.length === 0) return []
    const states: [string, Record<string, string>][] = []
    for (const type of [...new Set(here.map(t => t.resourceType!))]) {
      const handler = await handlerFor(type)
      if (!handler.readStates) continue
      states.push([type, await handler.readStates(deps, scope, here.filter(t => t.resourceType === type).map(t => t.instanceId))])
    }
    return [{ key: `${accountSpec.accountId}#${scope.region}`, states: new Map(states) }]
  })
  const byRegion = new Map(read.map(r => [r.key, r.states]))
  const targets = entry.targets.map((t) => {
    const states = IN_PROGRESS.has(t.outcome) && t.resourceType ? byRegion.get(`${accountOf(t)}#${t.region}`)?.get(t.resourceType) : undefined
    return states ? settle(t, states[t.instanceId], at) : t
  })
  const counts = countTargets(targets)
  const completed: LogEntry = { ...entry, targets, counts, ...runStatus(counts, [...(entry.errors ?? []), ...errors]), followUp: { due: entry.followUp?.due ?? at, checkedAt: at } }
  if (!completed.message) delete completed.message
  await deps.logs.complete(completed)
  // Once the log is complete: a check cut short before this line is still waiting, and runs again.
  await deps.logs.clearFollowUp?.(eventId)
  // After the log, like a run's: what the check changed is notified (its own deliveries), and never fails it.
  await deps.notifyFollowUp?.(entry, completed).catch(error => deps.logger?.warn(`[executor] follow-up of run ${eventId}: notifications failed: ${(error as Error).message}`))
  deps.logger?.info(`[executor] follow-up of run ${eventId}: ${completed.status} (${targets.filter(t => IN_PROGRESS.has(t.outcome)).length} still in progress)`)
  return completed
}
