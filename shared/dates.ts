// Local dates (YYYY-MM-DD, no zone attached) and the little arithmetic calendars need: they are counted as UTC days,
// so no daylight-saving change ever makes a day 23 or 25 hours long here.
import { wallClockAt } from './schedule/timezone'

const DAY_MS = 86_400_000
const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/
const MONTH_DAY = /^(\d{2})-(\d{2})$/

/** True for a date written YYYY-MM-DD that exists (2026-02-29 does not). */
export function isLocalDate(value: string): boolean {
  const m = LOCAL_DATE.exec(value)
  if (!m) return false
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  return y >= 1970 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d
}

/** True for a yearly date written MM-DD that exists in some year (02-29 does, in leap years). */
export function isMonthDay(value: string): boolean {
  const m = MONTH_DAY.exec(value)
  return Boolean(m) && isLocalDate(`2024-${value}`)
}

/** Days since 1970-01-01 of a local date. */
export function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS
}

/** The local date `days` days after `date` (before it when negative). */
export function addDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10)
}

/** The same month and day `years` later; 29 February becomes 28 February in a year that has none. */
export function addYears(date: string, years: number): string {
  const y = Number(date.slice(0, 4)) + years
  const candidate = `${String(y).padStart(4, '0')}${date.slice(4)}`
  return isLocalDate(candidate) ? candidate : `${String(y).padStart(4, '0')}-02-28`
}

/** The year of a local date. */
export function yearOf(date: string): number {
  return Number(date.slice(0, 4))
}

/** Every local date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let n = dayNumber(from), end = dayNumber(to); n <= end; n++) out.push(new Date(n * DAY_MS).toISOString().slice(0, 10))
  return out
}

/** The UTC date of an instant, as a local date. */
export function utcDate(instant: Date): string {
  return instant.toISOString().slice(0, 10)
}

/** The local date of an instant on the wall clock of `timeZone`: a 23:30 firing in Los Angeles on 24 December is the 24th. */
export function localDateOf(instant: Date | number, timeZone: string): string {
  const { year, month, day } = wallClockAt(instant, timeZone)
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}
