// A Scheduler client on moto, with a switch to make chosen operations fail (moto never fails by itself).
import { SchedulerClient } from '@aws-sdk/client-scheduler'

export interface FaultySchedulerClient {
  client: SchedulerClient
  /** Operations that fail from now on, e.g. ['CreateScheduleCommand']; empty to heal. */
  failing: Set<string>
  /** How many calls each operation received. */
  calls: Map<string, number>
  /** Runs once right after the next successful call of an operation: someone else acting in between. */
  after: Map<string, () => Promise<unknown>>
}

/** A real moto-backed client whose middleware throws a ServiceUnavailable for the operations in `failing`. */
export function faultySchedulerClient(): FaultySchedulerClient {
  const client = new SchedulerClient({ region: 'us-east-1', endpoint: process.env.MOTO_ENDPOINT, maxAttempts: 1 })
  const failing = new Set<string>()
  const calls = new Map<string, number>()
  const after = new Map<string, () => Promise<unknown>>()
  client.middlewareStack.add((next, context) => async (args) => {
    const op = context.commandName as string
    calls.set(op, (calls.get(op) ?? 0) + 1)
    if (failing.has(op)) {
      const error = new Error(`injected failure of ${op}`)
      error.name = 'ServiceUnavailableException'
      throw error
    }
    const result = await next(args)
    const interfere = after.get(op)
    if (interfere) {
      after.delete(op)
      await interfere()
    }
    return result
  }, { step: 'initialize', name: 'inject-faults' })
  return { client, failing, calls, after }
}
