// Delivery of a run's notices, after its log entry is written (executor/run.ts calls notifyRun), and of every other
// subject (a follow-up check's, a drift's, an override's: subjects.ts) the same way. Never fails the run and never holds
// it past a deadline: each channel whose events and rules match gets one delivery, claimed first with
// a conditional write (a redelivered run sends nothing new), retried on a 5xx, a 429 or a timeout with exponential
// backoff and full jitter, and recorded with its attempts, last HTTP status and error. What the deadline cuts short
// is recorded `pending` and handed to `retryLater` (a one-time schedule in AWS, a timer locally: retry-later.ts), and
// whatever is still pending is sent by the reconcile task (retryPending) or a redelivery of the run.
import type { ChannelEvent, ChannelTestResult, DeliveryRecord } from '#shared/schemas/channel'
import { TEST_EVENT } from '#shared/schemas/channel'
import type { LogEntry } from '#shared/schemas/log'
import type { ServerConfig } from '../config'
import type { LogsRepository } from '../logs'
import { backoffDelay } from '../aws/retry'
import { deliveryIdOf, runNotice } from './payloads'
import type { RunNotice } from './payloads'
import type { NotificationsRepository, PendingDelivery, StoredChannel, StoredDelivery } from './repository'
import { attemptDelivery } from './send'
import type { AwsSenders } from './send'

export interface NotifyDeps {
  repository: Pick<NotificationsRepository, 'list' | 'claimDelivery' | 'recordDelivery' | 'deliveriesOf' | 'pendingRuns' | 'pendingOf'>
  settings: ServerConfig['notify']
  /** Deliveries expire with their run: this many days after it started. */
  retentionDays: number
  region: string
  /** Tests inject these: the clock the deadline is measured by, the backoff's sleep and randomness, the AWS senders. */
  clock?: () => number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
  backoff?: { baseMs: number, maxMs: number }
  aws?: AwsSenders
  /** Arms the retry of a run's pending deliveries on a path that survives this invocation (retry-later.ts). */
  retryLater?: (eventId: string) => Promise<void>
  logger?: Pick<Console, 'info' | 'warn'>
}

// A delivery left `sending` longer than this lost its process (the deadline is at most 10 minutes): it is retried.
const SENDING_STALE_MS = 15 * 60_000
const DEFAULT_BACKOFF = { baseMs: 500, maxMs: 5000 }
const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * Something channels are told about: a run, its follow-up check, a reconcile's repairs or an override. Each channel
 * gets one delivery of it, whose id is stable per subject and channel.
 */
export interface Subject {
  /** The partition its deliveries are recorded in: the run's event id (for its follow-up too), else its own key. */
  eventId: string
  /** A second notice of the same run (its follow-up check's): deliveries of their own, with ids of their own. */
  part?: 'follow-up'
  /** The rules it concerns: a channel of named rules gets it when it names one of them. */
  rules: string[]
  /** The event a channel subscribed to `events` gets, if any. */
  eventFor: (events: readonly ChannelEvent[]) => ChannelEvent | undefined
  notice: (event: ChannelEvent, deliveryId: string) => RunNotice
  /** When its deliveries expire (epoch seconds): a run's with the run. */
  expiresAt: number
  /** Kept with a pending delivery, to resend it as it was: a run's notice is rebuilt from its log instead. */
  keepNotice: boolean
}

/** Whether `channel` wants notices about `rules`: enabled, and for all rules or one of these. */
export function channelWants(channel: Pick<StoredChannel, 'enabled' | 'rules'>, rules: readonly string[]): boolean {
  return channel.enabled && (channel.rules === 'all' || rules.some(r => channel.rules.includes(r)))
}

/** The event of a run a subscription wants: the run's outcome first, else a failed instance. */
export function runEventFor(events: readonly ChannelEvent[], entry: Pick<LogEntry, 'status' | 'counts'>): ChannelEvent | undefined {
  const runEvent = `run.${entry.status}` as ChannelEvent
  if (events.includes(runEvent)) return runEvent
  if (entry.counts.failed > 0 && events.includes('instance.failed')) return 'instance.failed'
  return undefined
}

/** The event of `entry` that `channel` wants, if any: the run's outcome first, else a failed instance. */
export function eventFor(channel: Pick<StoredChannel, 'enabled' | 'events' | 'rules'>, entry: Pick<LogEntry, 'ruleName' | 'status' | 'counts'>): ChannelEvent | undefined {
  return channelWants(channel, [entry.ruleName]) ? runEventFor(channel.events, entry) : undefined
}

/** A run as a subject: its deliveries expire with it. */
export function runSubject(deps: Pick<NotifyDeps, 'retentionDays' | 'settings'>, entry: LogEntry): Subject {
  return {
    eventId: entry.eventId,
    rules: [entry.ruleName],
    eventFor: events => runEventFor(events, entry),
    notice: (event, deliveryId) => runNotice(entry, event, deliveryId, deps.settings.baseUrl),
    expiresAt: Math.floor(Date.parse(entry.startedAt) / 1000) + deps.retentionDays * 86_400,
    keepNotice: false,
  }
}

