// A run of a rule: credentials -> find -> act -> verify in each region, then exactly one log entry.
// Also the dry run and the preview, which stop after "find" and write nothing.
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { Filter } from '#shared/filters'
import type { ExecutionPayload, ExecutionPreview, PreviewTarget } from '#shared/schemas/execution'
import type { LogEntry, LogTarget, RegionError } from '#shared/schemas/log'
import type { ServerConfig } from '../config'
import { RuleNotFound } from '../errors'
import type { LogsRepository } from '../logs'
import type { RulesRepository } from '../rules/repository'
import type { AwsCredentials } from '../aws/credentials'
import { describeAwsError } from '../aws/errors'
import type { BackoffOptions } from '../aws/retry'
import { actInBatches, ec2ActCall } from './act'
import type { ActItem } from './act'
import { createLimiter, mapWithConcurrency } from '../concurrency'
import type { Limiter } from '../concurrency'
import { AssumeRoleDenied, IdentityUnavailable } from './credentials'
import type { AccountAccess, CredentialsResolver } from './credentials'
import { classifyInstance, findInstances } from './find'
import { overrideOf } from './overrides'
import { recordReverts } from './revert-record'
import type { RevertDeps } from './revert-record'
import type { OverridesRepository } from '../overrides/repository'
import type { FoundInstance, InstanceAction, InstanceDecision } from './find'
import { runOnce, writeOnce } from './once'
import { calendarVerdict } from './calendar-skip'
import type { CalendarSkipDeps } from './calendar-skip'
import { pauseSkip } from '../rules/pause'
import { countTargets, runStatus } from './summary'
import { ec2DescribeStates, verifyStates } from './verify'

/** Makes (or reuses) the EC2 client for an account and region; no credentials means the app's own. */
export type Ec2ClientFactory = (accountId: string, region: string, credentials?: AwsCredentials) => EC2Client

/** Everything the executor needs, injectable: the app wires the real ones in services.ts, tests their own. */
export interface ExecutorDeps extends CalendarSkipDeps {
  rules: Pick<RulesRepository, 'get'>
  logs: Pick<LogsRepository, 'get' | 'put' | 'claim' | 'release'>
  /** The per-instance overrides made through the API; without them, only the override tag is read. */
  overrides?: Pick<OverridesRepository, 'activeIn'>
  /** The reverts of overridden instances: recorded and armed when a run skips one; without them, none is. */
  reverts?: RevertDeps
  /** Without `overrideTag`, no instance tag is read as an override. */
  execution: Omit<ServerConfig['execution'], 'overrideTag'> & { overrideTag?: string }
  /** The app's region: the preview's default region. */
  region: string
  credentials: CredentialsResolver
  ec2: Ec2ClientFactory
  /** Bounds account-regions in flight; share one across runs to bound the process. Default: one per run of `execution.concurrency`. */
  limiter?: Limiter
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  /** The pause between two verification reads; default 5 s. */
  verifyIntervalMs?: number
  /** Backoff of throttled calls (sleep and random injectable). */
  backoff?: Partial<BackoffOptions>
  newId?: () => string
  logger?: Pick<Console, 'info' | 'warn'>
  /** Called once the run's log entry is written, a redelivery's too (notifications/deliver.ts); its failure is its own. */
  notify?: (entry: LogEntry) => Promise<unknown>
}

/** What is run: a rule's settings (or a preview's). */
export interface RunSpec {
  /** Empty for a preview of settings that are not a stored rule. */
  ruleName: string
  accountId: string
  regions: string[]
  action: InstanceAction
  hibernate: boolean
  filters: Filter[]
  /** The rule's time zone, in which an override tag's date ends; UTC for a preview of settings. */
  timezone?: string
  /** A run (not a preview): when its rule's firing asked for the action; an overridden instance's revert gets it. */
  askedAt?: string
}

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

interface Classified {
  instance: FoundInstance
  decision: InstanceDecision
}

type RegionResult<T> = { region: string, items: T[] } | { region: string, error: string }

/** Resolves access to the account once, then works each region with bounded concurrency; a region's failure stays its own. */
export async function forEachRegion<T>(deps: ExecutorDeps, spec: RunSpec, work: (ec2: EC2Client, region: string) => Promise<T[]>): Promise<{ items: T[], errors: RegionError[] }> {
  const limiter = deps.limiter ?? createLimiter(deps.execution.concurrency)
  let access: AccountAccess
  try {
    // Through the limiter too: 500 rules firing together must not send 500 AssumeRoles at once (STS throttles bursts).
    access = await limiter(() => deps.credentials.forAccount(spec.accountId, spec.ruleName || 'preview'))
  }
  catch (error) {
    // Nothing can be reached in the account: every region fails with the same reason.
    const message = error instanceof AssumeRoleDenied || error instanceof IdentityUnavailable ? error.message : describeAwsError(error)
    return { items: [], errors: spec.regions.map(region => ({ region, message })) }
  }
  const results = await mapWithConcurrency(spec.regions, limiter, async (region): Promise<RegionResult<T>> => {
    try {
      return { region, items: await work(deps.ec2(spec.accountId, region, access.credentials), region) }
    }
    catch (error) {
      return { region, error: describeAwsError(error) }
    }
  })
  return {
    items: results.flatMap(r => ('items' in r ? r.items : [])),
    errors: results.flatMap(r => ('error' in r ? [{ region: r.region, message: r.error }] : [])),
  }
}

