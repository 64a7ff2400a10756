// A run of a rule: credentials -> find -> act -> verify in each region, then exactly one log entry.
// Also the dry run and the preview, which stop after "find" and write nothing.
import type { ExecutionPayload, ExecutionPreview, PreviewTarget } from '#shared/schemas/execution'
import type { LogEntry, LogTarget } from '#shared/schemas/log'
import { resourceTypesOf } from '#shared/resource-types'
import { RuleNotFound } from '../errors'
import type { ExecutorDeps, RunSpec } from './deps'
import { overrideOf } from './overrides'
import { recordReverts, revertNoteKey } from './revert-record'
import type { InstanceAction } from './find'
import type { InstanceDecision } from './decision'
import { runOnce, writeOnce } from './once'
import { calendarVerdict } from './calendar-skip'
import { pauseSkip } from '../rules/pause'
import { countTargets, runStatus } from './summary'
import { armFollowUp } from './follow-up-arm'
import { handlerFor } from './resources'
import type { FoundResource, RegionScope, ResourceHandler } from './resources/types'
import { forEachAccount, forEachRegion } from './fan-out'
import { runAccounts } from './accounts'
import { openJournal } from './journal'
import { dispatchChunks, workChunk } from './chunks'
import type { ChunkResult, RunDispatched } from './chunks'
import { normalizeAccountTargets } from '#shared/account-targets'
import type { AccountTargets } from '#shared/account-targets'
import type { Rule } from '#shared/schemas/rule'
import { joinReasons, runReason } from '#shared/run-reasons'

export { forEachRegion }

export type { AutoScalingClientFactory, Ec2ClientFactory, ExecutorDeps, RdsClientFactory, RunSpec } from './deps'

interface Classified {
  handler: ResourceHandler
  instance: FoundResource
  decision: InstanceDecision
}

/** Finds and classifies every resource of the rule's types in one region; the region's API overrides are read once. */
async function classifyRegion(deps: ExecutorDeps, spec: RunSpec, scope: RegionScope): Promise<Classified[]> {
  const handlers = await Promise.all(resourceTypesOf(spec).map(handlerFor))
  const [found, active] = await Promise.all([
    Promise.all(handlers.map(async handler => ({ handler, resources: await handler.find(deps, scope, spec) }))),
    deps.overrides ? deps.overrides.activeIn(spec.accountId, scope.region) : [],
  ])
  const now = deps.now?.() ?? new Date()
  return found.flatMap(({ handler, resources }) => resources.map((instance) => {
    const override = overrideOf({ ...instance, resourceType: handler.type }, active, deps.execution.overrideTag, spec.timezone ?? 'UTC', now)
    if (override.note) deps.logger?.warn(`[executor] ${instance.instanceId} in ${scope.region}: ${override.note}`)
    return { handler, instance, decision: handler.classify(instance, spec, deps, override) }
  }))
}

/** The part of a target every outcome shares: which resource, where, and its state before. */
function targetBase({ handler, instance }: Pick<Classified, 'handler' | 'instance'>) {
  return {
    instanceId: instance.instanceId,
    region: instance.region,
    ...(instance.name ? { name: instance.name } : {}),
    ...handler.describe?.(instance),
    stateBefore: instance.state,
  }
}

function skippedTarget(c: Classified, note?: string): LogTarget {
  return {
    ...targetBase(c),
    stateAfter: c.instance.state,
    outcome: 'skipped',
    reason: c.decision.act ? undefined : joinReasons(c.decision.reason, note),
  }
}

/** Acts on one type's resources in a region and verifies them: one target each, in the order given. */
async function actOnType(deps: ExecutorDeps, spec: RunSpec, scope: RegionScope, handler: ResourceHandler, toAct: Classified[]): Promise<LogTarget[]> {
  const items = toAct.map(c => ({ resource: c.instance, decision: c.decision as Extract<InstanceDecision, { act: true }> }))
  const acted = await handler.act(deps, scope, spec, items)
  const accepted = toAct.flatMap((c, i) => {
    const a = acted[i]!
    return a.accepted ? [{ resource: c.instance, acted: a }] : []
  })
  const verdicts = new Map((await handler.verify(deps, scope, spec, accepted)).map(v => [v.instanceId, v]))
  return toAct.map((c, i): LogTarget => {
    const act = acted[i]!
    const base = targetBase(c)
    if (!act.accepted) {
      return { ...base, stateAfter: c.instance.state, outcome: 'failed', reason: joinReasons(act.note, runReason('refused', { service: handler.service, action: spec.action })), error: act.error }
    }
    const v = verdicts.get(c.instance.instanceId)!
    if (!v.reached) return { ...base, stateAfter: v.state, outcome: 'failed', reason: joinReasons(act.note, v.reason) }
    const outcome = v.outcome ?? (spec.action === 'start' ? 'started' : 'stopped')
    return { ...base, stateAfter: v.state, outcome, reason: joinReasons(act.note, v.reason) }
  })
}