interface Attempted {
  status: 'delivered' | 'failed' | 'pending'
  attempts: number
  httpStatus?: number
  body?: string
  error?: string
}

/** Attempts until delivered, refused, out of attempts, or out of time (then `pending`). */
async function deliverWithRetries(deps: NotifyDeps, channel: StoredChannel, notice: RunNotice, deadline: number, maxAttempts: number): Promise<Attempted> {
  const clock = deps.clock ?? Date.now
  const sleep = deps.sleep ?? defaultSleep
  const backoff = { ...DEFAULT_BACKOFF, ...deps.backoff, random: deps.random ?? Math.random }
  let last: Attempted = { status: 'pending', attempts: 0, error: 'the deadline passed before the first attempt' }
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const left = deadline - clock()
    if (left <= 0) return { ...last, status: 'pending' }
    const result = await attemptDelivery(channel, notice, {
      outbound: { allowPrivate: deps.settings.allowPrivate },
      timeoutMs: Math.min(deps.settings.timeoutMs, left),
      region: deps.region,
      aws: deps.aws,
    })
    last = { status: 'failed', attempts: attempt, httpStatus: result.httpStatus, body: result.body, error: result.error }
    if (result.outcome === 'delivered') return { status: 'delivered', attempts: attempt, httpStatus: result.httpStatus, body: result.body }
    if (result.outcome === 'refused' || attempt === maxAttempts) return last
    const wait = backoffDelay(attempt - 1, backoff)
    if (clock() + wait >= deadline) return { ...last, status: 'pending' }
    await sleep(wait)
  }
  return last
}

function record(base: Omit<StoredDelivery, 'status' | 'attempts' | 'httpStatus' | 'error'>, result: Attempted): StoredDelivery {
  return {
    ...base,
    status: result.status,
    attempts: result.attempts,
    ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}),
    ...(result.error ? { error: result.error.slice(0, 500) } : {}),
  }
}

/** Delivers one subject's notice to one channel once: claimed, attempted, recorded. Answers the record, or undefined when another delivery has it. */
async function deliverOnce(deps: NotifyDeps, channel: StoredChannel, subject: Subject, event: ChannelEvent, deadline: number, attemptsSoFar: number): Promise<DeliveryRecord | undefined> {
  const deliveryId = deliveryIdOf(subject.part ? `${subject.eventId}#${subject.part}` : subject.eventId, channel.name)
  const base = {
    eventId: subject.eventId,
    channel: channel.name,
    type: channel.type,
    event,
    deliveryId,
    ...(subject.part ? { part: subject.part } : {}),
    at: new Date(deps.clock?.() ?? Date.now()).toISOString(),
    expiresAt: subject.expiresAt,
  }
  if (!(await deps.repository.claimDelivery({ ...base, status: 'sending', attempts: attemptsSoFar }, SENDING_STALE_MS))) return undefined
  const notice = subject.notice(event, deliveryId)
  const left = deps.settings.attempts - attemptsSoFar
  const result: Attempted = left > 0
    ? await deliverWithRetries(deps, channel, notice, deadline, left)
    : { status: 'failed', attempts: 0, error: `gave up after ${attemptsSoFar} attempts` }
  const done = record(base, { ...result, attempts: attemptsSoFar + result.attempts })
  await deps.repository.recordDelivery(done, subject.keepNotice ? JSON.stringify(notice) : undefined)
  const { eventId: _e, expiresAt: _x, ...shown } = done
  return shown
}

const keyOf = (d: { channel: string, part?: string }) => (d.part ? `${d.channel}#${d.part}` : d.channel)

/**
 * Sends `subject`'s notice to every channel that wants it, within the deadline; answers the deliveries made now.
 * Never throws: a failure is recorded on the delivery, or logged when even that fails.
 */
