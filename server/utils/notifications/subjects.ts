// The notices of what is not a run's own outcome, as subjects for notifySubject (deliver.ts): a run's follow-up check
// (its databases settled: `instance.failed` for one that went back, the run's new status when it changed), a reconcile
// that repaired schedules (`schedule.drift`, once per pass) and an override made or ended (`override.created`,
// `override.ended`). Each has a key of its own, so its deliveries have stable ids of their own.
import { randomUUID } from 'node:crypto'
import type { ChannelEvent } from '#shared/schemas/channel'
import type { LogEntry } from '#shared/schemas/log'
import type { Override, OverrideSource } from '#shared/schemas/override'
import type { NotifyDeps, Subject } from './deliver'
import { runEventFor, runSubject } from './deliver'
import type { DriftDetail, OverrideDetail, RunNotice } from './payloads'
import { runNotice } from './payloads'

type Deps = Pick<NotifyDeps, 'retentionDays' | 'settings' | 'clock'>
const NO_COUNTS = { total: 0, acted: 0, skipped: 0, failed: 0 }
const expiry = (deps: Deps) => Math.floor((deps.clock?.() ?? Date.now()) / 1000) + deps.retentionDays * 86_400

/**
 * The follow-up check of run `before`, which completed it as `after`: a notice when a database went back (more
 * failed) or the run's status changed, else none. Recorded beside the run's own deliveries, with ids of its own.
 */
export function followUpSubject(deps: Deps, before: LogEntry, after: LogEntry): Subject | undefined {
  const changed = before.status !== after.status
  const wentBack = after.counts.failed > before.counts.failed
  if (!changed && !wentBack) return undefined
  const run = runSubject(deps, after)
  return {
    ...run,
    part: 'follow-up',
    eventFor: (events) => {
      const runEvent = `run.${after.status}` as ChannelEvent
      if (changed && events.includes(runEvent)) return runEvent
      return wentBack ? runEventFor(events.filter(e => e === 'instance.failed'), after) : undefined
    },
    notice: (event, deliveryId) => {
      const notice = runNotice(after, event, deliveryId, deps.settings.baseUrl)
      const was = changed ? ` (was ${before.status})` : ''
      return { ...notice, message: `The follow-up check settled the run's databases: ${after.status}${was}. ${notice.message}` }
    },
    keepNotice: true,
  }
}

/** How many things a reconcile pass repaired. */
export function repairsOf(drift: DriftDetail): number {
  const r = drift.reverts
  return drift.created.length + drift.updated.length + drift.deleted.length + r.armed + r.ran + r.moved + r.removed
}

const listed = (verb: string, names: string[]) => (names.length ? [`${verb} ${names.length} (${names.slice(0, 20).join(', ')}${names.length > 20 ? ', …' : ''})`] : [])

/** A reconcile pass that repaired something, as one `schedule.drift` notice; undefined when it repaired nothing. */
export function driftSubject(deps: Deps, drift: DriftDetail, errors: number): Subject | undefined {
  if (repairsOf(drift) === 0) return undefined
  const at = new Date(deps.clock?.() ?? Date.now()).toISOString()
  const r = drift.reverts
  const reverts = r.armed + r.ran + r.moved + r.removed ? [`reverts: ${r.armed} armed, ${r.ran} ran, ${r.moved} moved, ${r.removed} removed`] : []
  const parts = [...listed('created', drift.created), ...listed('updated', drift.updated), ...listed('deleted', drift.deleted), ...reverts]
  const message = `The reconcile repaired schedules: ${parts.join('; ')}${errors ? `; ${errors} could not be repaired` : ''}.`
  return {
    // One pass, one notice: the key is the pass's.
    eventId: `reconcile@${at}@${randomUUID().slice(0, 8)}`,
    rules: [...drift.created, ...drift.updated, ...drift.deleted],
    eventFor: events => (events.includes('schedule.drift') ? 'schedule.drift' : undefined),
    notice: (event, deliveryId): RunNotice => ({
      event, deliveryId, rule: '', eventId: '', status: 'repaired', counts: NO_COUNTS, message, failed: [], url: `${deps.settings.baseUrl}/`, drift,
    }),
    expiresAt: expiry(deps),
    keepNotice: true,
  }
}

/** An override made through the API, or read from an instance's skip-until tag, as its notices describe it. */
export function overrideDetail(source: OverrideSource, target: { accountId: string, region: string, instanceId: string }): OverrideDetail {
  return source.kind === 'api'
    ? { kind: 'api', ...target, until: source.until, id: source.id, by: `key '${source.keyName}'`, ...(source.reason ? { reason: source.reason } : {}) }
    : { kind: 'tag', ...target, until: source.until, tag: `${source.tag}=${source.value}`, by: `tag ${source.tag}=${source.value}` }
}

/** An API override as its notices describe it. */
export function apiOverrideDetail(o: Override): OverrideDetail {
  return overrideDetail({ kind: 'api', id: o.id, until: o.until, keyName: o.createdBy.keyName, reason: o.reason }, o)
}

/**
 * An override made (`created`) or ended (`ended`: early by a user, or its revert ran): its key is the override's, so
 * ending it early and the revert that follows notify once. `rule`: the rule its revert follows, when one does.
 */
export function overrideSubject(deps: Deps, kind: 'created' | 'ended', detail: OverrideDetail, rule?: string): Subject {
  const which = detail.id ?? `${detail.accountId}.${detail.region}.${detail.instanceId}.${detail.until}`
  const event = `override.${kind}` as const
  const message = kind === 'created'
    ? `${detail.instanceId} (${detail.accountId}, ${detail.region}) is kept as is until ${detail.until}, whatever its rules say, by ${detail.by}${detail.reason ? ` (${detail.reason})` : ''}.`
    : `${detail.instanceId} (${detail.accountId}, ${detail.region}) is no longer kept as is: ${detail.ended ?? 'the override ended'}.`
  return {
    eventId: `override@${which}@${kind}`,
    rules: rule ? [rule] : [],
    eventFor: events => (events.includes(event) ? event : undefined),
    notice: (e, deliveryId): RunNotice => ({
      event: e, deliveryId, rule: rule ?? '', eventId: '', status: kind, counts: NO_COUNTS, message, failed: [], url: `${deps.settings.baseUrl}/overrides`, override: detail,
    }),
    expiresAt: expiry(deps),
    keepNotice: true,
  }
}

/** A revert run's override, ended by the revert: its `override.ended` subject. */
export function revertEndedSubject(deps: Deps, entry: LogEntry): Subject | undefined {
  if (!entry.revert) return undefined
  const detail = overrideDetail(entry.revert.override, { accountId: entry.accountId, region: entry.regions[0] ?? '', instanceId: entry.revert.instanceId })
  const target = entry.targets.find(t => t.instanceId === entry.revert!.instanceId)
  const ended = entry.counts.acted > 0
    ? `its revert ran: the instance got the state rule '${entry.revert.rule}' asked for (${entry.action})`
    : `its revert ran (${entry.status}): ${target?.reason ?? target?.outcome ?? entry.message ?? 'nothing was done'}`
  return overrideSubject(deps, 'ended', { ...detail, ended }, entry.revert.rule)
}