async function classifyRegion(deps: ExecutorDeps, spec: RunSpec, ec2: EC2Client, region: string): Promise<Classified[]> {
  const [found, active] = await Promise.all([
    findInstances(ec2, region, spec.filters, spec.action, deps.backoff),
    deps.overrides ? deps.overrides.activeIn(spec.accountId, region) : [],
  ])
  const options = { action: spec.action, hibernate: spec.hibernate, optOutTag: deps.execution.optOutTag }
  const now = deps.now?.() ?? new Date()
  return found.map((instance) => {
    const override = overrideOf(instance, active, deps.execution.overrideTag, spec.timezone ?? 'UTC', now)
    if (override.note) deps.logger?.warn(`[executor] ${instance.instanceId} in ${region}: ${override.note}`)
    return { instance, decision: classifyInstance(instance, options, override) }
  })
}

function skippedTarget({ instance, decision }: Classified, note?: string): LogTarget {
  return {
    instanceId: instance.instanceId,
    region: instance.region,
    ...describedAs(instance),
    stateBefore: instance.state,
    stateAfter: instance.state,
    outcome: 'skipped',
    reason: decision.act ? undefined : joinReasons(decision.reason, note),
  }
}

/** What a log target says of the instance besides its id: its Name tag and its type, when known. */
const describedAs = (instance: FoundInstance) => ({
  ...(instance.name ? { name: instance.name } : {}),
  ...(instance.instanceType ? { instanceType: instance.instanceType } : {}),
})

const joinReasons = (...reasons: (string | undefined)[]) => reasons.filter(Boolean).join('; ') || undefined

/** Find, act, verify in one region; answers one target per instance found. Overridden instances get their revert. */
export async function actInRegion(deps: ExecutorDeps, spec: RunSpec, ec2: EC2Client, region: string): Promise<LogTarget[]> {
  const classified = await classifyRegion(deps, spec, ec2, region)
  const notSkipped = classified.filter(c => !c.decision.act)
  const notes = spec.askedAt
    ? await recordReverts(deps, { rule: spec.ruleName, accountId: spec.accountId, action: spec.action, hibernate: spec.hibernate, timezone: spec.timezone ?? 'UTC', askedAt: spec.askedAt }, region, notSkipped.map(c => ({ instanceId: c.instance.instanceId, decision: c.decision })))
    : new Map<string, string>()
  const skipped = notSkipped.map(c => skippedTarget(c, notes.get(c.instance.instanceId)))
  const toAct = classified.filter(c => c.decision.act)
  if (toAct.length === 0) return skipped

  const items: ActItem[] = toAct.map(({ instance, decision }) => ({
    instanceId: instance.instanceId,
    hibernate: decision.act && decision.hibernate,
    note: decision.act ? decision.note : undefined,
  }))
  const acted = await actInBatches(items, deps.execution.batchSize, ec2ActCall(ec2, spec.action, deps.backoff))
  const accepted = acted.filter(a => a.accepted)
  const now = () => (deps.now?.() ?? new Date()).getTime()
  const verified = await verifyStates(
    accepted.map(a => a.instanceId),
    Object.fromEntries(accepted.map(a => [a.instanceId, a.state])),
    ec2DescribeStates(ec2, deps.backoff, spec.action === 'start' ? 'running' : 'stopped'),
    {
      action: spec.action,
      timeoutMs: deps.execution.verifyTimeoutSeconds * 1000,
      intervalMs: deps.verifyIntervalMs ?? 5000,
      now,
      sleep: deps.sleep ?? defaultSleep,
    },
  )
  const verdicts = new Map(verified.map(v => [v.instanceId, v]))

  const targets = toAct.map(({ instance }, i): LogTarget => {
    const act = acted[i]!
    const base = { instanceId: instance.instanceId, region, ...describedAs(instance), stateBefore: instance.state }
    if (!act.accepted) {
      return { ...base, stateAfter: instance.state, outcome: 'failed', reason: joinReasons(act.note, `EC2 refused to ${spec.action} it`), error: act.error }
    }
    const v = verdicts.get(instance.instanceId)!
    if (!v.reached) return { ...base, stateAfter: v.state, outcome: 'failed', reason: joinReasons(act.note, v.reason) }
    const outcome = spec.action === 'start' ? 'started' : act.hibernate ? 'hibernated' : 'stopped'
    return { ...base, stateAfter: v.state, outcome, reason: joinReasons(act.note, v.reason) }
  })
  return [...targets, ...skipped]
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
  const entry = await runOnce(deps, payload, eventId => runClaimed(deps, payload, eventId))
  // After the log: notifications neither change the run's result nor fail it.
  await deps.notify?.(entry).catch(error => deps.logger?.warn(`[executor] run ${entry.eventId}: notifications failed: ${(error as Error).message}`))
  return entry
}

