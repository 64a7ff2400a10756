// Counting AWS SDK calls: a middleware that records every operation a client sends (by name, with its
// outcome), the HTTP attempts under the SDK's retries, and can add a fixed delay per call to model a remote service.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { SchedulerClient } from '@aws-sdk/client-scheduler'

/** The part of an AWS SDK v3 client's middleware stack this uses, without its per-service generics. */
interface WithMiddleware {
  middlewareStack: {
    add: (
      middleware: (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) => (args: unknown) => Promise<unknown>,
      options: { step: 'initialize' | 'deserialize', name: string },
    ) => void
  }
}

export interface CallRecord {
  /** The operation, without the SDK's "Command" suffix: ListSchedules, GetSchedule, Query... */
  op: string
  /** The resource it named (a schedule's Name), when it named one. */
  name?: string
  ok: boolean
  /** The error's name when it failed, e.g. ResourceNotFoundException. */
  error?: string
  /** From send to answer, in ms, the added latency included. */
  ms: number
}

export interface CallCounter {
  /** Every call since the last reset, in the order they were sent. */
  readonly records: CallRecord[]
  /** HTTP attempts since the last reset: more than the calls when the SDK retried. */
  readonly attempts: () => number
  /** Calls by operation, failed ones included. */
  byOp: () => Map<string, number>
  /** Time spent in calls by operation, in ms (summed: concurrent calls overlap). */
  msByOp: () => Map<string, number>
  /** Calls of one operation; only the succeeded ones when `okOnly`. */
  count: (op: string, okOnly?: boolean) => number
  total: () => number
  reset: () => void
  /** Delay added before each call is sent, in ms: 0 (the default) adds none. */
  latencyMs: number
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** Adds counting middleware to `client` and answers the counter. */
export function countCalls(sdkClient: SchedulerClient | DynamoDBClient, label: string): CallCounter {
  const client = sdkClient as unknown as WithMiddleware
  let attempts = 0
  const counter: CallCounter = {
    records: [],
    attempts: () => attempts,
    byOp: () => {
      const out = new Map<string, number>()
      for (const r of counter.records) out.set(r.op, (out.get(r.op) ?? 0) + 1)
      return out
    },
    msByOp: () => {
      const out = new Map<string, number>()
      for (const r of counter.records) out.set(r.op, (out.get(r.op) ?? 0) + r.ms)
      return out
    },
    count: (op, okOnly = false) => counter.records.filter(r => r.op === op && (!okOnly || r.ok)).length,
    total: () => counter.records.length,
    reset: () => {
      counter.records.length = 0
      attempts = 0
    },
    latencyMs: 0,
  }
  // One record per call as the code sends it (above the SDK's retries).
  client.middlewareStack.add((next, context) => async (args) => {
    const op = (context.commandName ?? 'Unknown').replace(/Command$/, '')
    const input = (args as { input?: { Name?: unknown } }).input
    const record: CallRecord = { op, ok: false, ms: 0, ...(typeof input?.Name === 'string' ? { name: input.Name } : {}) }
    counter.records.push(record)
    const t0 = performance.now()
    if (counter.latencyMs > 0) await sleep(counter.latencyMs)
    try {
      const out = await next(args)
      record.ok = true
      return out
    }
    catch (e) {
      record.error = (e as Error)?.name ?? 'Error'
      throw e
    }
    finally {
      record.ms = performance.now() - t0
    }
  }, { step: 'initialize', name: `bench-count-${label}` })
  // Below the retry middleware: once per HTTP attempt.
  client.middlewareStack.add(next => async (args) => {
    attempts++
    return next(args)
  }, { step: 'deserialize', name: `bench-attempts-${label}` })
  return counter
}
