// The next fire times of a rule, as ISO 8601 with the offset of the rule's time zone: the runs that will act, and the
// firings its pause and its calendars skip (computed with the same check the executor makes when the rule fires).
import { toRuleView } from '#shared/rule-view'
import type { Rule, RuleView } from '#shared/schemas/rule'
import { addDays, localDateOf } from '#shared/dates'
import { formatInZone, localToUtc, nextRuns } from '#shared/schedule'
import type { DayIndex } from '../calendars/days'
import { firingSkip } from '../calendars/skip'
import { isPaused, pauseSkip } from './pause'

/** A firing that will do nothing, and why. */
export interface NextSkip {
  at: string
  reason: string
}

export interface UpcomingSchedule {
  /** The next runs that will act. */
  runs: string[]
  /** The firings skipped before the last of `runs` (every one ahead that was looked at, when fewer runs were found). */
  skips: NextSkip[]
}

// However many calendar days there are, a rule's page looks at this many firings ahead, and lists this many skips.
export const MAX_FIRINGS_EXAMINED = 2000
export const MAX_SKIPS_LISTED = 50

/** The next `count` runs of an enabled rule, calendars not considered; none for a disabled one. */
export function upcomingRuns(rule: Rule, count = 5, from = new Date()): string[] {
  if (!rule.enabled) return []
  // rate() counts from the last change of the rule, as a new schedule does.
  const runs = nextRuns(rule.scheduleExpression, rule.timezone, { from, count, anchor: new Date(rule.updatedAt) })
  return runs.map(d => formatInZone(d, rule.timezone))
}

// The instant just before the next local midnight after `at` (a zone whose midnight falls in a DST gap: 01:00).
function endOfLocalDay(at: Date, timeZone: string): Date {
  const [year, month, day] = addDays(localDateOf(at, timeZone), 1).split('-').map(Number) as [number, number, number]
  const next = localToUtc({ year, month, day, hour: 0, minute: 0, second: 0 }, timeZone)
    ?? localToUtc({ year, month, day, hour: 1, minute: 0, second: 0 }, timeZone)
  return new Date((next ?? new Date(at.getTime() + 86_400_000)).getTime() - 1)
}

/**
 * The next `count` runs of an enabled rule that will act, and the firings its pause and its calendars skip until then.
 * Past MAX_SKIPS_LISTED skips, the rest of a skipped day (or of the pause) is passed over unlisted (a rate(1 minute)
 * rule on a holiday).
 */
export function upcomingSchedule(rule: Rule, index: DayIndex, count = 5, from = new Date()): UpcomingSchedule {
  if (!rule.skipCalendars?.length && !isPaused(rule, from)) return { runs: upcomingRuns(rule, count, from), skips: [] }
  if (!rule.enabled) return { runs: [], skips: [] }
  const anchor = new Date(rule.updatedAt)
  const runs: string[] = []
  const skips: NextSkip[] = []
  let cursor = from
  for (let examined = 0; runs.length < count && examined < MAX_FIRINGS_EXAMINED;) {
    const batch = nextRuns(rule.scheduleExpression, rule.timezone, { from: cursor, count: count - runs.length + 5, anchor })
    if (batch.length === 0) break
    cursor = batch[batch.length - 1]!
    for (const at of batch) {
      examined++
      const pause = pauseSkip(rule, at)
      const skip = pause ?? firingSkip(rule, at, index)
      if (!skip) {
        runs.push(formatInZone(at, rule.timezone))
        if (runs.length >= count) break
        continue
      }
      if (skips.length < MAX_SKIPS_LISTED) skips.push({ at: formatInZone(at, rule.timezone), reason: skip.reason })
      else {
        // Next runs are strictly after the cursor: a firing at the pause's very end runs.
        cursor = pause ? new Date(Date.parse(pause.until) - 1) : endOfLocalDay(at, rule.timezone)
        break
      }
    }
  }
  return { runs, skips }
}

// The next run of each schedule, as last found. Finding it can mean searching day by day for decades (an expression
// that matches a year far off, or rarely): a list of 50 such rules spent most of its time there, on every request
// (bench/load.ts). A found run stays the next one until it has passed (nothing matches before it), and a schedule with
// no run after some time has none after any later time either: an entry answers for any instant from the one it was
// found at until its run.
const NEXT_RUN_CACHE_SIZE = 5000
const nextRunCache = new Map<string, { from: number, at: number | null, iso: string | null }>()

/** The next firing of an enabled rule (ISO 8601 in its time zone), calendars not considered; remembered per schedule. */
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

/**
 * A rule as the API answers it in a list or after a change: with its next run that will act, or null. The next run
 * of a paused rule, or of one with calendars (their days in `index`), is searched past its skips, and not remembered:
 * a calendar edit or a pause changes it.
 */
export function toRuleViewWithNextRun(rule: Rule, index: DayIndex, now = new Date()): RuleView {
  const nextRun = rule.skipCalendars?.length || isPaused(rule, now)
    ? (upcomingSchedule(rule, index, 1, now).runs[0] ?? null)
    : nextRunOf(rule, now)
  return { ...toRuleView(rule), nextRun }
}

/** True for a one-time at() rule whose time has passed: it has run, was skipped, or was due, and will not run again. */
export function isCompleted(rule: Rule, now = new Date()): boolean {
  if (!rule.scheduleExpression.startsWith('at(')) return false
  return nextRuns(rule.scheduleExpression, rule.timezone, { from: now, count: 1 }).length === 0
}

/**
 * Why a rule has no next run, for a person: disabled, a one-time rule that has run, every firing ahead paused or on a
 * calendar day, or a time that never comes. Pass the rule's `upcoming` schedule when its calendars count.
 */
export function noRunsReason(rule: Rule, now = new Date(), upcoming?: UpcomingSchedule): string | undefined {
  if (!rule.enabled) return 'the rule is disabled: it has no next run until it is enabled again'
  if ((upcoming?.runs ?? upcomingRuns(rule, 1, now)).length) return undefined
  if (isCompleted(rule, now)) return 'a one-time rule whose time has passed: it will not run again'
  if (upcoming?.skips.length) {
    return rule.scheduleExpression.startsWith('at(')
      ? `its one run falls while it is paused or on a calendar day (${upcoming.skips[0]!.reason}): it will be skipped, and the rule then counts as completed`
      : `every firing ahead that was looked at is skipped by its pause or falls on a day of its calendars (${MAX_FIRINGS_EXAMINED} at most): see nextSkips`
  }
  return 'the schedule expression matches no time from now until 2199'
}
