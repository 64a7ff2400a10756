// The six-field AWS cron body: parsing into a spec, and enumerating matching wall-clock times field by field.
import { ScheduleExpressionError } from './errors'
import type { IssueCode, IssueParams } from '../schemas/issue'

/**
 * Day-of-month rule; days are 1-31.
 * `days`: plain list; `last`: L; `lastWeekday`: LW (last Monday-Friday); `nearestWeekday`: nW, weekday nearest `day` within the month.
 */
export type DayOfMonthRule = { kind: 'days', days: number[] } | { kind: 'last' } | { kind: 'lastWeekday' } | { kind: 'nearestWeekday', day: number }

/**
 * Day-of-week rule; weekdays are 1 = Sunday ... 7 = Saturday.
 * `days`: plain list; `last`: nL, the last `day` of the month; `nth`: n#k, the `nth` (1-5) `day` of the month.
 */
export type DayOfWeekRule = { kind: 'days', days: number[] } | { kind: 'last', day: number } | { kind: 'nth', day: number, nth: number }

/** The six fields as written (upper-cased). */
export interface CronFields {
  minutes: string
  hours: string
  dayOfMonth: string
  month: string
  dayOfWeek: string
  year: string
}

/** A parsed cron body. Exactly one of `dayOfMonth` / `dayOfWeek` is null (the `?` field). */
export interface CronSpec {
  fields: CronFields
  /** Sorted, distinct values of each plain field. */
  minutes: number[]
  hours: number[]
  months: number[]
  years: number[]
  dayOfMonth: DayOfMonthRule | null
  dayOfWeek: DayOfWeekRule | null
}

/** A wall-clock minute produced by {@link cronLocalTimes}. */
export interface LocalMinute {
  year: number
  month: number
  day: number
  hour: number
  minute: number
}

interface FieldDef {
  label: string
  min: number
  max: number
  /** Largest step accepted after `/`, or 0 when `/` is not allowed. */
  maxStep: number
  /** Three-letter names for min, min + 1, ... */
  names?: readonly string[]
  wildcards: string
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] as const
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const

export const YEAR_MIN = 1970
export const YEAR_MAX = 2199

// Step limits follow Quartz (the syntax AWS cron is modelled on): at most the field's largest value.
const MINUTES: FieldDef = { label: 'Minutes', min: 0, max: 59, maxStep: 59, wildcards: ', - * /' }
const HOURS: FieldDef = { label: 'Hours', min: 0, max: 23, maxStep: 23, wildcards: ', - * /' }
const DAY_OF_MONTH: FieldDef = { label: 'Day-of-month', min: 1, max: 31, maxStep: 31, wildcards: ', - * ? / L W' }
const MONTH: FieldDef = { label: 'Month', min: 1, max: 12, maxStep: 12, names: MONTH_NAMES, wildcards: ', - * /' }
const DAY_OF_WEEK: FieldDef = { label: 'Day-of-week', min: 1, max: 7, maxStep: 0, names: DAY_NAMES, wildcards: ', - * ? L #' }
const YEAR: FieldDef = { label: 'Year', min: YEAR_MIN, max: YEAR_MAX, maxStep: YEAR_MAX - YEAR_MIN, wildcards: ', - * /' }

// A field's problem names the field by its label (the `field` parameter of every schedule.cron.* field code).
function fail(def: FieldDef, code: IssueCode, params: IssueParams = {}): never {
  throw new ScheduleExpressionError(code, { field: def.label, ...params })
}

function allowedValues(def: FieldDef): string {
  const names = def.names ? ` or ${def.names[0]}-${def.names[def.names.length - 1]}` : ''
  return `${def.min}-${def.max}${names}`
}

/** A single number or name, range-checked. */
function parseValue(token: string, def: FieldDef, item: string): number {
  const alone = token === item
  if (/^\d+$/.test(token)) {
    const value = Number(token)
    if (value < def.min || value > def.max) {
      fail(def, alone ? 'schedule.cron.range' : 'schedule.cron.rangeIn', { value: token, item, allowed: allowedValues(def) })
    }
    return value
  }
  const index = def.names?.indexOf(token) ?? -1
  if (index >= 0) return def.min + index
  return fail(def, alone ? 'schedule.cron.value' : 'schedule.cron.valueIn', { value: token, item, allowed: allowedValues(def), wildcards: def.wildcards })
}

