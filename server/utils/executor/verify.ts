// Verifying: after EC2 accepted a start or stop, poll the instances until each has really reached its
// target state, or the wait is over. "Accepted" is not "done": a start whose EBS volume uses a
// customer-managed KMS key the role cannot use (no kms:CreateGrant) goes pending -> stopped silently.
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import type { EC2Client, Instance } from '@aws-sdk/client-ec2'
import { awsErrorCode, describeAwsError } from '../aws/errors'
import { withThrottlingRetry } from '../aws/retry'
import type { BackoffOptions } from '../aws/retry'
import { chunked } from './act'
import type { InstanceAction } from './find'
import { runReason } from '#shared/run-reasons'

/** Reads the current state of instances; an id missing from the answer no longer exists. */
export type DescribeStates = (ids: string[]) => Promise<Record<string, string>>

// DescribeInstances takes up to 1000 InstanceIds per call, without MaxResults (EC2 rejects the two together).
const IDS_PER_CALL = 1000
// Filter values are capped lower than InstanceIds; used only when some id no longer exists.
const FILTER_VALUES_PER_CALL = 200
// Every state EC2 has for an instance.
const INSTANCE_STATES = ['pending', 'running', 'shutting-down', 'terminated', 'stopping', 'stopped']

function statesOf(instances: Instance[]): Record<string, string> {
  return Object.fromEntries(instances.filter(i => i.InstanceId).map(i => [i.InstanceId!, i.State?.Name ?? 'unknown']))
}

/**
 * The real reader: DescribeInstances by id, in chunks, with throttling retried. With `settled` (the state the
 * action aims at), it asks only for the instances in any other state, so EC2 answers just those still on their
 * way, not the whole fleet again on every read: an id it leaves out is in `settled`, as InstanceIds fails the
 * call with InvalidInstanceID.NotFound when one of them does not exist. Only then are the states read in full.
 */
export function ec2DescribeStates(ec2: EC2Client, backoff?: Partial<BackoffOptions>, settled?: string): DescribeStates {
  const unsettled = settled ? [{ Name: 'instance-state-name', Values: INSTANCE_STATES.filter(s => s !== settled) }] : undefined
  return async (ids) => {
    const states: Record<string, string> = {}
    for (const chunk of chunked(ids, IDS_PER_CALL)) {
      try {
        const out = await withThrottlingRetry(() => ec2.send(new DescribeInstancesCommand({ InstanceIds: chunk, Filters: unsettled })), backoff)
        if (settled) for (const id of chunk) states[id] = settled
        Object.assign(states, statesOf((out.Reservations ?? []).flatMap(r => r.Instances ?? [])))
      }
      catch (error) {
        // InstanceIds fails the whole call when one id is unknown; an instance-id filter just leaves it out.
        if (awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw error
        for (const values of chunked(chunk, FILTER_VALUES_PER_CALL)) {
          let NextToken: string | undefined
          do {
            const token = NextToken
            const out = await withThrottlingRetry(() => ec2.send(new DescribeInstancesCommand({
              Filters: [{ Name: 'instance-id', Values: values }],
              MaxResults: 1000,
              NextToken: token,
            })), backoff)
            Object.assign(states, statesOf((out.Reservations ?? []).flatMap(r => r.Instances ?? [])))
            NextToken = out.NextToken || undefined
          } while (NextToken)
        }
      }
    }
    return states
  }
}

export interface VerifyOptions {
  action: InstanceAction
  /** How long to wait for the target state, in all. 0 still reads the states once. */
  timeoutMs: number
  /** The pause between two reads. */
  intervalMs: number
  now: () => number
  sleep: (ms: number) => Promise<void>
}

/** How one acted-on instance ended. `reached` false makes it a failure, except a stop still "stopping". */
export interface Verified {
  instanceId: string
  state?: string
  reached: boolean
  reason?: string
}

export const KMS_REASON = runReason('kms')

// Without having seen `pending`, `stopped` right after StartInstances may just be DescribeInstances'
// eventual consistency: only this many `stopped` reads in a row count as the start having failed.
const STOPPED_READS_TO_FAIL = 3

/**
 * Polls until every instance is `running` (start) or `stopped` (stop, hibernated included), or the wait is over.
 * At the end of the wait: a start still `pending` has failed (only `running` counts as started), while a stop
 * still `stopping` counts as stopped, with a reason saying it was not yet confirmed (EC2 has accepted it and
 * a stop cannot be undone by the instance). `initial` holds the states the Start/Stop call answered.
 */
export async function verifyStates(ids: readonly string[], initial: Record<string, string | undefined>, describe: DescribeStates, options: VerifyOptions): Promise<Verified[]> {
  const target = options.action === 'start' ? 'running' : 'stopped'
  const last = new Map<string, string | undefined>(ids.map(id => [id, initial[id]]))
  const done = new Map<string, Verified>()
  const seenPending = new Set<string>()
  const stoppedReads = new Map<string, number>()
  const deadline = options.now() + options.timeoutMs
  let readError: string | undefined

  const open = () => ids.filter(id => !done.has(id))
  while (open().length > 0) {
    let states: Record<string, string>
    try {
      states = await describe(open())
    }
    catch (error) {
      readError = describeAwsError(error)
      break
    }
    for (const id of open()) {
      const state = states[id]
      last.set(id, state)
      if (state === target) done.set(id, { instanceId: id, state, reached: true })
      else if (state === undefined || state === 'terminated' || state === 'shutting-down') {
        done.set(id, { instanceId: id, state, reached: false, reason: state ? runReason('goneMeanwhile', { state }) : runReason('gone') })
      }
      else if (options.action === 'start' && state === 'pending') seenPending.add(id)
      else if (options.action === 'start' && state === 'stopped') {
        const reads = (stoppedReads.get(id) ?? 0) + 1
        stoppedReads.set(id, reads)
        if (seenPending.has(id) || reads >= STOPPED_READS_TO_FAIL) done.set(id, { instanceId: id, state, reached: false, reason: KMS_REASON })
      }
    }
    const left = deadline - options.now()
    if (open().length === 0 || left <= 0) break
    await options.sleep(Math.min(options.intervalMs, left))
  }

  // Why an instance is not confirmed: the wait is over, or the states could not be read.
  const why = readError ? runReason('statesUnreadable', { error: readError }) : runReason('waitOver', { seconds: Math.round(options.timeoutMs / 1000) })
  for (const id of open()) {
    const state = last.get(id)
    if (options.action === 'stop' && state === 'stopping') {
      done.set(id, { instanceId: id, state, reached: true, reason: runReason('stillStopping', { why }) })
    }
    else if (options.action === 'start' && state === 'stopped') {
      done.set(id, { instanceId: id, state, reached: false, reason: KMS_REASON })
    }
    else {
      done.set(id, { instanceId: id, state, reached: false, reason: runReason('notReached', { target, why, state: state ?? 'unknown' }) })
    }
  }
  return ids.map(id => done.get(id)!)
}