/** Find, act, verify in one region; answers one target per resource found. Overridden resources get their revert. */
export async function actInRegion(deps: ExecutorDeps, spec: RunSpec, scope: RegionScope): Promise<LogTarget[]> {
  const classified = await classifyRegion(deps, spec, scope)
  const notSkipped = classified.filter(c => !c.decision.act)
  const notes = spec.askedAt
    ? await recordReverts(deps, { rule: spec.ruleName, accountId: spec.accountId, action: spec.action, hibernate: spec.hibernate, timezone: spec.timezone ?? 'UTC', askedAt: spec.askedAt }, scope.region, notSkipped.map(c => ({ instanceId: c.instance.instanceId, resourceType: c.handler.type, decision: c.decision })))
    : new Map<string, string>()
  const skipped = notSkipped.map(c => skippedTarget(c, notes.get(revertNoteKey(c.handler.type, c.instance.instanceId))))
  const toAct = classified.filter(c => c.decision.act)
  if (toAct.length === 0) return skipped
  // The types act side by side: they are different services, with buckets of their own.
  const handlers = [...new Set(toAct.map(c => c.handler))]
  const acted = await Promise.all(handlers.map(h => actOnType(deps, spec, scope, h, toAct.filter(c => c.handler === h))))
  return [...acted.flat(), ...skipped]
}

/**
 * Runs a rule now and logs the run exactly once (`payload.dryRun` is ignored: see previewRule).
 * - The eventId is the payload's executionId, or a new UUID; a delivery runs at most once (see once.ts).
 * - A rule that no longer exists is logged as `failed`, with action 'unknown' and an empty accountId.
 * - A disabled rule fired by its schedule (it was disabled after the firing was queued) acts on nothing
 *   and logs `nothing-to-do` saying so; a manual run of a disabled rule runs.
 * - A firing before the rule's `pausedUntil` makes no AWS call and logs `skipped: paused until ...`.
 * - A firing whose local date, in the rule's zone, is a day of one of its calendars makes no AWS call and logs
 *   `skipped` with the day and calendar; a manual run is never skipped. A calendar that no longer exists logs `failed`.
 * - Throws only when the store fails (the run can then be retried with the same executionId).
 */
export async function runRule(deps: ExecutorDeps, payload: ExecutionPayload): Promise<LogEntry> {
  return await run(deps, payload, false) as LogEntry
}

/**
 * Runs a rule as runRule does, except that with `deps.dispatch` (in Lambda) a run over more than a chunk of accounts
 * fans out: the chunks run in invocations of their own, and this answers that they are running (chunks.ts).
 */
export async function startRule(deps: ExecutorDeps, payload: ExecutionPayload): Promise<LogEntry | RunDispatched> {
  return run(deps, payload, true)
}

async function run(deps: ExecutorDeps, payload: ExecutionPayload, fanOut: boolean): Promise<LogEntry | RunDispatched> {
  const entry = await runOnce(deps, payload, eventId => runClaimed(deps, payload, eventId, fanOut && deps.dispatch ? deps.dispatch : undefined))
  // A run fanned out is logged, and notified, by its last chunk.
  if (isDispatched(entry)) return entry
  // After the log: notifications neither change the run's result nor fail it.
  await deps.notify?.(entry).catch(error => deps.logger?.warn(`[executor] run ${entry.eventId}: notifications failed: ${(error as Error).message}`))
  return entry
}

export type { ChunkResult, RunDispatched }

/** Whether a run's answer is its fan-out (chunks running) rather than its log. */
export const isDispatched = (answer: LogEntry | RunDispatched): answer is RunDispatched => 'dispatched' in answer

// Accounts per chunk when a run fans out, unless the configuration says otherwise (NUXT_RUN_CHUNK_ACCOUNTS).
const DEFAULT_CHUNK_ACCOUNTS = 10

/** Runs chunk `event.chunk` of a fanned-out run in this invocation (task rules:chunk). */
export function runChunk(deps: ExecutorDeps, event: { eventId: string, chunk: number }): Promise<ChunkResult> {
  if (!deps.journal) throw new Error('a chunk of a run needs the run journal')
  return workChunk({ ...deps, journal: deps.journal }, event, (accountSpec, scope) => actInRegion(deps, accountSpec, scope))
}