/** One list item: `*`, `n`, `a-b`, each optionally followed by `/step`. */
function parseItem(item: string, def: FieldDef): number[] {
  if (item === '') fail(def, 'schedule.cron.emptyEntry')
  if (item.includes('?')) fail(def, 'schedule.cron.questionMark')
  const [base = '', stepText, extra] = item.split('/')
  if (extra !== undefined) fail(def, 'schedule.cron.slashes', { item })

  let step = 1
  if (stepText !== undefined) {
    if (def.maxStep === 0) fail(def, 'schedule.cron.noStep', { wildcards: def.wildcards })
    if (base === '') fail(def, 'schedule.cron.stepStart', { item, step: stepText || 5 })
    if (!/^\d+$/.test(stepText)) fail(def, 'schedule.cron.stepWhole', { item })
    step = Number(stepText)
    if (step < 1 || step > def.maxStep) fail(def, 'schedule.cron.stepRange', { item, max: def.maxStep })
  }

  let start: number
  let end: number
  if (base === '*') {
    start = def.min
    end = def.max
  }
  else if (base.includes('-')) {
    const [from = '', to = '', more] = base.split('-')
    if (from === '' || to === '' || more !== undefined) {
      fail(def, 'schedule.cron.rangeShape', { item, example: def.names ? `${def.names[1]}-${def.names[4]}` : `${def.min}-${def.min + 4}` })
    }
    start = parseValue(from, def, item)
    end = parseValue(to, def, item)
    if (start > end) fail(def, 'schedule.cron.rangeWraps', { range: base, example: def.names ? 'FRI-SAT,SUN-MON' : '22-23,0-2' })
  }
  else {
    start = parseValue(base, def, item)
    end = stepText === undefined ? start : def.max
  }

  const values: number[] = []
  for (let value = start; value <= end; value += step) values.push(value)
  return values
}

/** A comma-separated list of plain items, as sorted distinct values. */
function parseList(text: string, def: FieldDef): number[] {
  const values = new Set(text.split(',').flatMap(item => parseItem(item, def)))
  return [...values].sort((a, b) => a - b)
}

function parseDayOfMonth(text: string): DayOfMonthRule | null {
  if (text === '?') return null
  if (text === 'L') return { kind: 'last' }
  if (text === 'LW') return { kind: 'lastWeekday' }
  const nearest = /^(\d+)W$/.exec(text)
  if (nearest?.[1] !== undefined) return { kind: 'nearestWeekday', day: parseValue(nearest[1], DAY_OF_MONTH, text) }
  if (/[LW]/.test(text)) fail(DAY_OF_MONTH, 'schedule.cron.lw', { value: text })
  return { kind: 'days', days: parseList(text, DAY_OF_MONTH) }
}

