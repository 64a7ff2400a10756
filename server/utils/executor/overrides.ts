// Which override leaves an instance alone now: one made through the API (POST /api/overrides), or the instance's own
// tag (NUXT_OVERRIDE_TAG, default ouroboros:skip-until) holding an ISO 8601 instant or a date, which means the end of
// that day in the rule's time zone. An unreadable tag is no override, and says so; one in the past means nothing. With
// several, the one that ends last wins.
import { addDays, isLocalDate } from '#shared/dates'
import { formatInstant, isIsoInstant } from '#shared/schemas/instant'
import type { Override, OverrideSource } from '#shared/schemas/override'
import { localToUtc } from '#shared/schedule'
import type { ResourceType } from '#shared/resource-types'
import { runReason } from '#shared/run-reasons'

/** What an override is judged by: the instance, where it is, its tags (an executor's FoundInstance), and its type. */
export interface OverriddenInstance {
  instanceId: string
  region: string
  tags: Record<string, string>
  /** An EC2 instance when absent: an API override names the type of what it keeps, as ids are unique only within one. */
  resourceType?: ResourceType
}

/** The override that leaves an instance alone: until when (UTC ISO 8601), why (for a person), and where it comes from. */
export interface InstanceOverride {
  until: string
  reason: string
  source: OverrideSource
}

/** The instant a tag's value stands for: itself, or for a date the next local midnight in `timeZone`; null when unreadable. */
export function skipUntilOf(value: string, timeZone: string): Date | null {
  const v = value.trim()
  if (isIsoInstant(v)) return new Date(v)
  if (!isLocalDate(v)) return null
  const [year, month, day] = addDays(v, 1).split('-').map(Number) as [number, number, number]
  // A zone whose midnight falls in a daylight-saving gap starts that day at 01:00.
  return localToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }, timeZone)
    ?? localToUtc({ year, month, day, hour: 1, minute: 0, second: 0 }, timeZone)
}

/** `override until 2026-12-24T18:00Z by key 'ops': release testing`. */
export function apiOverrideReason(o: Pick<Override, 'until' | 'reason' | 'createdBy'>): string {
  const params = { until: formatInstant(o.until), key: o.createdBy.keyName }
  return o.reason ? runReason('apiOverrideWhy', { ...params, note: o.reason }) : runReason('apiOverride', params)
}

function tagOverride(instance: OverriddenInstance, tag: string | undefined, timeZone: string, now: Date): { override?: InstanceOverride, note?: string } {
  if (!tag) return {}
  const value = instance.tags[tag]
  if (value === undefined) return {}
  const until = skipUntilOf(value, timeZone)
  if (!until) return { note: runReason('tagNotOverride', { tag, value }) }
  if (until.getTime() <= now.getTime()) return {}
  const iso = until.toISOString()
  const reason = isIsoInstant(value.trim())
    ? runReason('tagOverride', { tag: `${tag}=${value}` })
    : runReason('tagOverrideDay', { tag: `${tag}=${value}`, zone: timeZone, until: formatInstant(iso) })
  return { override: { until: iso, reason, source: { kind: 'tag', tag, value, until: iso } } }
}

/**
 * The override of `instance` now: the active API overrides of its account and region (`active`) and its tag, the one
 * that ends last; `note` says why a tag that is there is not an override.
 */
export function overrideOf(instance: OverriddenInstance, active: readonly Override[], tag: string | undefined, timeZone: string, now: Date): { override?: InstanceOverride, note?: string } {
  const { override: fromTag, note } = tagOverride(instance, tag, timeZone, now)
  const candidates: InstanceOverride[] = fromTag ? [fromTag] : []
  for (const o of active) {
    if (o.instanceId !== instance.instanceId || o.region !== instance.region || (o.resourceType ?? 'ec2') !== (instance.resourceType ?? 'ec2') || Date.parse(o.until) <= now.getTime()) continue
    candidates.push({ until: o.until, reason: apiOverrideReason(o), source: { kind: 'api', id: o.id, until: o.until, keyName: o.createdBy.keyName, ...(o.reason ? { reason: o.reason } : {}) } })
  }
  const latest = candidates.reduce<InstanceOverride | undefined>((a, b) => (!a || Date.parse(b.until) > Date.parse(a.until) ? b : a), undefined)
  return { ...(latest ? { override: latest } : {}), ...(note ? { note } : {}) }
}
