// Ending an override before its time: the override goes, and a revert waiting for its end runs now instead, since the
// override has ended now (a rule that skipped the instance because of it still asked for a state).
import type { Override } from '#shared/schemas/override'
import type { RevertDeps } from '../executor/revert-record'
import type { OverridesRepository } from './repository'
import { revertKey } from './reverts'

/** Deletes the override `id` and moves the revert waiting for its end, if any, to now; answers the override and when its revert runs. */
export async function endOverride(deps: { overrides: Pick<OverridesRepository, 'remove'>, reverts: RevertDeps }, id: string, now = new Date()): Promise<Override & { revertAt?: string }> {
  const override = await deps.overrides.remove(id)
  const revert = await deps.reverts.repository.get(revertKey(override.accountId, override.region, override.instanceId, override.resourceType))
  if (!revert || revert.override.kind !== 'api' || revert.override.id !== id) return override
  const moved = await deps.reverts.repository.record({ ...revert, at: now.toISOString() })
  if (!moved) return override
  await deps.reverts.timers.put(moved)
  return { ...override, revertAt: moved.at }
}
