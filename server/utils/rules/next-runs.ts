// The next fire times of a rule, as ISO 8601 with the offset of the rule's time zone.
import type { Rule } from '#shared/schemas/rule'
import { formatInZone, nextRuns } from '#shared/schedule'

/** The next `count` runs of an enabled rule; none for a disabled one. */
export function upcomingRuns(rule: Rule, count = 5, from = new Date()): string[] {
  if (!rule.enabled) return []
  // rate() counts from the last change of the rule, as a new schedule does.
  const runs = nextRuns(rule.scheduleExpression, rule.timezone, { from, count, anchor: new Date(rule.updatedAt) })
  return runs.map(d => formatInZone(d, rule.timezone))
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
