// Each delivery of a run acts at most once (as Powertools keeps idempotency in a module of its own): a redelivered
// execution answers its log; deliveries of one execution at the same moment race for a claim, a conditional put of
// the execution id, and only the winner acts; the log itself is a conditional put too, so it is written once.
import { randomUUID } from 'node:crypto'
import type { ExecutionPayload } from '#shared/schemas/execution'
import type { LogEntry } from '#shared/schemas/log'
import { LogExists, LogNotFound, RunInProgress } from '../errors'
import type { LogsRepository } from '../logs'

/** What running once needs: the logs, and the clock, sleep, ids and logger a test may inject. */
export interface OnceDeps {
  logs: Pick<LogsRepository, 'get' | 'put' | 'claim' | 'release'> & Partial<Pick<LogsRepository, 'heartbeat'>>
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  newId?: () => string
  logger?: Pick<Console, 'info' | 'warn'>
  /** How often a claim's holder renews it; default CLAIM_HEARTBEAT_MS. */
  heartbeatMs?: number
}

// The holder of a claim renews it every CLAIM_HEARTBEAT_MS while it runs; one not renewed for CLAIM_STALE_MS belongs
// to a delivery that died (a Lambda timeout, a crash): the next delivery takes it over and, for a run over several
// accounts, goes on from its journal. Without heartbeats (a repository that cannot renew), a claim is stale only
// after Lambda's longest timeout.
export const CLAIM_HEARTBEAT_MS = 20_000
export const CLAIM_STALE_MS = 90_000
const CLAIM_STALE_UNRENEWED_MS = 16 * 60_000
// How long a second delivery waits for the first one's log before it gives up (and is retried).
const OTHER_DELIVERY_WAIT_MS = 10_000
const OTHER_DELIVERY_POLL_MS = 500

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * Runs `run(eventId)` for this delivery at most once. The eventId is the payload's executionId, or a new UUID.
 * A redelivered executionId that is already logged answers that log and runs nothing. Deliveries of one
 * executionId at the same moment race for a claim: the winner runs; the others run nothing and answer its log,
 * or throw RunInProgress when it takes longer than a few seconds (a Lambda retry later answers the log).
 */
export async function runOnce<R extends LogEntry | object>(deps: OnceDeps, payload: ExecutionPayload, run: (eventId: string) => Promise<R>): Promise<R | LogEntry> {
  const eventId = payload.executionId ?? (deps.newId ?? randomUUID)()
  if (!payload.executionId) return run(eventId)
  const existing = await existingLog(deps.logs, eventId)
  if (existing) {
    deps.logger?.info(`[executor] run ${eventId} of '${payload.rule}' is already logged: redelivery, nothing done`)
    return existing
  }
  // Two deliveries of one execution at the same moment both pass the check above: the claim lets one act.
  if (!(await claimRun(deps, eventId))) return awaitOtherDelivery(deps, payload, eventId, run)
  return runClaimed(deps, eventId, run)
}

const staleAfter = (deps: OnceDeps) => (deps.logs.heartbeat ? CLAIM_STALE_MS : CLAIM_STALE_UNRENEWED_MS)
/** Claims run `eventId` for this delivery: true when none held it, or its holder stopped renewing it. */
export const claimRun = (deps: OnceDeps, eventId: string) => deps.logs.claim(eventId, deps.now?.() ?? new Date(), staleAfter(deps))

/**
 * Runs `fn` holding the claim `key` (not a run's own: a chunk's, say), renewed while it lasts, given up after; answers
 * null, running nothing, when another live delivery holds it.
 */
export async function withClaim<T>(deps: OnceDeps, key: string, fn: () => Promise<T>): Promise<T | null> {
  if (!(await claimRun(deps, key))) return null
  return runClaimed(deps, key, fn)
}

/** Runs with the claim held, renewing it while the run lasts, and gives it up after. */
async function runClaimed<T>(deps: OnceDeps, eventId: string, run: (eventId: string) => Promise<T>): Promise<T> {
  const beat = deps.logs.heartbeat
  // A timer of real time: the claim's age is judged by the store's clock readers, and a test's instant never moves.
  const timer = beat && setInterval(() => {
    beat(eventId, deps.now?.() ?? new Date()).catch(error => deps.logger?.warn(`[executor] run ${eventId}: its claim was not renewed: ${(error as Error).message}`))
  }, deps.heartbeatMs ?? CLAIM_HEARTBEAT_MS)
  if (timer) timer.unref()
  try {
    return await run(eventId)
  }
  finally {
    if (timer) clearInterval(timer)
    // Logged, or failed before logging (a retry may then run it): either way the claim has done its work.
    await deps.logs.release(eventId).catch(error => deps.logger?.warn(`[executor] could not release the claim of run ${eventId}: ${(error as Error).message}`))
  }
}

/**
 * The answer of the delivery that holds the claim: its log, once written; RunInProgress if it takes longer. A claim
 * that goes stale while this one waits (its holder died) is taken over, and this delivery runs.
 */
async function awaitOtherDelivery<R>(deps: OnceDeps, payload: ExecutionPayload, eventId: string, run: (eventId: string) => Promise<R>): Promise<R | LogEntry> {
  deps.logger?.info(`[executor] run ${eventId} of '${payload.rule}' is being run by another delivery: waiting for its log, acting on nothing`)
  const sleep = deps.sleep ?? defaultSleep
  for (let waited = 0; waited < OTHER_DELIVERY_WAIT_MS; waited += OTHER_DELIVERY_POLL_MS) {
    const logged = await existingLog(deps.logs, eventId)
    if (logged) return logged
    if (waited > 0 && await claimRun(deps, eventId)) {
      deps.logger?.info(`[executor] run ${eventId} of '${payload.rule}': its claim went stale, taking the run over`)
      return runClaimed(deps, eventId, run)
    }
    await sleep(OTHER_DELIVERY_POLL_MS)
  }
  const logged = await existingLog(deps.logs, eventId)
  if (logged) return logged
  throw new RunInProgress(eventId)
}

/** Answers the log entry of `eventId`, or null when there is none. */
async function existingLog(logs: OnceDeps['logs'], eventId: string): Promise<LogEntry | null> {
  try {
    return await logs.get(eventId)
  }
  catch (error) {
    if (error instanceof LogNotFound) return null
    throw error
  }
}

/**
 * Writes the entry once, every target's outcome (the repository pages them); when a concurrent delivery of the same
 * event wrote first, answers that one.
 */
export async function writeOnce(deps: OnceDeps, entry: LogEntry): Promise<LogEntry> {
  try {
    await deps.logs.put(entry)
    return entry
  }
  catch (error) {
    if (!(error instanceof LogExists)) throw error
    deps.logger?.warn(`[executor] run ${entry.eventId} of '${entry.ruleName}' was logged by a concurrent delivery: keeping that log`)
    return deps.logs.get(entry.eventId)
  }
}
