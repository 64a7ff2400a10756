// Calendar changes and reads: what is stored is prepared first (holiday regions checked, .ics files imported), so a
// refused input writes nothing; a calendar that rules skip by is never deleted under them.
import type { Calendar, CalendarDay, CalendarInput } from '#shared/schemas/calendar'
import { issue } from '#shared/schemas/issue'
import { CalendarInUse, InvalidInput } from '../errors'
import type { RulesRepository } from '../rules/repository'
import { calendarDaysBetween, createDayIndex, NO_HOLIDAYS } from './days'
import type { DayIndex } from './days'
import type { HolidaySource } from './holidays'
import { loadHolidaySource } from './holidays'
import { prepareCalendar } from './prepare'
import type { CalendarsRepository } from './repository'

/** What calendar changes and reads need; the clock and the holiday source are injectable. */
export interface CalendarDeps {
  calendars: CalendarsRepository
  rules: Pick<RulesRepository, 'usingCalendar'>
  holidays?: () => Promise<HolidaySource>
  now?: () => Date
}

const holidaysOf = (deps: Pick<CalendarDeps, 'holidays'>) => (deps.holidays ?? loadHolidaySource)()

/** The holiday source, loaded only when one of `calendars` has holidays. */
const holidaysFor = (deps: Pick<CalendarDeps, 'holidays'>, calendars: Pick<Calendar, 'entries'>[]) =>
  (calendars.some(c => c.entries.some(e => 'holidays' in e)) ? holidaysOf(deps) : Promise.resolve(NO_HOLIDAYS))
const prepareDeps = (deps: CalendarDeps) => ({ holidays: () => holidaysOf(deps), now: deps.now?.() ?? new Date() })

/** Creates a calendar; throws InvalidInput (a holiday region or .ics file refused) or CalendarExists. */
export async function createCalendar(deps: CalendarDeps, input: CalendarInput): Promise<Calendar> {
  const prepared = await prepareCalendar(input, prepareDeps(deps))
  return deps.calendars.create(prepared, deps.now?.())
}

/** Replaces a calendar at `version`; throws InvalidInput, CalendarNotFound or VersionConflict. */
export async function replaceCalendar(deps: CalendarDeps, input: CalendarInput, version: number): Promise<Calendar> {
  const prepared = await prepareCalendar(input, prepareDeps(deps))
  return deps.calendars.replace(prepared, version, deps.now?.())
}

/**
 * Deletes a calendar no rule skips by; throws CalendarInUse naming the rules that do, or CalendarNotFound.
 * A rule saved with this calendar between the check and the delete finds it missing when it fires, and does nothing.
 */
export async function deleteCalendar(deps: CalendarDeps, name: string, version?: number): Promise<Calendar> {
  await deps.calendars.get(name)
  const users = await deps.rules.usingCalendar(name)
  if (users.length) throw new CalendarInUse(name, users)
  return deps.calendars.remove(name, version)
}

/** The days of calendar `name` from `from` to `to` (local dates, both included). */
export async function daysOfCalendar(deps: Pick<CalendarDeps, 'calendars' | 'holidays'>, name: string, from: string, to: string): Promise<CalendarDay[]> {
  const calendar = await deps.calendars.get(name)
  return calendarDaysBetween(calendar, from, to, await holidaysFor(deps, [calendar]))
}

/** Throws InvalidInput at `field.i` for each of `names` that is no calendar. */
export async function requireCalendars(deps: { calendars: Pick<CalendarsRepository, 'getMany'> }, names: string[], field = 'skipCalendars'): Promise<void> {
  if (names.length === 0) return
  const { missing } = await deps.calendars.getMany(names)
  if (missing.length === 0) return
  throw new InvalidInput('rule', names.flatMap((name, i) => (missing.includes(name) ? [{ path: `${field}.${i}`, ...issue('rule.skipCalendars.unknown', { name }) }] : [])))
}

/** A day index over the calendars `names`, and the names that are no calendar (deleted since a rule named them). */
export async function dayIndexOf(deps: { calendars: Pick<CalendarsRepository, 'getMany'>, holidays?: () => Promise<HolidaySource> }, names: string[]): Promise<{ index: DayIndex, missing: string[] }> {
  if (names.length === 0) return { index: createDayIndex([], NO_HOLIDAYS), missing: [] }
  const { found, missing } = await deps.calendars.getMany(names)
  return { index: createDayIndex(found, await holidaysFor(deps, found)), missing }
}
