// Counting AWS API calls: a middleware on each SDK client records every HTTP request it sends (SDK retries
// included), by operation, with the time each took, and can add a fixed delay to each to model AWS's round trip.
// One meter per measured phase.
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { RDSClient } from '@aws-sdk/client-rds'
import type { STSClient } from '@aws-sdk/client-sts'

export interface OperationStats {
  calls: number
  /** Time spent in these calls, summed (they may overlap when calls run concurrently). */
  ms: number
}

export interface Meter {
  /** Adds the counting middleware to `client` (once per client) and answers the client. */
  attach: <C extends EC2Client | STSClient | RDSClient | AutoScalingClient>(client: C) => C
  /** Calls by operation (`DescribeInstances`, `AssumeRole`, ...), sorted by name. */
  byOperation: () => Record<string, OperationStats>
  total: () => number
}

let meters = 0

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** A new meter; `latencyMs` (default 0) is waited before each request is sent, and counted in its time. */
export function createMeter(latencyMs = 0): Meter {
  const name = `benchMeter${++meters}`
  const stats = new Map<string, OperationStats>()
  const attached = new WeakSet<object>()

  const record = (operation: string, ms: number) => {
    const s = stats.get(operation) ?? { calls: 0, ms: 0 }
    s.calls++
    s.ms += ms
    stats.set(operation, s)
  }

  return {
    attach(client) {
      if (attached.has(client)) return client
      attached.add(client)
      // The clients' stacks differ only in their input and output types: one signature serves them all.
      const stack = client.middlewareStack as unknown as EC2Client['middlewareStack']
      // The deserialize step runs once per HTTP attempt, after the retry middleware: retries count as calls.
      stack.add(
        (next, context) => async (args) => {
          const t0 = performance.now()
          try {
            if (latencyMs > 0) await sleep(latencyMs)
            return await next(args)
          }
          finally {
            record(String(context.commandName).replace(/Command$/, ''), performance.now() - t0)
          }
        },
        { step: 'deserialize', name },
      )
      return client
    },
    byOperation: () => Object.fromEntries([...stats].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }])),
    total: () => [...stats.values()].reduce((sum, s) => sum + s.calls, 0),
  }
}