function parseDayOfWeek(text: string): DayOfWeekRule | null {
  if (text === '?') return null
  // `L` alone is the last day of the week, i.e. Saturday (Quartz semantics).
  if (text === 'L') return { kind: 'days', days: [7] }
  const last = /^(\d+|[A-Z]+)L$/.exec(text)
  if (last?.[1] !== undefined) return { kind: 'last', day: parseValue(last[1], DAY_OF_WEEK, text) }
  const nth = /^(\d+|[A-Z]+)#(\d+)$/.exec(text)
  if (nth?.[1] !== undefined && nth[2] !== undefined) {
    const day = parseValue(nth[1], DAY_OF_WEEK, text)
    const k = Number(nth[2])
    if (k < 1 || k > 5) fail(DAY_OF_WEEK, 'schedule.cron.nth', { value: text })
    return { kind: 'nth', day, nth: k }
  }
  if (/[L#]/.test(text)) fail(DAY_OF_WEEK, 'schedule.cron.lHash', { value: text })
  return { kind: 'days', days: parseList(text, DAY_OF_WEEK) }
}

function parsePlainField(text: string, def: FieldDef): number[] {
  if (/[LW#]/.test(text.replace(/[A-Z]{3}/g, ''))) fail(def, 'schedule.cron.wildcard', { value: text, wildcards: def.wildcards })
  return parseList(text, def)
}

/**
 * Parses the inside of `cron(...)`: six fields separated by spaces.
 * @throws ScheduleExpressionError with a message naming the offending field.
 */
export function parseCronBody(body: string): CronSpec {
  const parts = body.split(/ +/)
  if (parts.length !== 6) {
    throw new ScheduleExpressionError('schedule.cron.fields', { count: parts.length })
  }
  const [minutes = '', hours = '', dayOfMonth = '', month = '', dayOfWeek = '', year = ''] = parts.map(part => part.toUpperCase())
  const fields: CronFields = { minutes, hours, dayOfMonth, month, dayOfWeek, year }

  const spec: CronSpec = {
    fields,
    minutes: parsePlainField(minutes, MINUTES),
    hours: parsePlainField(hours, HOURS),
    dayOfMonth: parseDayOfMonth(dayOfMonth),
    months: parsePlainField(month, MONTH),
    dayOfWeek: parseDayOfWeek(dayOfWeek),
    years: parsePlainField(year, YEAR),
  }
  if ((spec.dayOfMonth === null) === (spec.dayOfWeek === null)) {
    throw new ScheduleExpressionError('schedule.cron.dayFields')
  }
  return spec
}

/** Number of days in `month` (1-12) of `year`. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/** Weekday of a calendar date, 1 = Sunday ... 7 = Saturday. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1
}

function isWorkday(weekday: number): boolean {
  return weekday >= 2 && weekday <= 6
}

// Quartz `nW`: Saturday moves to Friday, Sunday to Monday, never leaving the month.
function nearestWeekday(year: number, month: number, day: number): number | null {
  const length = daysInMonth(year, month)
  if (day > length) return null
  const weekday = weekdayOf(year, month, day)
  if (weekday === 7) return day > 1 ? day - 1 : day + 2
  if (weekday === 1) return day < length ? day + 1 : day - 2
  return day
}

function dayOfMonthMatches(rule: DayOfMonthRule, year: number, month: number): number[] {
  const length = daysInMonth(year, month)
  switch (rule.kind) {
    case 'days':
      return rule.days.filter(day => day <= length)
    case 'last':
      return [length]
    case 'lastWeekday': {
      let day = length
      while (!isWorkday(weekdayOf(year, month, day))) day--
      return [day]
    }
    case 'nearestWeekday': {
      const day = nearestWeekday(year, month, rule.day)
      return day === null ? [] : [day]
    }
  }
}

function dayOfWeekMatches(rule: DayOfWeekRule, year: number, month: number): number[] {
  const length = daysInMonth(year, month)
  const firstWeekday = weekdayOf(year, month, 1)
  // The first date in the month falling on `weekday`.
  const firstOn = (weekday: number) => 1 + ((weekday - firstWeekday + 7) % 7)
  switch (rule.kind) {
    case 'days': {
      const days: number[] = []
      for (const weekday of rule.days) {
        for (let day = firstOn(weekday); day <= length; day += 7) days.push(day)
      }
      return days.sort((a, b) => a - b)
    }
    case 'last': {
      const first = firstOn(rule.day)
      return [first + 7 * Math.floor((length - first) / 7)]
    }
    case 'nth': {
      const day = firstOn(rule.day) + 7 * (rule.nth - 1)
      return day <= length ? [day] : []
    }
  }
}

/** The days of `month` (1-12) in `year` that the spec's day fields select, ascending. */
export function matchingDays(spec: CronSpec, year: number, month: number): number[] {
  if (spec.dayOfMonth) return dayOfMonthMatches(spec.dayOfMonth, year, month)
  if (spec.dayOfWeek) return dayOfWeekMatches(spec.dayOfWeek, year, month)
  return []
}

/**
 * Every wall-clock minute matching the spec at or after `start`, in ascending order.
 * Walks year -> month -> day -> hour -> minute, so sparse schedules (leap days, 5th weekdays)
 * cost a few hundred month checks at most; the walk ends after the last allowed year.
 */
export function* cronLocalTimes(spec: CronSpec, start: LocalMinute): Generator<LocalMinute> {
  for (const year of spec.years) {
    if (year < start.year) continue
    const inStartYear = year === start.year
    for (const month of spec.months) {
      if (inStartYear && month < start.month) continue
      const inStartMonth = inStartYear && month === start.month
      for (const day of matchingDays(spec, year, month)) {
        if (inStartMonth && day < start.day) continue
        const onStartDay = inStartMonth && day === start.day
        for (const hour of spec.hours) {
          if (onStartDay && hour < start.hour) continue
          const inStartHour = onStartDay && hour === start.hour
          for (const minute of spec.minutes) {
            if (inStartHour && minute < start.minute) continue
            yield { year, month, day, hour, minute }
          }
        }
      }
    }
  }
}
