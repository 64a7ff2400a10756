// When a rule fires on a day of one of its calendars, the run does nothing: this decides it, before any AWS call.
// The firing's local date is taken in the rule's time zone, from the time the schedule fired (not the time the
// delivery arrived), so a retry an hour later still judges the same day.
import type { LogSkip } from '#shared/schemas/log'
import type { Rule } from '#shared/schemas/rule'
import type { CalendarsRepository } from '../calendars/repository'
import type { HolidaySource } from '../calendars/holidays'
import { dayIndexOf } from '../calendars/service'
import { firingSkip, skipMessage } from '../calendars/skip'
import { runReason } from '#shared/run-reasons'

export interface CalendarSkipDeps {
  calendars?: Pick<CalendarsRepository, 'getMany'>
  holidays?: () => Promise<HolidaySource>
}

/** What a firing on a calendar day logs instead of a run; null when the firing acts. */
export type CalendarVerdict = { status: 'skipped', message: string, skip: LogSkip } | { status: 'failed', message: string } | null

/** Whether the firing of `rule` at `firing` is skipped by its calendars, or cannot be judged because one is gone. */
export async function calendarVerdict(deps: CalendarSkipDeps, rule: Pick<Rule, 'timezone' | 'skipCalendars'>, firing: Date): Promise<CalendarVerdict> {
  const names = rule.skipCalendars ?? []
  if (names.length === 0) return null
  if (!deps.calendars) throw new Error('the executor was given no calendars repository, and this rule skips calendar days')
  const { index, missing } = await dayIndexOf({ calendars: deps.calendars, holidays: deps.holidays }, names)
  // A calendar deleted after the rule named it: acting could break the very days it was meant to keep, so do nothing.
  if (missing.length) {
    return {
      status: 'failed',
      message: runReason('calendarsGone', { calendars: missing.map(n => `calendar '${n}'`).join(' and ') }),
    }
  }
  const skip = firingSkip(rule, firing, index)
  if (!skip) return null
  return { status: 'skipped', message: skipMessage(skip), skip: { kind: 'calendar', date: skip.date, calendar: skip.calendar, label: skip.label } }
}
