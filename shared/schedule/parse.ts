// Parsing of whole schedule expressions: cron(...), rate(...) and at(...).
import { parseCronBody, daysInMonth, type CronSpec } from './cron'
import { ScheduleExpressionError } from './errors'
import type { Issue, IssueCode, IssueParams } from '../schemas/issue'
import type { LocalDateTime } from './timezone'

export type RateUnit = 'minute' | 'hour' | 'day'

/** `cron(minutes hours day-of-month month day-of-week year)`, evaluated on the zone's wall clock. */
export interface CronSchedule extends CronSpec {
  kind: 'cron'
}

/** `rate(value unit)`: a fixed interval of absolute time. */
export interface RateSchedule {
  kind: 'rate'
  value: number
  unit: RateUnit
}

/** `at(yyyy-mm-ddThh:mm:ss)`: one wall-clock time in the schedule's zone. */
export interface AtSchedule {
  kind: 'at'
  local: LocalDateTime
}

export type ScheduleSpec = CronSchedule | RateSchedule | AtSchedule

/** Milliseconds in one of each rate unit. */
export const RATE_UNIT_MS: Record<RateUnit, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
}

function invalid(code: IssueCode, params?: IssueParams): never {
  throw new ScheduleExpressionError(code, params)
}

function parseRate(body: string): RateSchedule {
  const parts = body.split(/ +/)
  const [valueText = '', unitText = ''] = parts
  if (parts.length !== 2) invalid('schedule.rate.parts')
  if (!/^[1-9]\d*$/.test(valueText)) invalid('schedule.rate.value', { value: valueText })
  const value = Number(valueText)
  const unit = /^(minute|hour|day)s?$/.exec(unitText)?.[1] as RateUnit | undefined
  if (!unit) invalid('schedule.rate.unit', { unit: unitText })
  const plural = unitText.endsWith('s')
  if (value === 1 && plural) invalid('schedule.rate.singular', { unit })
  if (value > 1 && !plural) invalid('schedule.rate.plural', { value, unit })
  if (!Number.isSafeInteger(value * RATE_UNIT_MS[unit])) invalid('schedule.rate.tooLarge', { value: valueText })
  return { kind: 'rate', value, unit }
}

function parseAt(body: string): AtSchedule {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body)
  if (!match) invalid('schedule.at.format')
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number)
  const [, yearText = '', monthText = '', dayText = '', hourText = '', minuteText = '', secondText = ''] = match
  if (year < 1970) invalid('schedule.at.year', { year })
  if (month < 1 || month > 12) invalid('schedule.at.month', { month: monthText })
  const length = daysInMonth(year, month)
  if (day < 1 || day > length) invalid('schedule.at.day', { year: yearText, month: monthText, day: dayText, days: length })
  if (hour > 23) invalid('schedule.at.hour', { hour: hourText })
  if (minute > 59) invalid('schedule.at.minute', { minute: minuteText })
  if (second > 59) invalid('schedule.at.second', { second: secondText })
  return { kind: 'at', local: { year, month, day, hour, minute, second } }
}

/**
 * Parses an AWS EventBridge Scheduler schedule expression.
 * @throws ScheduleExpressionError with a message for a person when the expression is not valid.
 */
export function parseScheduleExpression(expr: string): ScheduleSpec {
  if (typeof expr !== 'string' || expr.trim() === '') invalid('schedule.empty')
  if (expr !== expr.trim()) invalid('schedule.whitespace')
  const match = /^([a-z]+)\(([^()]*)\)$/.exec(expr)
  const kind = match?.[1]
  const body = match?.[2] ?? ''
  if (kind !== 'cron' && kind !== 'rate' && kind !== 'at') invalid('schedule.unknown', { expression: expr })
  if (body.trim() === '') invalid('schedule.emptyBody', { kind })
  if (/[^\S ]/.test(body)) invalid('schedule.spaces', { kind })
  if (body !== body.trim()) invalid('schedule.padding', { kind })

  switch (kind) {
    case 'cron':
      return { kind: 'cron', ...parseCronBody(body) }
    case 'rate':
      return parseRate(body)
    case 'at':
      return parseAt(body)
  }
}

/** What is wrong with `expr` (code, parameters and English message), or null when it is valid. */
export function scheduleExpressionIssue(expr: string): Issue | null {
  try {
    parseScheduleExpression(expr)
    return null
  }
  catch (error) {
    if (error instanceof ScheduleExpressionError) return error.issue
    throw error
  }
}

/** The validation message for `expr`, or null when it is valid. */
export function scheduleExpressionError(expr: string): string | null {
  return scheduleExpressionIssue(expr)?.message ?? null
}
