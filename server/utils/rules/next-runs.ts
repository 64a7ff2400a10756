// The next fire times of a rule, as ISO 8601 with the offset of the rule's time zone.
import { toRuleView } from '#shared/schemas/rule'
import type { Rule, RuleView } from '#shared/schemas/rule'
import { formatInZone, nextRuns } from '#shared/schedule'

/** The next `count` runs of an enabled rule; none for a disabled one. */
export function upcomingRuns(rule: Rule, count = 5, from = new Date()): string[] {
  if (!rule.enabled) return []
  // rate() counts from the last change of the rule, as a new schedule does.
  const runs = nextRuns(rule.scheduleExpression, rule.timezone, { from, count, anchor: new Date(rule.updatedAt) })
  return runs.map(d => formatInZone(d, rule.timezone))
}

// The next run of each schedule, as last found. Finding it can mean searching day by day for decades (an expression
// that matches a year far off, or rarely): a list of 50 such rules spent most of its time there, on every request
// (bench/load.ts). A found run stays the next one until it has passed (nothing matches before it), and a schedule with
// no run after some time has none after any later time either: an entry answers for any instant from the one it was
// found at until its run.
const NEXT_RUN_CACHE_SIZE = 5000
const nextRunCache = new Map<string, { from: number, at: number | null, iso: string | null }>()

/** The next run of an enabled rule (ISO 8601 in its time zone), null when it has none; remembered per schedule. */
export function nextRunOf(rule: Rule, now = new Date()): string | null {
  if (!rule.enabled) return null
  // Everything the search depends on: rate() counts from the rule's last change.
  const key = `${rule.scheduleExpression}\u0000${rule.timezone}\u0000${rule.updatedAt}`
  const known = nextRunCache.get(key)
  const t = now.getTime()
  if (known && known.from <= t && (known.at === null || known.at > t)) return known.iso
  const next = nextRuns(rule.scheduleExpression, rule.timezone, { from: now, count: 1, anchor: new Date(rule.updatedAt) })[0]
  const entry = { from: t, at: next ? next.getTime() : null, iso: next ? formatInZone(next, rule.timezone) : null }
  nextRunCache.delete(key)
  nextRunCache.set(key, entry)
  if (nextRunCache.size > NEXT_RUN_CACHE_SIZE) nextRunCache.delete(nextRunCache.keys().next().value!)
  return entry.iso
}

/** A rule as the API answers it in a list or after a change: with its next run, or null when it has none. */
export function toRuleViewWithNextRun(rule: Rule, now = new Date()): RuleView {
  return { ...toRuleView(rule), nextRun: nextRunOf(rule, now) }
}

/** True for a one-time at() rule whose time has passed: it has run (or was due) and will not run again. */
export function isCompleted(rule: Rule, now = new Date()): boolean {
  if (!rule.scheduleExpression.startsWith('at(')) return false
  return nextRuns(rule.scheduleExpression, rule.timezone, { from: now, count: 1 }).length === 0
}

/** Why a rule has no next run, for a person: disabled, a one-time rule that has run, or a time that never comes. */
export function noRunsReason(rule: Rule, now = new Date()): string | undefined {
  if (!rule.enabled) return 'the rule is disabled: it has no next run until it is enabled again'
  if (upcomingRuns(rule, 1, now).length) return undefined
  if (isCompleted(rule, now)) return 'a one-time rule whose time has passed: it will not run again'
  return 'the schedule expression matches no time from now until 2199'
}