/** The run itself, once this delivery may act: find, act, verify, log. */
async function runClaimed(deps: ExecutorDeps, payload: ExecutionPayload, eventId: string): Promise<LogEntry> {
  const now = () => (deps.now?.() ?? new Date()).toISOString()
  const startedAt = now()
  const head = { eventId, ruleName: payload.rule, trigger: payload.trigger, scheduledTime: payload.scheduledTime ?? null, startedAt }

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
      message: `rule '${payload.rule}' no longer exists: it was deleted after this run was scheduled`,
      targets: [],
      counts: { total: 0, acted: 0, skipped: 0, failed: 0 },
    })
  }
  const settings = { action: rule.action, accountId: rule.accountId, regions: rule.regions, filters: rule.filters }
  if (!rule.enabled && payload.trigger === 'schedule') {
    return writeOnce(deps, {
      ...head,
      ...settings,
      finishedAt: now(),
      status: 'nothing-to-do',
      message: 'the rule is disabled: its schedule fired before the change took effect, so nothing was done',
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

  const askedAt = payload.trigger === 'schedule' ? new Date(payload.scheduledTime ?? startedAt).toISOString() : startedAt
  const spec: RunSpec = { ruleName: rule.name, ...settings, hibernate: rule.hibernate, timezone: rule.timezone, askedAt }
  const { items: targets, errors } = await forEachRegion(deps, spec, (ec2, region) => actInRegion(deps, spec, ec2, region))
  const counts = countTargets(targets)
  const entry: LogEntry = {
    ...head,
    ...settings,
    finishedAt: now(),
    ...runStatus(counts, errors),
    targets,
    counts,
    ...(errors.length ? { errors } : {}),
  }
  deps.logger?.info(`[executor] run ${eventId} of '${rule.name}': ${entry.status} (${counts.acted} acted, ${counts.skipped} skipped, ${counts.failed} failed${errors.length ? `, ${errors.length} region errors` : ''})`)
  return writeOnce(deps, entry)
}

function previewTarget({ instance, decision }: Classified, action: InstanceAction): PreviewTarget {
  const base = { instanceId: instance.instanceId, region: instance.region, ...(instance.name ? { name: instance.name } : {}), state: instance.state }
  if (!decision.act) return { ...base, outcome: 'skipped', reason: decision.reason }
  const outcome = action === 'start' ? 'would-start' : decision.hibernate ? 'would-hibernate' : 'would-stop'
  return { ...base, outcome, ...(decision.note ? { reason: decision.note } : {}) }
}

/** Finds and classifies the instances of `spec` as a run would, acting on nothing and logging nothing. */
export async function previewInstances(deps: ExecutorDeps, spec: RunSpec): Promise<ExecutionPreview> {
  const { items: targets, errors } = await forEachRegion(deps, spec, async (ec2, region) =>
    (await classifyRegion(deps, spec, ec2, region)).map(c => previewTarget(c, spec.action)))
  const skipped = targets.filter(t => t.outcome === 'skipped').length
  const grouped = [...new Set(errors.map(e => e.message))]
  return {
    dryRun: true,
    ...(spec.ruleName ? { ruleName: spec.ruleName } : {}),
    accountId: spec.accountId,
    action: spec.action,
    regions: spec.regions,
    filters: spec.filters,
    targets,
    counts: { total: targets.length, wouldAct: targets.length - skipped, skipped },
    errors,
    ...(grouped.length ? { message: grouped.join('; ') } : {}),
  }
}

/** A dry run of a stored rule: what it would do now. Throws RuleNotFound. */
export async function previewRule(deps: ExecutorDeps, ruleName: string): Promise<ExecutionPreview> {
  const rule = await deps.rules.get(ruleName)
  return previewInstances(deps, {
    ruleName: rule.name,
    accountId: rule.accountId,
    regions: rule.regions,
    action: rule.action,
    hibernate: rule.hibernate,
    filters: rule.filters,
    timezone: rule.timezone,
  })
}

/** The executor's entry: a dry run answers the preview; otherwise the rule runs and the log entry is answered. */
export async function executeRule(deps: ExecutorDeps, payload: ExecutionPayload): Promise<LogEntry | ExecutionPreview> {
  return payload.dryRun ? previewRule(deps, payload.rule) : runRule(deps, payload)
}