/** The run itself, once this delivery may act: find, act, verify, log. */
async function runClaimed(deps: ExecutorDeps, payload: ExecutionPayload, eventId: string, dispatch?: ExecutorDeps['dispatch']): Promise<LogEntry | RunDispatched> {
  const now = () => (deps.now?.() ?? new Date()).toISOString()
  const startedAt = now()
  const head: Pick<LogEntry, 'eventId' | 'ruleName' | 'trigger' | 'scheduledTime' | 'startedAt'> = { eventId, ruleName: payload.rule, trigger: payload.trigger, scheduledTime: payload.scheduledTime ?? null, startedAt }

  let rule
  try {
    rule = await deps.rules.get(payload.rule)
  }
  catch (error) {
    if (!(error instanceof RuleNotFound)) throw error
    return writeOnce(deps, {
      ...head,
      finishedAt: now(),
      action: 'unknown',
      accountId: '',
      regions: [],
      filters: [],
      status: 'failed',
      message: runReason('ruleGone', { rule: payload.rule }),
      targets: [],
      counts: { total: 0, acted: 0, skipped: 0, failed: 0 },
    })
  }
  const targets = ruleTargets(rule)
  const settings = {
    action: rule.action,
    accountId: soleAccount(targets),
    // A run of one account logs as runs always have; one over several lists them, and its targets carry theirs.
    ...(soleAccount(targets) ? {} : { accountIds: targets.accountIds }),
    ...(targets.organizationalUnits.length ? { organizationalUnits: targets.organizationalUnits } : {}),
    regions: rule.regions,
    filters: rule.filters,
    ...(rule.resourceTypes ? { resourceTypes: rule.resourceTypes } : {}),
  }
  if (!rule.enabled && payload.trigger === 'schedule') {
    return writeOnce(deps, {
      ...head,
      ...settings,
      finishedAt: now(),
      status: 'nothing-to-do',
      message: runReason('ruleDisabled'),
      targets: [],
      counts: { total: 0, acted: 0, skipped: 0, failed: 0 },
    })
  }

  if (payload.trigger === 'schedule') {
    const firing = new Date(payload.scheduledTime ?? startedAt)
    // Judged by the time the schedule fired, like a calendar day: a retry after the pause ended still skips.
    const pause = pauseSkip(rule, firing)
    if (pause) {
      const message = `skipped: ${pause.reason}`
      deps.logger?.info(`[executor] run ${eventId} of '${rule.name}': skipped: ${pause.reason}`)
      return writeOnce(deps, { ...head, ...settings, finishedAt: now(), status: 'skipped', message, skip: { kind: 'pause', until: pause.until }, targets: [], counts: { total: 0, acted: 0, skipped: 0, failed: 0 } })
    }
    const verdict = await calendarVerdict(deps, rule, firing)
    if (verdict) {
      deps.logger?.info(`[executor] run ${eventId} of '${rule.name}': ${verdict.status}: ${verdict.message}`)
      return writeOnce(deps, { ...head, ...settings, finishedAt: now(), ...verdict, targets: [], counts: { total: 0, acted: 0, skipped: 0, failed: 0 } })
    }
  }

  const several = !settings.accountId
  const askedAt = payload.trigger === 'schedule' ? new Date(payload.scheduledTime ?? startedAt).toISOString() : startedAt
  const ruleSpec = { ruleName: rule.name, action: rule.action, regions: rule.regions, filters: rule.filters, resourceTypes: rule.resourceTypes, hibernate: rule.hibernate, timezone: rule.timezone, askedAt }
  // A run over several accounts keeps a journal: a delivery that takes it over after a kill goes on where it stopped.
  // In Lambda (deps.dispatch), one over more than a chunk of accounts fans out, a chunk per invocation (chunks.ts).
  const journaled = several && deps.journal
    ? await openJournal(deps.journal, { ...payload, executionId: eventId }, startedAt, { settings, spec: ruleSpec, ...(dispatch ? { chunkSize: deps.execution.runChunkAccounts ?? DEFAULT_CHUNK_ACCOUNTS } : {}) }, () => runAccounts(deps, targets))
    : undefined
  // (A run that fanned out, redelivered where nothing can dispatch, works all its accounts through the journal.)
  if (journaled?.head.chunks && dispatch) return dispatchChunks({ ...deps, journal: deps.journal!, dispatch }, journaled.head)
  const reach = journaled?.reach ?? await runAccounts(deps, targets)
  if (journaled) head.startedAt = journaled.head.startedAt
  // A run taken over goes on as its first delivery began it (the rule may have changed since).
  const spec = journaled?.head.spec ?? ruleSpec
  const worked = await forEachAccount(deps, spec, reach.accountIds, several, (accountSpec, scope) => actInRegion(deps, accountSpec, scope), await journaled?.regions())
  const errors = reach.error ? [{ accountId: '', region: '', message: reach.error }, ...worked.errors] : worked.errors
  const counts = countTargets(worked.items)
  const entry: LogEntry = {
    ...head,
    ...settings,
    ...(several ? { accountIds: reach.accountIds } : {}),
    finishedAt: now(),
    ...runStatus(counts, errors),
    targets: worked.items,
    counts,
    ...(errors.length ? { errors } : {}),
  }
  deps.logger?.info(`[executor] run ${eventId} of '${rule.name}': ${entry.status} (${reach.accountIds.length} accounts, ${counts.acted} acted, ${counts.skipped} skipped, ${counts.failed} failed${errors.length ? `, ${errors.length} region errors` : ''})`)
  const logged = await writeOnce(deps, entry)
  if (journaled) await deps.journal!.close(journaled.head).catch(error => deps.logger?.warn(`[executor] run ${eventId}: its journal was not deleted (it expires): ${(error as Error).message}`))
  // Databases still stopping or starting get their follow-up check, once the run is logged.
  return armFollowUp(deps, logged)
}

