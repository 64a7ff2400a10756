// Auto Scaling groups. A stop saves the group's min, desired and max in a tag on the group
// (NUXT_SAVED_CAPACITY_TAG=min,desired,max, default ouroboros:saved-capacity), never overwriting one already there, then
// sets all three to 0, so the group terminates its instances; a start restores them from the tag, then removes it.
// A group with no saved capacity has nothing to start, and is skipped. A group counts as done once its desired
// capacity is 0, or restored, which the accepted update itself says: its instances terminating or launching is not
// awaited.
// Groups are found with DescribeAutoScalingGroups, 100 a page, its tag filters given to the API where they have no
// wildcard (it takes none) and all matched again on the group's tags.
import { CreateOrUpdateTagsCommand, DeleteTagsCommand, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import type { AutoScalingClient, AutoScalingGroup, Filter as AsgFilter } from '@aws-sdk/client-auto-scaling'
import type { Filter } from '#shared/filters'
import { withThrottlingRetry } from '../../aws/retry'
import { chunked } from '../act'
import { optOutReason, withNote } from '../decision'
import type { InstanceDecision } from '../decision'
import type { ExecutorDeps } from '../deps'
import type { InstanceOverride } from '../overrides'
import { actOneByOne } from './one-by-one'
import { isTagFilter, matchesTagFilters, tagRecord } from './tags'
import type { FoundResource, RegionScope, ResourceHandler } from './types'
import { runReason } from '#shared/run-reasons'

export const DEFAULT_SAVED_CAPACITY_TAG = 'ouroboros:saved-capacity'

export interface Capacity {
  min: number
  desired: number
  max: number
}

export interface FoundGroup extends FoundResource {
  capacity: Capacity
  /** The capacity saved by a stop, when the tag is there and readable. */
  saved?: Capacity
  /** The saved-capacity tag's value when it cannot be read. */
  unreadable?: string
}

// DescribeAutoScalingGroups answers at most 100 groups a page, and takes at most 100 names.
const PAGE = 100

/** `min=1,desired=2,max=3`: a group's state in the log. */
export const capacityText = (c: Capacity) => `min=${c.min},desired=${c.desired},max=${c.max}`

/** The saved-capacity tag's value `min,desired,max`, or null when it is not three whole numbers with min <= desired <= max. */
export function parseSavedCapacity(value: string): Capacity | null {
  const m = /^\s*(\d{1,6})\s*,\s*(\d{1,6})\s*,\s*(\d{1,6})\s*$/.exec(value)
  if (!m) return null
  const [min, desired, max] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return min <= desired && desired <= max ? { min, desired, max } : null
}

const tagKeyOf = (deps: ExecutorDeps) => deps.execution.savedCapacityTag ?? DEFAULT_SAVED_CAPACITY_TAG

async function client(deps: ExecutorDeps, scope: RegionScope): Promise<AutoScalingClient> {
  if (!deps.autoScaling) throw new Error('this executor was given no Auto Scaling client: asg rules cannot run here')
  return deps.autoScaling(scope.accountId, scope.region, scope.credentials)
}

/** The rule's filters the API can take: tag filters without wildcards (exact matches); the rest is matched afterwards. */
function apiFilters(filters: readonly Filter[]): AsgFilter[] {
  return filters.filter(f => isTagFilter(f) && f.values.every(v => !/[*?]/.test(v))).map(f => ({ Name: f.key, Values: f.values }))
}

async function describeAll(asg: AutoScalingClient, input: { Filters?: AsgFilter[], AutoScalingGroupNames?: string[] }, deps: ExecutorDeps): Promise<AutoScalingGroup[]> {
  const found: AutoScalingGroup[] = []
  let NextToken: string | undefined
  do {
    const token = NextToken
    const page = await withThrottlingRetry(() => asg.send(new DescribeAutoScalingGroupsCommand({ ...input, MaxRecords: PAGE, NextToken: token })), deps.backoff)
    found.push(...(page.AutoScalingGroups ?? []))
    NextToken = page.NextToken || undefined
  } while (NextToken)
  return found
}

const capacityOf = (g: AutoScalingGroup): Capacity => ({ min: g.MinSize ?? 0, desired: g.DesiredCapacity ?? 0, max: g.MaxSize ?? 0 })

function toFound(g: AutoScalingGroup, region: string, tagKey: string): FoundGroup {
  const tags = tagRecord(g.Tags)
  const capacity = capacityOf(g)
  const value = tags[tagKey]
  const saved = value === undefined ? undefined : parseSavedCapacity(value)
  return {
    instanceId: g.AutoScalingGroupName!,
    region,
    ...(tags.Name ? { name: tags.Name } : {}),
    state: capacityText(capacity),
    tags,
    capacity,
    ...(saved ? { saved } : {}),
    ...(value !== undefined && !saved ? { unreadable: value } : {}),
  }
}

/** Skips, in order: the opt-out tag, an override, then what the group's capacity and its saved capacity say. */
function decideGroup(g: FoundGroup, action: 'start' | 'stop', tagKey: string, optOutTag: { key: string, value: string }, override?: InstanceOverride): InstanceDecision {
  const optOut = optOutReason(g.tags, optOutTag)
  if (optOut) return { act: false, reason: optOut }
  if (override) return { act: false, reason: override.reason, override }
  const { min, desired, max } = g.capacity
  if (action === 'stop') {
    if (g.unreadable !== undefined) return { act: false, reason: runReason('capacityTagStop', { tag: tagKey, value: g.unreadable }) }
    if (min === 0 && desired === 0 && max === 0) return { act: false, reason: g.saved ? runReason('alreadyStoppedSaved', { capacity: capacityText(g.saved), tag: tagKey }) : runReason('alreadyZero') }
    return { act: true, hibernate: false, ...(g.saved ? { note: runReason('keepsSavedCapacity', { tag: tagKey, value: g.tags[tagKey] ?? '' }) } : {}) }
  }
  if (g.unreadable !== undefined) return { act: false, reason: runReason('capacityTagStart', { tag: tagKey, value: g.unreadable }) }
  if (!g.saved) return { act: false, reason: runReason('noSavedCapacity', { tag: tagKey }) }
  return { act: true, hibernate: false }
}

export const asgHandler: ResourceHandler<FoundGroup> = {
  type: 'asg',
  service: 'Auto Scaling',
  idFilter: 'asg-name',
  async find(deps, scope, spec) {
    const asg = await client(deps, scope)
    const names = spec.filters.find(f => f.key === 'asg-name')?.values
    const Filters = apiFilters(spec.filters)
    const groups: AutoScalingGroup[] = []
    if (names) for (const chunk of chunked(names, PAGE)) groups.push(...await describeAll(asg, { AutoScalingGroupNames: chunk, ...(Filters.length ? { Filters } : {}) }, deps))
    else groups.push(...await describeAll(asg, Filters.length ? { Filters } : {}, deps))
    const tagKey = tagKeyOf(deps)
    return groups.filter(g => g.AutoScalingGroupName && matchesTagFilters(tagRecord(g.Tags), spec.filters)).map(g => toFound(g, scope.region, tagKey))
  },
  classify: (g, spec, deps, found) => withNote(decideGroup(g, spec.action, tagKeyOf(deps), deps.execution.optOutTag, found.override), found.note),
  async act(deps, scope, spec, items) {
    const asg = await client(deps, scope)
    const Key = tagKeyOf(deps)
    return actOneByOne(items, i => i.resource.instanceId, async ({ resource: g }) => {
      const AutoScalingGroupName = g.instanceId
      const tag = { ResourceId: AutoScalingGroupName, ResourceType: 'auto-scaling-group', Key, PropagateAtLaunch: false }
      if (spec.action === 'stop') {
        // Saved first: a failure after it leaves the tag, which the next stop keeps and the next start restores from.
        if (!g.saved) await asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ...tag, Value: `${g.capacity.min},${g.capacity.desired},${g.capacity.max}` }] }))
        await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName, MinSize: 0, DesiredCapacity: 0, MaxSize: 0 }))
        return capacityText({ min: 0, desired: 0, max: 0 })
      }
      const saved = g.saved!
      await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName, MinSize: saved.min, DesiredCapacity: saved.desired, MaxSize: saved.max }))
      // Removed once restored: should this fail, the next start restores the same capacity again and removes it then.
      await asg.send(new DeleteTagsCommand({ Tags: [tag] }))
      return capacityText(saved)
    }, deps.backoff, i => i.decision.note)
  },
  // UpdateAutoScalingGroup sets min, desired and max before it answers ("the initial capacity of the group after this
  // operation completes"), and refuses with an error when it cannot (a pending update, a group gone): the accepted
  // call is the group's verification, and no Describe reads it back. Its instances launching or terminating is not
  // awaited, as the issue asks.
  async verify(_deps, _scope, spec, accepted) {
    const set = (g: FoundGroup) => (spec.action === 'stop' ? { min: 0, desired: 0, max: 0 } : g.saved!)
    return accepted.map(({ resource: g, acted }) => ({ instanceId: g.instanceId, state: acted.state ?? capacityText(set(g)), reached: true }))
  },
  // The capacity a stop saves (the one saved earlier, kept, or the group's own) and a start restores: the savings count
  // a stopped group's hours once per instance of its desired capacity.
  describe: (g) => {
    const saved = g.saved ?? (g.capacity.desired > 0 ? g.capacity : undefined)
    return { resourceType: 'asg', ...(saved ? { savedCapacity: `${saved.min},${saved.desired},${saved.max}` } : {}) }
  },
}
