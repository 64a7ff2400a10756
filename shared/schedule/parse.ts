// Parsing of whole schedule expressions: cron(...), rate(...) and at(...).
import { parseCronBody, daysInMonth, type CronSpec } from './cron'
import { ScheduleExpressionError } from './errors'
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

const ACCEPTED_FORMS = 'use cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)'

function invalid(message: string): never {
  throw new ScheduleExpressionError(message)
}

function parseRate(body: string): RateSchedule {
  const parts = body.split(/ +/)
  const [valueText = '', unitText = ''] = parts
  if (parts.length !== 2) invalid(`rate() needs a value and a unit, e.g. rate(5 minutes) or rate(1 hour)`)
  if (!/^[1-9]\d*$/.test(valueText)) {
    invalid(`rate(): the value "${valueText}" must be a positive whole number without sign or leading zeros, e.g. rate(5 minutes)`)
  }
  const value = Number(valueText)
  const unit = /^(minute|hour|day)s?$/.exec(unitText)?.[1] as RateUnit | undefined
  if (!unit) invalid(`rate(): the unit "${unitText}" must be minute(s), hour(s) or day(s), e.g. rate(5 minutes)`)
  const plural = unitText.endsWith('s')
  if (value === 1 && plural) invalid(`rate(): a value of 1 takes the singular unit; use rate(1 ${unit})`)
  if (value > 1 && !plural) invalid(`rate(): a value above 1 takes the plural unit; use rate(${value} ${unit}s)`)
  if (!Number.isSafeInteger(value * RATE_UNIT_MS[unit])) invalid(`rate(): the value ${valueText} is too large`)
  return { kind: 'rate', value, unit }
}

function parseAt(body: string): AtSchedule {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body)
  if (!match) invalid(`at() needs a date and time written exactly as yyyy-mm-ddThh:mm:ss, e.g. at(2026-12-01T08:00:00)`)
  const [year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0] = match.slice(1).map(Number)
  if (year < 1970) invalid(`at(): the year ${year} is before 1970`)
  if (month < 1 || month > 12) invalid(`at(): the month ${match[2]} must be between 01 and 12`)
  const length = daysInMonth(year, month)
  if (day < 1 || day > length) invalid(`at(): ${match[1]}-${match[2]} has no day ${match[3]} (it has ${length} days)`)
  if (hour > 23) invalid(`at(): the hour ${match[4]} must be between 00 and 23`)
  if (minute > 59) invalid(`at(): the minute ${match[5]} must be between 00 and 59`)
  if (second > 59) invalid(`at(): the second ${match[6]} must be between 00 and 59`)
  return { kind: 'at', local: { year, month, day, hour, minute, second } }
}

/**
 * Parses an AWS EventBridge Scheduler schedule expression.
 * @throws ScheduleExpressionError with a message for a person when the expression is not valid.
 */
export function parseScheduleExpression(expr: string): ScheduleSpec {
  if (typeof expr !== 'string' || expr.trim() === '') invalid(`The schedule expression is empty; ${ACCEPTED_FORMS}`)
  if (expr !== expr.trim()) invalid('Remove the whitespace before or after the schedule expression')
  const match = /^([a-z]+)\(([^()]*)\)$/.exec(expr)
  const kind = match?.[1]
  const body = match?.[2] ?? ''
  if (kind !== 'cron' && kind !== 'rate' && kind !== 'at') invalid(`"${expr}" is not a schedule expression; ${ACCEPTED_FORMS}`)
  if (body.trim() === '') invalid(`${kind}() is empty; ${ACCEPTED_FORMS}`)
  if (/[^\S ]/.test(body)) invalid(`${kind}(): separate the parts with plain spaces (no tabs or line breaks)`)
  if (body !== body.trim()) invalid(`${kind}(): remove the spaces just inside the parentheses`)

  switch (kind) {
    case 'cron':
      return { kind: 'cron', ...parseCronBody(body) }
    case 'rate':
      return parseRate(body)
    case 'at':
      return parseAt(body)
  }
}

/** The validation message for `expr`, or null when it is valid (handy for zod refinements). */
export function scheduleExpressionError(expr: string): string | null {
  try {
    parseScheduleExpression(expr)
    return null
  }
  catch (error) {
    if (error instanceof ScheduleExpressionError) return error.message
    throw error
  }
}
