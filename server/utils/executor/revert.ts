// The revert: when an override ends and a rule skipped the instance because of it, the instance gets the state its rules
// last asked for. Fired by the revert's one-time schedule (or local timer); a delivery acts once (once.ts), and the log
// says it was a revert, of which override. An instance overridden again by then is skipped once more, and its revert
// moves to the new end. A revert that was moved or has run is not run again.
import { formatInstant } from '#shared/schemas/instant'
import type { LogEntry } from '#shared/schemas/log'
import type { OverrideSource } from '#shared/schemas/override'
import type { Revert } from '../overrides/reverts'
import { localRevertExecutionId } from '../schedules/reverts'
import type { RevertFire } from '../schedules/reverts'
import { runOnce, writeOnce } from './once'
import { handlerFor } from './resources'
import { actInRegion, forEachRegion } from './run'
import type { ExecutorDeps, RunSpec } from './deps'
import { countTargets, runStatus } from './summary'

/** `override 7b0c… until 2026-12-24T18:00Z by key 'ops' (release testing)`, or `tag ouroboros:skip-until=2026-12-24`. */
export function describeOverride(source: OverrideSource): string {
  return source.kind === 'api'
    ? `override ${source.id} until ${formatInstant(source.until)} by key '${source.keyName}'${source.reason ? ` (${source.reason})` : ''}`
    : `tag ${source.tag}=${source.value} (until ${formatInstant(source.until)})`
}

/** Why a revert did not run: there is none under that key any more, or it was moved to another time. */
export interface RevertIgnored {
  ignored: true
  reason: string
}

/** Runs the revert `fire` names, once per delivery; answers its log, or why nothing was done. Throws when the store fails. */
export async function runRevert(deps: ExecutorDeps, fire: RevertFire): Promise<LogEntry | RevertIgnored> {
  const repository = deps.reverts?.repository
  if (!repository) throw new Error('the executor was given no reverts repository, and a revert fired')
  const revert = await repository.get(fire.revert)
  if (!revert) return { ignored: true, reason: `no revert is waiting under ${fire.revert}: it has run already` }
  if (revert.at !== fire.at) return { ignored: true, reason: `the revert of ${revert.instanceId} was moved to ${revert.at}: this firing, for ${fire.at}, does nothing` }
  const entry = await runOnce(deps, { rule: revert.rule, executionId: fire.executionId, trigger: 'schedule', dryRun: false }, eventId => revertNow(deps, revert, eventId))
  // Gone once it has run, unless the run moved it (the instance is overridden again).
  await repository.done(revert.key, revert.at)
  return entry
}

async function revertNow(deps: ExecutorDeps, revert: Revert, eventId: string): Promise<LogEntry> {
  const now = () => (deps.now?.() ?? new Date()).toISOString()
  const startedAt = now()
  const spec: RunSpec = {
    ruleName: revert.rule,
    accountId: revert.accountId,
    regions: [revert.region],
    action: revert.action,
    hibernate: revert.hibernate,
    filters: [{ key: (await handlerFor(revert.resourceType ?? 'ec2')).idFilter, values: [revert.instanceId] }],
    ...(revert.resourceType ? { resourceTypes: [revert.resourceType] } : {}),
    timezone: revert.timezone,
    // Still the firing that asked: a revert moved by a new override keeps asking for the same state.
    askedAt: revert.askedAt,
  }
  const { items: targets, errors } = await forEachRegion(deps, spec, scope => actInRegion(deps, spec, scope))
  const counts = countTargets(targets)
  const verdict = runStatus(counts, errors)
  const what = `revert at the end of ${describeOverride(revert.override)}: ${revert.instanceId} gets the state rule '${revert.rule}' last asked for (${revert.action}, fired ${formatInstant(revert.askedAt)})`
  const entry: LogEntry = {
    eventId,
    ruleName: revert.rule,
    trigger: 'revert',
    scheduledTime: revert.at,
    startedAt,
    finishedAt: now(),
    action: revert.action,
    accountId: revert.accountId,
    regions: [revert.region],
    filters: spec.filters,
    status: verdict.status,
    message: verdict.message ? `${what}; ${verdict.message}` : what,
    revert: { override: revert.override, rule: revert.rule, askedAt: revert.askedAt, instanceId: revert.instanceId },
    targets,
    counts,
    ...(errors.length ? { errors } : {}),
  }
  deps.logger?.info(`[executor] run ${eventId}: ${what}: ${entry.status}`)
  return writeOnce(deps, entry)
}

export interface RevertReconcileReport {
  armed: number
  ran: number
  errors: { revert: string, message: string }[]
}

/**
 * Arms every revert waiting (at start locally, and with the daily reconcile in AWS): one whose time has come is run now
 * (the app was down, or its timer could not be armed), the others get their timer or schedule again.
 */
export async function reconcileReverts(deps: ExecutorDeps): Promise<RevertReconcileReport> {
  const report: RevertReconcileReport = { armed: 0, ran: 0, errors: [] }
  if (!deps.reverts) return report
  const now = (deps.now?.() ?? new Date()).getTime()
  for await (const revert of deps.reverts.repository.pending()) {
    try {
      if (Date.parse(revert.at) <= now) {
        await runRevert(deps, { revert: revert.key, at: revert.at, executionId: localRevertExecutionId(revert) })
        report.ran++
      }
      else {
        await deps.reverts.timers.put(revert)
        report.armed++
      }
    }
    catch (error) {
      report.errors.push({ revert: revert.key, message: (error as Error)?.message ?? String(error) })
    }
  }
  return report
}
