// The revert: when an override ends and a rule skipped the instance because of it, the instance gets the state its rules
// last asked for. Fired by the revert's one-time schedule (or local timer); a delivery acts once (once.ts), and the log
// says it was a revert, of which override. An instance overridden again by then is skipped once more, and its revert
// moves to the new end. A revert that was moved or has run is not run again.
import { formatInstant } from '#shared/schemas/instant'
import type { LogEntry } from '#shared/schemas/log'
import type { OverrideSource } from '#shared/schemas/override'
import type { Revert } from '../overrides/reverts'
import { localRevertExecutionId, revertKeyOfSchedule, revertScheduleName } from '../schedules/reverts'
import type { RevertFire } from '../schedules/reverts'
import { runOnce, writeOnce } from './once'
import { followTag } from './revert-tags'
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
  // A revert is a run: notified like one, after its log, never failing it (a redelivery's claim sends nothing new).
  await deps.notify?.(entry).catch(error => deps.logger?.warn(`[executor] revert ${entry.eventId}: notifications failed: ${(error as Error).message}`))
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
  /** Reverts whose schedule (or timer) was there as it should be. */
  inSync: number
  /** Reverts armed again: their schedule was missing, or fired at another time (drift). */
  armed: number
  /** Schedules no revert waits for any more, removed. */
  removed: number
  /** Reverts run now: their time had come (the app was down, or the timer could not be armed), or their tag is gone. */
  ran: number
  /** Reverts moved to the new end of their instance's skip-until tag. */
  moved: number
  errors: { revert: string, message: string }[]
}

// The names of the other one-time schedules that share the reverts' group: a database's follow-up check
// (follow-up-arm.ts, `followup.<eventId>`) and a notification's retry (notifications/retry-later.ts, `notify-<hash>`).
const OTHER_ONE_TIME = /^(?:followup\.|notify-)/

/**
 * Repairs the reverts' schedules (at start locally, with every reconcile, and `POST /api/admin/reconcile`): a revert
 * whose time has come runs now; one waiting for a skip-until tag follows the tag (revert-tags.ts); a revert whose
 * schedule is missing or drifted is armed again; a schedule no revert waits for is removed.
 */
export async function reconcileReverts(deps: ExecutorDeps): Promise<RevertReconcileReport> {
  const report: RevertReconcileReport = { inSync: 0, armed: 0, removed: 0, ran: 0, moved: 0, errors: [] }
  if (!deps.reverts) return report
  const { repository, timers } = deps.reverts
  const now = deps.now?.() ?? new Date()
  // Listed before the reverts are read: a revert is recorded before its schedule is written, so every schedule seen
  // here whose revert is waiting has that revert among those read below.
  const live = new Set<string>()
  try {
    for await (const name of timers.armed()) live.add(name)
  }
  catch (error) {
    report.errors.push({ revert: '*', message: (error as Error)?.message ?? String(error) })
  }
  const owned = new Set<string>()
  for await (const pending of repository.pending()) {
    try {
      let revert = pending
      if (revert.override.kind === 'tag' && Date.parse(revert.at) > now.getTime()) {
        const followed = await followTag(deps, revert, now)
        if (followed.kind !== 'unchanged') revert = followed.revert
        if (followed.kind === 'moved') report.moved++
      }
      if (Date.parse(revert.at) <= now.getTime()) {
        await runRevert(deps, { revert: revert.key, at: revert.at, executionId: localRevertExecutionId(revert) })
        report.ran++
        continue
      }
      owned.add(revertScheduleName(revert.key))
      if (await timers.check(revert) === 'in-sync') report.inSync++
      else {
        await timers.put(revert)
        report.armed++
      }
    }
    catch (error) {
      owned.add(revertScheduleName(pending.key))
      report.errors.push({ revert: pending.key, message: (error as Error)?.message ?? String(error) })
    }
  }
  for (const name of live) {
    if (owned.has(name)) continue
    try {
      // The reverts come from an index, which may lag: a revert recorded a moment ago keeps its schedule.
      // The other kinds of one-time schedule in the group are not the reverts' to remove.
      if (OTHER_ONE_TIME.test(name)) continue
      const key = revertKeyOfSchedule(name)
      const waiting = key ? await repository.get(key) : null
      if (waiting && Date.parse(waiting.at) > now.getTime()) continue
      await timers.remove(name)
      report.removed++
    }
    catch (error) {
      report.errors.push({ revert: name, message: (error as Error)?.message ?? String(error) })
    }
  }
  return report
}
