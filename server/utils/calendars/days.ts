// Which days a calendar holds, by local date: the one computation that the days route, the executor's check when a
// rule fires, a rule's next runs and skips, and a schedule over many rules all share. Pure: holidays come from an
// injected source (which caches expanded years), and each calendar's year is expanded once per index.
import { dayNumber, yearOf } from '#shared/dates'
import type { Calendar, CalendarDay, CalendarEntry } from '#shared/schemas/calendar'
import type { HolidaySource } from './holidays'

// A day without a label of its own is called this.
export const DEFAULT_DAY_LABEL = 'calendar day'

const inYear = (date: string, year: number) => yearOf(date) === year

function entryDays(entry: CalendarEntry, year: number, holidays: HolidaySource): CalendarDay[] {
  if ('date' in entry) return inYear(entry.date, year) ? [{ date: entry.date, label: entry.label || DEFAULT_DAY_LABEL, source: 'date' }] : []
  if ('from' in entry) {
    const first = Math.max(dayNumber(entry.from), dayNumber(`${year}-01-01`))
    const last = Math.min(dayNumber(entry.to), dayNumber(`${year}-12-31`))
    const out: CalendarDay[] = []
    for (let n = first; n <= last; n++) out.push({ date: new Date(n * 86_400_000).toISOString().slice(0, 10), label: entry.label || DEFAULT_DAY_LABEL, source: 'range' })
    return out
  }
  if ('annual' in entry) {
    const date = `${year}-${entry.annual}`
    // 02-29 exists only in leap years.
    return new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) === date ? [{ date, label: entry.label || DEFAULT_DAY_LABEL, source: 'annual' }] : []
  }
  if ('holidays' in entry) return holidays.daysOf(entry.holidays, year)
  const source = `ics:${entry.ics.file}` as const
  return entry.ics.days.filter(d => inYear(d.date, year)).map(d => ({ date: d.date, label: d.label || DEFAULT_DAY_LABEL, source }))
}

const byDate = (a: CalendarDay, b: CalendarDay) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0)

/** The days of `calendar` in one year, in date order (entries in their order on the same date). */
export function calendarDaysOfYear(calendar: Pick<Calendar, 'entries'>, year: number, holidays: HolidaySource): CalendarDay[] {
  return calendar.entries.flatMap(e => entryDays(e, year, holidays)).sort(byDate)
}

/** The days of `calendar` from `from` to `to` (local dates, both included), in date order. */
export function calendarDaysBetween(calendar: Pick<Calendar, 'entries'>, from: string, to: string, holidays: HolidaySource): CalendarDay[] {
  const out: CalendarDay[] = []
  for (let year = yearOf(from); year <= yearOf(to); year++) {
    for (const day of calendarDaysOfYear(calendar, year, holidays)) if (day.date >= from && day.date <= to) out.push(day)
  }
  return out
}

/** Looks up the days of several calendars by local date; each calendar's year is expanded on first use, once. */
export interface DayIndex {
  /** The days of calendar `name` on `date`; none for a calendar the index does not hold. */
  daysOn: (name: string, date: string) => CalendarDay[]
  /** Whether the index holds calendar `name`. */
  has: (name: string) => boolean
}

/** For calendars without holidays: never asked, so the holiday data never loads. */
export const NO_HOLIDAYS: HolidaySource = { daysOf: () => [], specIssue: () => undefined, countries: () => [] }

/** A day index over `calendars`. Build one per request or run, and share it across every rule it checks. */
export function createDayIndex(calendars: Pick<Calendar, 'name' | 'entries'>[], holidays: HolidaySource): DayIndex {
  const byName = new Map(calendars.map(c => [c.name, c]))
  const years = new Map<string, Map<string, CalendarDay[]>>()
  return {
    has: name => byName.has(name),
    daysOn(name, date) {
      const calendar = byName.get(name)
      if (!calendar) return []
      const year = yearOf(date)
      const key = `${name}\n${year}`
      let days = years.get(key)
      if (!days) {
        days = new Map()
        for (const day of calendarDaysOfYear(calendar, year, holidays)) {
          const list = days.get(day.date)
          if (list) list.push(day)
          else days.set(day.date, [day])
        }
        years.set(key, days)
      }
      return days.get(date) ?? []
    },
  }
}
