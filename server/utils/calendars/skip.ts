// Whether a rule's firing falls on a day of one of its calendars: the firing's local date in the rule's time zone,
// looked up in a day index. The executor asks when a rule fires; a rule's next skips, and a schedule, ask ahead.
import { localDateOf } from '#shared/dates'
import type { DayIndex } from './days'

/** A firing that does nothing: which calendar day it falls on, and why, for a person. */
export interface FiringSkip {
  /** The firing's local date in the rule's zone. */
  date: string
  calendar: string
  /** The day's labels in that calendar, joined. */
  label: string
  /** e.g. `2026-12-25 is Christmas Day (calendar de-by)`. */
  reason: string
}

/** What the check reads of a rule. */
export interface SkippingRule {
  timezone: string
  skipCalendars?: string[]
}

/** The skip of the firing at `instant`, from the first of the rule's calendars that holds its local date; null when it acts. */
export function firingSkip(rule: SkippingRule, instant: Date | number, index: DayIndex): FiringSkip | null {
  const calendars = rule.skipCalendars ?? []
  if (calendars.length === 0) return null
  const date = localDateOf(instant, rule.timezone)
  for (const calendar of calendars) {
    const days = index.daysOn(calendar, date)
    if (days.length === 0) continue
    const label = [...new Set(days.map(d => d.label))].join(', ')
    return { date, calendar, label, reason: `${date} is ${label} (calendar ${calendar})` }
  }
  return null
}

/** The run log's message for a skipped firing. */
export function skipMessage(skip: FiringSkip): string {
  return `skipped: ${skip.reason}`
}