function previewTarget({ handler, instance, decision }: Classified, action: InstanceAction): PreviewTarget {
  const base = { instanceId: instance.instanceId, region: instance.region, ...(instance.name ? { name: instance.name } : {}), ...handler.describe?.(instance), state: instance.state }
  if (!decision.act) return { ...base, outcome: 'skipped', reason: decision.reason }
  const outcome = action === 'start' ? 'would-start' : decision.hibernate ? 'would-hibernate' : 'would-stop'
  return { ...base, outcome, ...(decision.note ? { reason: decision.note } : {}) }
}

/**
 * Finds and classifies the resources of `spec` in the accounts `targets` reach (or the one account of `spec`), as a run
 * would, acting on nothing and logging nothing.
 */
export async function previewInstances(deps: ExecutorDeps, spec: Omit<RunSpec, 'accountId'> & { accountId?: string }, targets?: AccountTargets): Promise<ExecutionPreview> {
  targets ??= { accountIds: spec.accountId ? [spec.accountId] : [], organizationalUnits: [], excludeAccountIds: [] }
  const reach = await runAccounts(deps, targets)
  const worked = await forEachAccount(deps, spec, reach.accountIds, !soleAccount(targets), async (accountSpec, scope) =>
    (await classifyRegion(deps, accountSpec, scope)).map(c => previewTarget(c, spec.action)))
  const errors = reach.error ? [{ accountId: '', region: '', message: reach.error }, ...worked.errors] : worked.errors
  const found = worked.items
  const skipped = found.filter(t => t.outcome === 'skipped').length
  const grouped = [...new Set(errors.map(e => e.message))]
  return {
    dryRun: true,
    ...(spec.ruleName ? { ruleName: spec.ruleName } : {}),
    accountId: soleAccount(targets),
    accountIds: reach.accountIds,
    reach: {
      accounts: reach.accountIds.length,
      organizationalUnits: reach.organizationalUnits,
      excluded: reach.excluded,
      ...(reach.resolvedAt ? { resolvedAt: reach.resolvedAt } : {}),
    },
    action: spec.action,
    regions: spec.regions,
    filters: spec.filters,
    ...(spec.resourceTypes ? { resourceTypes: [...spec.resourceTypes] } : {}),
    targets: found,
    counts: { total: found.length, wouldAct: found.length - skipped, skipped },
    errors,
    ...(grouped.length ? { message: grouped.join('; ') } : {}),
  }
}

/** A dry run of a stored rule: what it would do now. Throws RuleNotFound. */
export async function previewRule(deps: ExecutorDeps, ruleName: string): Promise<ExecutionPreview> {
  const rule = await deps.rules.get(ruleName)
  return previewInstances(deps, {
    ruleName: rule.name,
    regions: rule.regions,
    action: rule.action,
    hibernate: rule.hibernate,
    filters: rule.filters,
    resourceTypes: rule.resourceTypes,
    timezone: rule.timezone,
  }, ruleTargets(rule))
}

/** A stored rule's accounts, in their stored form even for a rule read past the repository. */
function ruleTargets(rule: Pick<Rule, 'accountIds' | 'organizationalUnits' | 'excludeAccountIds'>): AccountTargets {
  const { accountIds, organizationalUnits, excludeAccountIds } = normalizeAccountTargets(rule)
  return { accountIds, organizationalUnits, excludeAccountIds }
}

/** The one account of targets that name exactly one and no OU (what `accountId` says in a log); '' otherwise. */
export function soleAccount(targets: AccountTargets): string {
  return targets.accountIds.length === 1 && targets.organizationalUnits.length === 0 ? targets.accountIds[0]! : ''
}

/** The executor's entry: a dry run answers the preview; otherwise the rule runs and the log entry is answered. */
export async function executeRule(deps: ExecutorDeps, payload: ExecutionPayload): Promise<LogEntry | ExecutionPreview | RunDispatched> {
  return payload.dryRun ? previewRule(deps, payload.rule) : startRule(deps, payload)
}
