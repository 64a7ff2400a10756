// Counting AWS API calls: a middleware on each SDK client records every HTTP request it sends (SDK retries
// included), by operation, with the time each took, and can add a fixed delay to each to model AWS's round trip.
// A second one counts the commands the code sent (once each, whatever the retries), to tell a retry from a second call.
// One meter per measured phase.
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { RDSClient } from '@aws-sdk/client-rds'
import type { STSClient } from '@aws-sdk/client-sts'

export interface OperationStats {
  /** HTTP requests sent, SDK retries included. */
  calls: number
  /** Commands the code sent (`client.send`), each counted once however often the SDK retried it. */
  commands: number
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

  const entry = (operation: string) => {
    const s = stats.get(operation) ?? { calls: 0, commands: 0, ms: 0 }
    stats.set(operation, s)
    return s
  }
  const opName = (context: { commandName?: string }) => String(context.commandName).replace(/Command$/, '')
  const record = (operation: string, ms: number) => {
    const s = entry(operation)
    s.calls++
    s.ms += ms
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
            record(opName(context), performance.now() - t0)
          }
        },
        { step: 'deserialize', name },
      )
      // The initialize step runs once per command, before the retry middleware.
      stack.add(
        (next, context) => async (args) => {
          entry(opName(context)).commands++
          return next(args)
        },
        { step: 'initialize', name: `${name}Commands` },
      )
      return client
    },
    byOperation: () => Object.fromEntries([...stats].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, { ...v }])),
    total: () => [...stats.values()].reduce((sum, s) => sum + s.calls, 0),
  }
}
