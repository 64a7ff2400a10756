// Acting on resources whose API takes one at a time (StopDBInstance, StopDBCluster, UpdateAutoScalingGroup): one call
// each, one after another (the region's calls share the service's request bucket), throttling retried, and a refusal
// kept to its resource, so one database in the wrong state fails alone and the others go on.
import { describeAwsError } from '../../aws/errors'
import { withThrottlingRetry } from '../../aws/retry'
import type { BackoffOptions } from '../../aws/retry'
import type { Acted } from './types'

/** Calls `act` for each item; answers one outcome each, the state the call answered when it was accepted. */
export async function actOneByOne<T>(items: readonly T[], idOf: (item: T) => string, act: (item: T) => Promise<string | undefined>, backoff?: Partial<BackoffOptions>, noteOf?: (item: T) => string | undefined): Promise<Acted[]> {
  const outcomes: Acted[] = []
  for (const item of items) {
    const instanceId = idOf(item)
    const note = noteOf?.(item)
    try {
      const state = await withThrottlingRetry(() => act(item), backoff)
      outcomes.push({ instanceId, accepted: true, ...(state ? { state } : {}), ...(note ? { note } : {}) })
    }
    catch (error) {
      outcomes.push({ instanceId, accepted: false, error: describeAwsError(error), ...(note ? { note } : {}) })
    }
  }
  return outcomes
}
