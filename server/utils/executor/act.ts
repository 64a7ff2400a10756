// Acting on instances: StartInstances/StopInstances in batches. A batch that fails is split in halves and
// each half retried, down to single instances, so one bad instance fails alone (the "bisect retry" of
// Instance Scheduler on AWS, util/batch.py). EC2 documents no maximum of ids per call; batches keep each
// call's blast radius and the StartInstances resource bucket (1000 instances, 2/s) in check.
import { StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2'
import type { EC2Client, InstanceStateChange } from '@aws-sdk/client-ec2'
import { awsErrorCode, describeAwsError, isCallerLevelError } from '../aws/errors'
import { isThrottlingError, withThrottlingRetry } from '../aws/retry'
import type { BackoffOptions } from '../aws/retry'
import type { InstanceAction } from './find'

/** One instance to act on; `hibernate` only for a stop. */
export interface ActItem {
  instanceId: string
  hibernate: boolean
  /** A remark decided before acting (e.g. hibernation not configured), kept in the outcome. */
  note?: string
}

/** What EC2 made of the request for one instance. */
export type ActOutcome
  = | { instanceId: string, accepted: true, hibernate: boolean, note?: string, state?: string }
    | { instanceId: string, accepted: false, error: string, note?: string }

/** Sends one Start/Stop call for `ids`; answers each instance's state as the call reported it. Throws what EC2 throws. */
export type ActCall = (ids: string[], hibernate: boolean) => Promise<Record<string, string | undefined>>

/** The real call: StartInstances or StopInstances on one client, with throttling retried. */
export function ec2ActCall(ec2: EC2Client, action: InstanceAction, backoff?: Partial<BackoffOptions>): ActCall {
  return async (ids, hibernate) => {
    const out = await withThrottlingRetry(async () => {
      if (action === 'start') return (await ec2.send(new StartInstancesCommand({ InstanceIds: ids }))).StartingInstances
      return (await ec2.send(new StopInstancesCommand({ InstanceIds: ids, ...(hibernate ? { Hibernate: true } : {}) }))).StoppingInstances
    }, backoff)
    return Object.fromEntries((out ?? []).map((c: InstanceStateChange) => [c.InstanceId, c.CurrentState?.Name]))
  }
}

/**
 * True for EC2's answer that an instance cannot hibernate (UnsupportedHibernationConfiguration, or an
 * UnsupportedOperation / IncorrectState naming hibernation): such instances are stopped normally instead.
 */
export function isHibernationError(error: unknown): boolean {
  const code = awsErrorCode(error)
  return code === 'UnsupportedHibernationConfiguration' || /hibernat/i.test((error as Error)?.message ?? '')
}

/** Splits a list into chunks of at most `size`. */
export function chunked<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = []
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size))
  return chunks
}

/**
 * Acts on every item, `batchSize` at a time, one call after another (the region's calls share EC2's
 * per-account token bucket, so more parallelism would only be throttled). Answers one outcome per item:
 * no instance is dropped, whatever fails.
 */
export async function actInBatches(items: readonly ActItem[], batchSize: number, call: ActCall): Promise<ActOutcome[]> {
  const outcomes = new Map<string, ActOutcome>()
  const notes = new Map(items.filter(i => i.note).map(i => [i.instanceId, i.note!]))

  async function send(ids: string[], hibernate: boolean, fallback?: string): Promise<void> {
    try {
      const states = await call(ids, hibernate)
      for (const id of ids) {
        const note = [notes.get(id), fallback].filter(Boolean).join('; ') || undefined
        outcomes.set(id, { instanceId: id, accepted: true, hibernate, state: states[id], ...(note ? { note } : {}) })
      }
      return
    }
    catch (error) {
      // Hibernation refused for a single instance: stop it normally and say so.
      if (hibernate && ids.length === 1 && isHibernationError(error)) {
        return send(ids, false, `could not hibernate (${describeAwsError(error)}): stopped without hibernating`)
      }
      // Throttling was already retried, and caller-level errors fail every half alike: splitting cannot help.
      const splittable = ids.length > 1 && !isThrottlingError(error) && !isCallerLevelError(error)
      if (!splittable) {
        const message = describeAwsError(error)
        for (const id of ids) {
          const note = notes.get(id)
          outcomes.set(id, { instanceId: id, accepted: false, error: message, ...(note ? { note } : {}) })
        }
        return
      }
      const half = Math.ceil(ids.length / 2)
      await send(ids.slice(0, half), hibernate, fallback)
      await send(ids.slice(half), hibernate, fallback)
    }
  }

  // Hibernating and plain stops cannot share a call: Hibernate applies to every id in it.
  for (const hibernate of [false, true]) {
    const ids = items.filter(i => i.hibernate === hibernate).map(i => i.instanceId)
    for (const batch of chunked(ids, batchSize)) await send(batch, hibernate)
  }
  return items.map(i => outcomes.get(i.instanceId)!)
}
