// Short English descriptions of schedule expressions, for lists and previews.
import { YEAR_MAX, YEAR_MIN, type CronSpec, type DayOfMonthRule, type DayOfWeekRule } from './cron'
import { parseScheduleExpression, type ScheduleSpec } from './parse'
import { formatLocalDateTime } from './timezone'

const DAY_NAMES = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth']

const pad = (value: number) => String(value).padStart(2, '0')
const clock = (hour: number, minute: number) => `${pad(hour)}:${pad(minute)}`
const dayName = (weekday: number) => DAY_NAMES[weekday - 1] ?? `day ${weekday}`
const monthName = (month: number) => MONTH_NAMES[month - 1] ?? `month ${month}`

/** "a", "a and b", "a, b and c". */
function joinAnd(items: string[]): string {
  if (items.length <= 1) return items.join('')
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`
}

function isContiguous(values: number[]): boolean {
  return values.every((value, i) => i === 0 || value === (values[i - 1] ?? Number.NaN) + 1)
}

/** The common difference when `values` is an arithmetic progression of 2+ values, else null. */
function stepOf(values: number[]): number | null {
  const [a, b] = values
  if (a === undefined || b === undefined) return null
  const step = b - a
  return values.every((value, i) => value === a + i * step) ? step : null
}

/** "1-5, 7, 9-10": compact form for long lists. */
function compactRanges(values: number[], name: (value: number) => string = String): string {
  const ranges: string[] = []
  let start = values[0]
  for (let i = 1; i <= values.length; i++) {
    const value = values[i]
    const previous = values[i - 1]
    if (start === undefined || previous === undefined) break
    if (value === previous + 1) continue
    ranges.push(start === previous ? name(start) : `${name(start)}-${name(previous)}`)
    start = value
  }
  return ranges.join(', ')
}

/** A list of values in words: "Monday through Friday", "Monday and Friday", or a compact list. */
function listPhrase(values: number[], name: (value: number) => string): string {
  const first = values[0]
  const last = values[values.length - 1]
  if (first !== undefined && last !== undefined && values.length >= 3 && isContiguous(values)) {
    return `${name(first)} through ${name(last)}`
  }
  return values.length <= 7 ? joinAnd(values.map(name)) : compactRanges(values, name)
}

function describeTime(spec: CronSpec): string {
  const { minutes, hours } = spec
  const firstHour = hours[0] ?? 0
  const lastHour = hours[hours.length - 1] ?? 23
  const lastMinute = minutes[minutes.length - 1] ?? 59
  const minuteStep = stepOf(minutes)
  const hourStep = stepOf(hours)

  // Within which hours a repeating pattern runs.
  let during = ''
  if (hours.length < 24) {
    during = isContiguous(hours)
      ? `, between ${clock(firstHour, minutes[0] ?? 0)} and ${clock(lastHour, lastMinute)}`
      : `, during hours ${listPhrase(hours, String)}`
  }

  if (minutes.length * hours.length <= 6) {
    return `At ${joinAnd(hours.flatMap(hour => minutes.map(minute => clock(hour, minute))))}`
  }
  if (minutes.length === 60) return `Every minute${during}`
  // Evenly spaced through every hour, starting on the hour (e.g. 0/15).
  if (minutes[0] === 0 && minuteStep !== null && 60 % minuteStep === 0 && minutes.length === 60 / minuteStep) {
    return `Every ${minuteStep} minutes${during}`
  }
  if (minutes.length === 1) {
    const at = minutes[0] === 0 ? 'on the hour' : `at minute ${minutes[0]}`
    if (hours.length === 24) return `Every hour, ${at}`
    if (firstHour === 0 && hourStep !== null && 24 % hourStep === 0 && hours.length === 24 / hourStep) {
      return `Every ${hourStep} hours, ${at}`
    }
  }
  return `At minute${minutes.length > 1 ? 's' : ''} ${listPhrase(minutes, String)} past the hour${during}`
}

function describeDayOfMonth(rule: DayOfMonthRule): string {
  switch (rule.kind) {
    case 'days':
      if (rule.days.length === 31) return 'every day'
      return `on day${rule.days.length > 1 ? 's' : ''} ${listPhrase(rule.days, String)} of the month`
    case 'last':
      return 'on the last day of the month'
    case 'lastWeekday':
      return 'on the last weekday of the month'
    case 'nearestWeekday':
      return `on the weekday nearest day ${rule.day} of the month`
  }
}

function describeDayOfWeek(rule: DayOfWeekRule): string {
  switch (rule.kind) {
    case 'days':
      if (rule.days.length === 7) return 'every day'
      if (rule.days.length >= 3 && isContiguous(rule.days)) return listPhrase(rule.days, dayName)
      return `on ${joinAnd(rule.days.map(day => `${dayName(day)}s`))}`
    case 'last':
      return `on the last ${dayName(rule.day)} of the month`
    case 'nth':
      return `on the ${ORDINALS[rule.nth - 1] ?? `#${rule.nth}`} ${dayName(rule.day)} of the month`
  }
}

function describeYears(years: number[]): string {
  if (years.length === YEAR_MAX - YEAR_MIN + 1) return ''
  const step = stepOf(years)
  const first = years[0]
  const last = years[years.length - 1]
  if (step !== null && step > 1 && years.length > 7 && first !== undefined && last !== undefined) {
    return `every ${step} years from ${first} through ${last}`
  }
  if (years.length === 2 && isContiguous(years)) return `in ${first} and ${last}`
  return `in ${listPhrase(years, String)}`
}

function describeCron(spec: CronSpec): string {
  const time = describeTime(spec)
  let days = spec.dayOfMonth ? describeDayOfMonth(spec.dayOfMonth) : spec.dayOfWeek ? describeDayOfWeek(spec.dayOfWeek) : ''
  // "Every 15 minutes" or "At minute 5 past the hour" already implies every day.
  if (days === 'every day' && !/^At \d/.test(time)) days = ''
  const months = spec.months.length === 12 ? '' : `in ${listPhrase(spec.months, monthName)}`
  return [time, days, months, describeYears(spec.years)].filter(Boolean).join(', ')
}

function describeSpec(spec: ScheduleSpec): string {
  switch (spec.kind) {
    case 'rate':
      return spec.value === 1 ? `Every ${spec.unit}` : `Every ${spec.value} ${spec.unit}s`
    case 'at':
      return `Once, at ${formatLocalDateTime(spec.local).replace('T', ' ')}`
    case 'cron':
      return describeCron(spec)
  }
}

/**
 * A short English description, e.g. "At 19:00, Monday through Friday" or "Every 5 minutes".
 * Never throws for a valid expression (falls back to a generic wording).
 * @throws ScheduleExpressionError when `expr` is not valid.
 */
export function describeSchedule(expr: string): string {
  const spec = parseScheduleExpression(expr)
  try {
    return describeSpec(spec)
  }
  catch {
    return `On the schedule ${expr}`
  }
}
