// A run that leaves an instance alone because of an override records what the rule asked for, to be done when the
// override ends (the revert), and arms its timer or one-time schedule. Should the timer fail, the revert stays recorded
// and reconcileReverts arms it; the run's log says so on the instance.
import type { RevertsRepository } from '../overrides/reverts'
import type { RevertTimers } from '../schedules/reverts'
import type { ResourceType } from '#shared/resource-types'
import type { InstanceAction } from './find'
import type { InstanceDecision } from './decision'
import type { OverrideSource } from '#shared/schemas/override'

/** The reverts' store and timers. */
export interface RevertDeps {
  repository: Pick<RevertsRepository, 'record' | 'get' | 'done' | 'pending'>
  /** `put` arms one; the reconciler also lists, checks and removes them. */
  timers: Pick<RevertTimers, 'put' | 'armed' | 'check' | 'remove'>
}

/** Tells `override.created` of a skip-until tag a run found (an API override is notified by its route). */
export type TagOverrideNotifier = (source: OverrideSource, target: { accountId: string, region: string, instanceId: string }, rule: string) => Promise<void>

/** The rule's firing that asks for a state. */
export interface AskingFiring {
  rule: string
  accountId: string
  action: InstanceAction
  hibernate: boolean
  timezone: string
  askedAt: string
}

/** Where a skipped resource's note goes in the answer of recordReverts: its id, and its type unless EC2. */
export const revertNoteKey = (type: ResourceType | undefined, instanceId: string) => (!type || type === 'ec2' ? instanceId : `${type}:${instanceId}`)

/**
 * Records and arms the revert of every instance skipped because of an override; answers, per instance whose revert could
 * not be armed, what to add to its reason.
 */
export async function recordReverts(deps: { reverts?: RevertDeps, notifyTagOverride?: TagOverrideNotifier, logger?: Pick<Console, 'warn'> }, firing: AskingFiring, region: string, skipped: { instanceId: string, resourceType?: ResourceType, decision: InstanceDecision }[]): Promise<Map<string, string>> {
  const notes = new Map<string, string>()
  if (!deps.reverts) return notes
  const { repository, timers } = deps.reverts
  for (const { instanceId, resourceType, decision } of skipped) {
    if (decision.act || !decision.override) continue
    try {
      const recorded = await repository.record({
        accountId: firing.accountId, region, instanceId, at: decision.override.until,
        action: firing.action, hibernate: firing.hibernate, rule: firing.rule, askedAt: firing.askedAt, timezone: firing.timezone,
        override: decision.override.source,
        ...(resourceType && resourceType !== 'ec2' ? { resourceType } : {}),
      })
      if (recorded) await timers.put(recorded)
      // A tag is an override nobody made through the app: the first run that records its revert tells the channels
      // (the notice's key is the tag's end, so later runs, and redeliveries, notify nothing new).
      if (recorded && decision.override.source.kind === 'tag') {
        await deps.notifyTagOverride?.(decision.override.source, { accountId: firing.accountId, region, instanceId }, firing.rule)
          .catch(error => deps.logger?.warn(`[executor] the override notice of ${instanceId} in ${region} was not sent: ${(error as Error).message}`))
      }
    }
    catch (error) {
      const message = (error as Error)?.message ?? String(error)
      deps.logger?.warn(`[executor] the revert of ${instanceId} in ${region} could not be armed: ${message}`)
      notes.set(revertNoteKey(resourceType, instanceId), `its revert at the override's end could not be armed now (the reconciler arms it): ${message}`)
    }
  }
  return notes
}
