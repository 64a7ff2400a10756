// Finding a rule's instances in one region, and deciding for each whether to act on it or skip it (and why).
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import type { EC2Client, Filter as Ec2Filter, Instance } from '@aws-sdk/client-ec2'
import type { Filter } from '#shared/filters'
import { withThrottlingRetry } from '../aws/retry'
import type { BackoffOptions } from '../aws/retry'
import type { InstanceOverride } from './overrides'
import { optOutReason, withNote } from './decision'
import type { InstanceDecision } from './decision'
import { runReason } from '#shared/run-reasons'

export type InstanceAction = 'start' | 'stop'

/** One instance as the executor needs it. */
export interface FoundInstance {
  instanceId: string
  region: string
  name?: string
  /** EC2's InstanceType (t3.micro), which savings are priced by. */
  instanceType?: string
  state: string
  tags: Record<string, string>
  /** EC2's HibernationOptions.Configured; undefined when EC2 (or moto) does not say. */
  hibernationConfigured?: boolean
}

// The tag EC2 Auto Scaling puts on its instances: stopping one makes the group replace it.
export const ASG_TAG = 'aws:autoscaling:groupName'

// Instances already in the target state are found too, so the log can say "already stopped";
// terminated and shutting-down ones can never be started or stopped, so they are not asked for.
const STATES_TO_FIND: Record<InstanceAction, string[]> = {
  stop: ['pending', 'running', 'stopping', 'stopped'],
  start: ['stopped', 'stopping', 'pending', 'running'],
}

/** The rule's filters in EC2's shape (keys are EC2's own names), plus the instance states worth seeing. */
export function toEc2Filters(filters: Filter[], action: InstanceAction): Ec2Filter[] {
  return [
    ...filters.map(f => ({ Name: f.key, Values: f.values })),
    { Name: 'instance-state-name', Values: STATES_TO_FIND[action] },
  ]
}

/** Reduces an SDK instance to what the executor uses. */
export function toFoundInstance(instance: Instance, region: string): FoundInstance {
  const tags = Object.fromEntries((instance.Tags ?? []).map(t => [t.Key ?? '', t.Value ?? '']))
  return {
    instanceId: instance.InstanceId!,
    region,
    ...(tags.Name ? { name: tags.Name } : {}),
    ...(instance.InstanceType ? { instanceType: instance.InstanceType } : {}),
    state: instance.State?.Name ?? 'unknown',
    tags,
    hibernationConfigured: instance.HibernationOptions?.Configured,
  }
}

/** Every instance in the region that matches the filters (and is not terminated), across all pages. */
export async function findInstances(ec2: EC2Client, region: string, filters: Filter[], action: InstanceAction, backoff?: Partial<BackoffOptions>): Promise<FoundInstance[]> {
  const Filters = toEc2Filters(filters, action)
  const found: FoundInstance[] = []
  let NextToken: string | undefined
  do {
    const token = NextToken
    const page = await withThrottlingRetry(() => ec2.send(new DescribeInstancesCommand({ Filters, MaxResults: 1000, NextToken: token })), backoff)
    for (const reservation of page.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId) found.push(toFoundInstance(instance, region))
      }
    }
    NextToken = page.NextToken || undefined
  } while (NextToken)
  return found
}

export interface ClassifyOptions {
  action: InstanceAction
  hibernate: boolean
  optOutTag: { key: string, value: string }
}

/**
 * Decides for one instance. Skips, in this order: the opt-out tag (value compared case-insensitively, so
 * `True` opts out too), Auto Scaling group members, an active override (`found.override`), and instances already in
 * (or on their way to) the target state. `found.note` (an unreadable override tag) goes with the decision.
 */
export function classifyInstance(instance: FoundInstance, options: ClassifyOptions, found: { override?: InstanceOverride, note?: string } = {}): InstanceDecision {
  return withNote(decide(instance, options, found.override), found.note)
}

function decide(instance: FoundInstance, { action, hibernate, optOutTag }: ClassifyOptions, override?: InstanceOverride): InstanceDecision {
  const optOut = optOutReason(instance.tags, optOutTag)
  if (optOut) return { act: false, reason: optOut }
  const group = instance.tags[ASG_TAG]
  if (group !== undefined) {
    return { act: false, reason: runReason('asgMember', { group }) }
  }
  if (override) return { act: false, reason: override.reason, override }
  if (action === 'stop' && (instance.state === 'stopped' || instance.state === 'stopping')) {
    return { act: false, reason: runReason('already', { state: instance.state }) }
  }
  if (action === 'start' && instance.state === 'running') return { act: false, reason: runReason('already', { state: 'running' }) }
  if (action === 'start' && instance.state === 'pending') return { act: false, reason: runReason('alreadyStartingPending') }
  if (action === 'stop' && hibernate && instance.hibernationConfigured === false) {
    return { act: true, hibernate: false, note: runReason('noHibernation') }
  }
  return { act: true, hibernate: action === 'stop' && hibernate }
}