export async function notifySubject(deps: NotifyDeps, subject: Subject, only?: { channel: string, event: ChannelEvent }): Promise<DeliveryRecord[]> {
  const what = subject.part ? `${subject.eventId} (${subject.part})` : subject.eventId
  try {
    const deadline = (deps.clock?.() ?? Date.now()) + deps.settings.deadlineMs
    const channels = await deps.repository.list()
    const wanted = only
      ? channels.filter(c => c.name === only.channel && c.enabled).map(channel => ({ channel, event: only.event }))
      : channels.filter(c => channelWants(c, subject.rules)).map(channel => ({ channel, event: subject.eventFor(channel.events) })).filter(w => w.event)
    if (wanted.length === 0) return []
    // A delivery already recorded is done (or is another process's): only the pending ones are taken again.
    const previous = new Map((await deps.repository.deliveriesOf(subject.eventId)).map(d => [keyOf(d), d]))
    const results = await Promise.all(wanted.map(async ({ channel, event }) => {
      const before = previous.get(keyOf({ channel: channel.name, part: subject.part }))
      if (before && before.status !== 'pending' && before.status !== 'sending') return undefined
      try {
        return await deliverOnce(deps, channel, subject, event!, deadline, before?.attempts ?? 0)
      }
      catch (error) {
        deps.logger?.warn(`[notifications] ${what} to channel '${channel.name}': could not record the delivery: ${(error as Error).message}`)
        return undefined
      }
    }))
    const made = results.filter((r): r is DeliveryRecord => Boolean(r))
    for (const d of made) {
      if (d.status !== 'delivered') deps.logger?.warn(`[notifications] ${what} to channel '${d.channel}': ${d.status} after ${d.attempts} attempts${d.error ? `: ${d.error}` : ''}`)
    }
    if (made.some(d => d.status === 'pending') && deps.retryLater) {
      await deps.retryLater(subject.eventId).catch(error => deps.logger?.warn(`[notifications] ${what}: could not arm the retry of its pending deliveries (the reconcile sends them): ${(error as Error).message}`))
    }
    return made
  }
  catch (error) {
    deps.logger?.warn(`[notifications] ${what}: no notification sent: ${(error as Error).message}`)
    return []
  }
}

/** Sends a run's notices to every channel that wants them (after its log is written); never throws. */
export function notifyRun(deps: NotifyDeps, entry: LogEntry): Promise<DeliveryRecord[]> {
  return notifySubject(deps, runSubject(deps, entry))
}

/** A pending delivery whose notice was kept, as the subject it was: resent as it was, to its channel only. */
function storedSubject(pending: PendingDelivery & { notice: string }, expiresAt: number): Subject {
  const notice = JSON.parse(pending.notice) as RunNotice
  return {
    eventId: pending.eventId,
    ...(pending.part ? { part: pending.part as 'follow-up' } : {}),
    rules: [],
    eventFor: () => notice.event as ChannelEvent,
    notice: () => notice,
    expiresAt,
    keepNotice: true,
  }
}

/** Sends the pending deliveries of one run (its retry's schedule or timer fired); answers the deliveries made. */
export async function retryRun(deps: NotifyDeps, logs: Pick<LogsRepository, 'get'>, eventId: string): Promise<DeliveryRecord[]> {
  const entry = await logs.get(eventId).catch(() => undefined)
  const made = entry ? await notifyRun(deps, entry) : []
  // The notices no log rebuilds (a follow-up's, a drift's, an override's) were kept with their pending delivery.
  const kept = (await deps.repository.pendingOf(eventId)).filter((p): p is PendingDelivery & { notice: string } => Boolean(p.notice))
  const records = kept.length ? new Map((await deps.repository.deliveriesOf(eventId)).map(d => [keyOf(d), d])) : new Map()
  for (const p of kept) {
    const notice = JSON.parse(p.notice) as RunNotice
    const expiresAt = records.get(keyOf(p))?.expiresAt ?? Math.floor((deps.clock?.() ?? Date.now()) / 1000) + deps.retentionDays * 86_400
    made.push(...await notifySubject(deps, storedSubject(p, expiresAt), { channel: p.channel, event: notice.event as ChannelEvent }))
  }
  return made
}

/** Retries the deliveries left pending by a deadline, each run's within its own deadline; answers how many runs were tried. */
export async function retryPending(deps: NotifyDeps, logs: Pick<LogsRepository, 'get'>): Promise<number> {
  const runs = await deps.repository.pendingRuns()
  for (const eventId of runs) await retryRun(deps, logs, eventId)
  return runs.length
}

/** Sends a test notice to `channel` once (no retry, nothing recorded) and answers what the receiver answered. */
export async function sendTestNotice(deps: Pick<NotifyDeps, 'settings' | 'region' | 'aws'>, channel: StoredChannel, deliveryId: string): Promise<ChannelTestResult> {
  const notice: RunNotice = {
    event: TEST_EVENT,
    deliveryId,
    rule: '',
    eventId: '',
    status: 'test',
    counts: { total: 0, acted: 0, skipped: 0, failed: 0 },
    message: `A test notification from Ouroboros for the channel '${channel.name}': it arrives.`,
    failed: [],
    url: `${deps.settings.baseUrl}/channels`,
  }
  const result = await attemptDelivery(channel, notice, { outbound: { allowPrivate: deps.settings.allowPrivate }, timeoutMs: deps.settings.timeoutMs, region: deps.region, aws: deps.aws })
  return {
    ok: result.outcome === 'delivered',
    deliveryId,
    attempts: 1,
    ...(result.httpStatus ? { httpStatus: result.httpStatus } : {}),
    ...(result.body ? { body: result.body } : {}),
    ...(result.error ? { error: result.error } : {}),
  }
}
