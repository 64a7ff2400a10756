// Short descriptions of schedule expressions, for lists and previews: in English, or in Simplified Chinese written from
// the same parsed spec (falling back to English for shapes the Chinese wording does not cover).
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

// Simplified Chinese.
const ZH_WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const ZH_UNITS = { minute: '分钟', hour: '小时', day: '天' } as const
const zhWeekday = (weekday: number) => ZH_WEEKDAYS[weekday - 1] ?? `第 ${weekday} 天`

/** "1至5" for 3+ contiguous values, else "1、3、5". */
function zhList(values: number[], name: (value: number) => string): string {
  const first = values[0]
  const last = values[values.length - 1]
  if (first !== undefined && last !== undefined && values.length >= 3 && isContiguous(values)) return `${name(first)}至${name(last)}`
  return values.map(name).join('、')
}

function zhTime(spec: CronSpec): string | null {
  const { minutes, hours } = spec
  if (minutes.length * hours.length <= 6) return hours.flatMap(hour => minutes.map(minute => clock(hour, minute))).join('、')
  let during = ''
  if (hours.length < 24) {
    if (!isContiguous(hours)) return null
    during = `${clock(hours[0] ?? 0, minutes[0] ?? 0)} 至 ${clock(hours[hours.length - 1] ?? 23, minutes[minutes.length - 1] ?? 59)} 之间`
  }
  if (minutes.length === 60) return `${during}每分钟`
  const minuteStep = stepOf(minutes)
  if (minutes[0] === 0 && minuteStep !== null && 60 % minuteStep === 0 && minutes.length === 60 / minuteStep) return `${during}每 ${minuteStep} 分钟`
  if (minutes.length === 1 && hours.length === 24) return minutes[0] === 0 ? '每小时整点' : `每小时第 ${minutes[0]} 分钟`
  return null
}

function zhDayOfMonth(rule: DayOfMonthRule): string {
  switch (rule.kind) {
    case 'days': return rule.days.length === 31 ? '每天' : `每月 ${zhList(rule.days, String)} 日`
    case 'last': return '每月最后一天'
    case 'lastWeekday': return '每月最后一个工作日'
    case 'nearestWeekday': return `每月最接近 ${rule.day} 日的工作日`
  }
}

function zhDayOfWeek(rule: DayOfWeekRule): string {
  switch (rule.kind) {
    case 'days': return rule.days.length === 7 ? '每天' : `每${zhList(rule.days, zhWeekday)}`
    case 'last': return `每月最后一个${zhWeekday(rule.day)}`
    case 'nth': return `每月第 ${rule.nth} 个${zhWeekday(rule.day)}`
  }
}

function zhCron(spec: CronSpec): string | null {
  const time = zhTime(spec)
  // Year limits are rare: the English wording says them precisely.
  if (time === null || spec.fields.year !== '*') return null
  const days = spec.dayOfMonth ? zhDayOfMonth(spec.dayOfMonth) : spec.dayOfWeek ? zhDayOfWeek(spec.dayOfWeek) : ''
  const months = spec.months.length === 12 ? '' : `${zhList(spec.months, String)} 月`
  // "Every 15 minutes" already means every day.
  const repeating = time.includes('每')
  const when = [repeating && days === '每天' ? '' : days, time].filter(Boolean).join(' ')
  return months ? `${months}，${when}` : when
}

/** The Chinese wording, or null when only the English one says it well. */
function zhSpec(spec: ScheduleSpec): string | null {
  switch (spec.kind) {
    case 'rate':
      return spec.value === 1 ? `每${ZH_UNITS[spec.unit]}` : `每 ${spec.value} ${ZH_UNITS[spec.unit]}`
    case 'at':
      return `仅一次：${spec.local.year}-${pad(spec.local.month)}-${pad(spec.local.day)} ${clock(spec.local.hour, spec.local.minute)}`
    case 'cron':
      return zhCron(spec)
  }
}

/** The languages a schedule can be described in. */
export type ScheduleLocale = 'en' | 'zh-CN'

/**
 * A short description in `locale`, e.g. "At 19:00, Monday through Friday" or "每周一至周五 19:00".
 * The Chinese wording falls back to the English one for rare shapes (year limits, scattered hours or minutes).
 * Never throws for a valid expression (falls back to a generic English wording).
 * @throws ScheduleExpressionError when `expr` is not valid.
 */
export function describeSchedule(expr: string, locale: ScheduleLocale = 'en'): string {
  const spec = parseScheduleExpression(expr)
  try {
    return (locale === 'zh-CN' ? zhSpec(spec) : null) ?? describeSpec(spec)
  }
  catch {
    return `On the schedule ${expr}`
  }
}
