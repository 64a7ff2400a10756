// What every resource type's decision shares: the opt-out tag (NUXT_OPT_OUT_TAG: a resource of any type that carries it
// is never touched), and the note of an unreadable override tag, which goes with whatever was decided.
import type { InstanceOverride } from './overrides'
import { runReason } from '#shared/run-reasons'

/**
 * What to do with one instance: act (maybe hibernating), or skip it with a reason a person can read; `override` when
 * an override is why it is skipped (its end brings the revert).
 */
export type InstanceDecision
  = | { act: true, hibernate: boolean, note?: string }
    | { act: false, reason: string, override?: InstanceOverride }

/** The opt-out tag's reason, when the resource carries it (its value compared case-insensitively, so `True` opts out too). */
export function optOutReason(tags: Record<string, string>, optOutTag: { key: string, value: string }): string | undefined {
  const value = tags[optOutTag.key]
  if (value !== undefined && value.toLowerCase() === optOutTag.value.toLowerCase()) return runReason('optedOut', { tag: `${optOutTag.key}=${value}` })
  return undefined
}

/** The decision with `note` added: to an action's note, or to a skip's reason. */
export function withNote(decision: InstanceDecision, note: string | undefined): InstanceDecision {
  if (!note) return decision
  return decision.act
    ? { ...decision, note: decision.note ? `${decision.note}; ${note}` : note }
    : { ...decision, reason: `${decision.reason}; ${note}` }
}
