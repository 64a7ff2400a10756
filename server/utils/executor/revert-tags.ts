// A revert waiting for the end of a skip-until tag follows the tag: the reconciler reads the instance's tag again, and
// when its owner removed it (or wrote a value that is past or unreadable) the override has ended now, so the revert
// runs now; when they changed it to another instant, the revert moves there. Without this, the revert would run at the
// tag's old end, giving the instance a state its owner no longer waits for at that time.
import type { Revert } from '../overrides/reverts'
import { findInstances } from './find'
import { skipUntilOf } from './overrides'
import { forEachRegion } from './run'
import type { ExecutorDeps, RunSpec } from './run'

/** What the tag says of a revert waiting for it: unchanged, gone (the revert runs now), or moved to a new end. */
export type TagFollow
  = | { kind: 'unchanged' }
    | { kind: 'ended', revert: Revert }
    | { kind: 'moved', revert: Revert }

/**
 * Reads the tag of the instance of `revert` (a tag override's revert, not yet due) and answers the revert as it
 * should now be, recorded: at `now` when the tag is gone, at the tag's new end when it changed. An instance that can
 * no longer be found (terminated) leaves the revert as it is. Throws when the account or region cannot be read.
 */
export async function followTag(deps: ExecutorDeps, revert: Revert, now: Date): Promise<TagFollow> {
  const source = revert.override
  const repository = deps.reverts?.repository
  // Only an EC2 instance's tag is read again here; another type's revert runs at its tag's end as recorded.
  if (source.kind !== 'tag' || !repository || (revert.resourceType && revert.resourceType !== 'ec2')) return { kind: 'unchanged' }
  const spec: RunSpec = {
    ruleName: revert.rule, accountId: revert.accountId, regions: [revert.region], action: revert.action, hibernate: revert.hibernate,
    filters: [{ key: 'instance-id', values: [revert.instanceId] }], timezone: revert.timezone,
  }
  const { items, errors } = await forEachRegion(deps, spec, scope => findInstances(deps.ec2(scope.accountId, scope.region, scope.credentials), scope.region, spec.filters, spec.action, deps.backoff))
  if (errors.length) throw new Error(`the tag ${source.tag} of ${revert.instanceId} could not be read: ${errors.map(e => e.message).join('; ')}`)
  const { key: _key, ...recorded } = revert
  const instance = items.find(i => i.instanceId === revert.instanceId)
  if (!instance) return { kind: 'unchanged' }
  const value = instance.tags[source.tag]
  if (value === source.value) return { kind: 'unchanged' }
  const until = value === undefined ? null : skipUntilOf(value, revert.timezone)
  if (!until || until.getTime() <= now.getTime()) {
    const moved = await repository.record({ ...recorded, at: now.toISOString() })
    return moved ? { kind: 'ended', revert: moved } : { kind: 'unchanged' }
  }
  const iso = until.toISOString()
  const moved = await repository.record({ ...recorded, at: iso, override: { kind: 'tag', tag: source.tag, value: value!, until: iso } })
  return moved ? { kind: 'moved', revert: moved } : { kind: 'unchanged' }
}
