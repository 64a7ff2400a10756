import { describe, it, expect } from 'vitest'
import { parseScheduleExpression, scheduleExpressionError, ScheduleExpressionError } from '../../shared/schedule'

describe('parseScheduleExpression: cron fields', () => {
  it('parses the AWS weekday example into field values', () => {
    const spec = parseScheduleExpression('cron(0 18 ? * MON-FRI *)')
    expect(spec).toMatchObject({
      kind: 'cron',
      minutes: [0],
      hours: [18],
      dayOfMonth: null,
      dayOfWeek: { kind: 'days', days: [2, 3, 4, 5, 6] },
      months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    })
    if (spec.kind !== 'cron') throw new Error('expected cron')
    expect(spec.years).toHaveLength(2199 - 1970 + 1)
    expect(spec.years[0]).toBe(1970)
  })

  it.each([
    ['0/15', [0, 15, 30, 45]],
    ['*/20', [0, 20, 40]],
    ['5/10', [5, 15, 25, 35, 45, 55]],
    ['3-20/5', [3, 8, 13, 18]],
    ['1,15,1', [1, 15]],
    ['50-52,10', [10, 50, 51, 52]],
  ])('expands the minutes field %s', (field, expected) => {
    expect(parseScheduleExpression(`cron(${field} 0 * * ? *)`)).toMatchObject({ minutes: expected })
  })

  it.each([
    ['JAN-MAR', [1, 2, 3]],
    ['jan,Jul,DEC', [1, 7, 12]],
    ['1/4', [1, 5, 9]],
    ['FEB/6', [2, 8]],
  ])('expands the month field %s (names are case-insensitive)', (field, expected) => {
    expect(parseScheduleExpression(`cron(0 0 1 ${field} ? *)`)).toMatchObject({ months: expected })
  })

  it.each([
    ['MON-FRI', { kind: 'days', days: [2, 3, 4, 5, 6] }],
    ['sun,sat', { kind: 'days', days: [1, 7] }],
    ['1-3', { kind: 'days', days: [1, 2, 3] }],
    ['*', { kind: 'days', days: [1, 2, 3, 4, 5, 6, 7] }],
    ['L', { kind: 'days', days: [7] }],
    ['6L', { kind: 'last', day: 6 }],
    ['FRIL', { kind: 'last', day: 6 }],
    ['2#1', { kind: 'nth', day: 2, nth: 1 }],
    ['mon#5', { kind: 'nth', day: 2, nth: 5 }],
  ])('reads the day-of-week field %s', (field, expected) => {
    expect(parseScheduleExpression(`cron(0 0 ? * ${field} *)`)).toMatchObject({ dayOfWeek: expected, dayOfMonth: null })
  })

  it.each([
    ['L', { kind: 'last' }],
    ['LW', { kind: 'lastWeekday' }],
    ['lw', { kind: 'lastWeekday' }],
    ['15W', { kind: 'nearestWeekday', day: 15 }],
    ['1,15', { kind: 'days', days: [1, 15] }],
    ['1/10', { kind: 'days', days: [1, 11, 21, 31] }],
  ])('reads the day-of-month field %s', (field, expected) => {
    expect(parseScheduleExpression(`cron(0 0 ${field} * ? *)`)).toMatchObject({ dayOfMonth: expected, dayOfWeek: null })
  })

  it('restricts the year field to the listed years', () => {
    expect(parseScheduleExpression('cron(0 0 1 1 ? 2027,2030-2031)')).toMatchObject({ years: [2027, 2030, 2031] })
  })
})

describe('parseScheduleExpression: rate and at', () => {
  it.each([
    ['rate(1 minute)', 1, 'minute'],
    ['rate(5 minutes)', 5, 'minute'],
    ['rate(1 hour)', 1, 'hour'],
    ['rate(12 hours)', 12, 'hour'],
    ['rate(1 day)', 1, 'day'],
    ['rate(30 days)', 30, 'day'],
  ])('parses %s', (expr, value, unit) => {
    expect(parseScheduleExpression(expr)).toEqual({ kind: 'rate', value, unit })
  })

  it('parses at() into a wall-clock time', () => {
    expect(parseScheduleExpression('at(2026-12-01T08:00:00)')).toEqual({
      kind: 'at',
      local: { year: 2026, month: 12, day: 1, hour: 8, minute: 0, second: 0 },
    })
  })
})

// Each validation rule: expressions that satisfy it...
const valid: Array<[rule: string, expr: string]> = [
  ['a cron expression', 'cron(0 10 * * ? *)'],
  ['a rate expression', 'rate(5 minutes)'],
  ['an at expression', 'at(2026-12-01T08:00:00)'],
  ['several spaces between fields', 'cron(0  10 *   * ? *)'],
  ['minutes at the top of the range', 'cron(59 0 * * ? *)'],
  ['hours at the top of the range', 'cron(0 23 * * ? *)'],
  ['day-of-month 31', 'cron(0 0 31 * ? *)'],
  ['month numbers', 'cron(0 0 1 12 ? *)'],
  ['month names in any case', 'cron(0 0 1 jan-Mar ? *)'],
  ['day-of-week numbers', 'cron(0 0 ? * 1-7 *)'],
  ['day-of-week names in any case', 'cron(0 0 ? * sun,Sat *)'],
  ['the first year', 'cron(0 0 1 1 ? 1970)'],
  ['the last year', 'cron(0 0 1 1 ? 2199)'],
  ['a year range with a step', 'cron(0 0 1 1 ? 2026-2030/2)'],
  ['"?" in day-of-month only', 'cron(0 8 ? * MON-FRI *)'],
  ['"?" in day-of-week only', 'cron(0 8 1 * ? *)'],
  ['a step from a number', 'cron(0/15 * * * ? *)'],
  ['a step from *', 'cron(*/10 * * * ? *)'],
  ['a step from an offset', 'cron(5/10 * * * ? *)'],
  ['a step over a range', 'cron(3-59/5 * * * ? *)'],
  ['the largest minute step', 'cron(0/59 * * * ? *)'],
  ['a day-of-month step', 'cron(0 0 1/7 * ? *)'],
  ['L in day-of-month', 'cron(0 0 L * ? *)'],
  ['LW in day-of-month', 'cron(0 0 LW * ? *)'],
  ['nW in day-of-month', 'cron(0 0 15W * ? *)'],
  ['L alone in day-of-week', 'cron(0 0 ? * L *)'],
  ['nL in day-of-week', 'cron(0 0 ? * 6L *)'],
  ['n#k in day-of-week', 'cron(0 9 ? * 2#1 *)'],
  ['the fifth weekday of the month', 'cron(0 9 ? * 6#5 *)'],
  ['a numeric range', 'cron(0 0 ? * 1-5 *)'],
  ['a named range', 'cron(0 0 ? * MON-FRI *)'],
  ['a range of one value', 'cron(0 5-5 * * ? *)'],
  ['a numeric list', 'cron(0 0 1,15 * ? *)'],
  ['a named list', 'cron(0 0 ? * MON,WED,FRI *)'],
  ['rate(1 minute)', 'rate(1 minute)'],
  ['rate(1 hour)', 'rate(1 hour)'],
  ['rate(12 hours)', 'rate(12 hours)'],
  ['rate(1 day)', 'rate(1 day)'],
  ['rate(2 days)', 'rate(2 days)'],
  ['a leap day in at()', 'at(2028-02-29T23:59:59)'],
]

// ...and expressions that break it, with a fragment of the message.
const invalid: Array<[rule: string, expr: string, message: string]> = [
  ['an empty string', '', 'cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)'],
  ['only spaces', '   ', 'is empty'],
  ['empty cron()', 'cron()', 'rate(value unit) or at(yyyy-mm-ddThh:mm:ss)'],
  ['empty rate()', 'rate()', 'cron(minutes hours'],
  ['empty at()', 'at( )', 'at() is empty'],
  ['an unknown function', 'every(5 minutes)', 'is not a schedule expression; use cron('],
  ['an upper-case function name', 'CRON(0 10 * * ? *)', 'is not a schedule expression'],
  ['no parentheses', 'cron 0 10 * * ? *', 'is not a schedule expression'],
  ['trailing text', 'cron(0 10 * * ? *) daily', 'is not a schedule expression'],
  ['a doubled closing parenthesis', 'cron(0 10 * * ? *))', 'is not a schedule expression'],
  ['whitespace around the expression', ' cron(0 10 * * ? *)', 'Remove the whitespace'],
  ['spaces inside the parentheses', 'cron( 0 10 * * ? *)', 'remove the spaces just inside'],
  ['a tab between fields', 'cron(0\t10 * * ? *)', 'plain spaces'],
  ['five fields', 'cron(0 10 * * ?)', 'exactly six fields'],
  ['seven fields', 'cron(0 0 10 * * ? *)', 'exactly six fields'],
  ['minutes above 59', 'cron(60 10 * * ? *)', 'Minutes: 60 is out of range (allowed: 0-59)'],
  ['hours above 23', 'cron(0 24 * * ? *)', 'Hours: 24 is out of range (allowed: 0-23)'],
  ['day-of-month 0', 'cron(0 0 0 * ? *)', 'Day-of-month: 0 is out of range (allowed: 1-31)'],
  ['day-of-month 32', 'cron(0 0 32 * ? *)', 'Day-of-month: 32 is out of range'],
  ['month 13', 'cron(0 0 1 13 ? *)', 'Month: 13 is out of range (allowed: 1-12 or JAN-DEC)'],
  ['month 0', 'cron(0 0 1 0 ? *)', 'Month: 0 is out of range'],
  ['an unknown month name', 'cron(0 0 1 JANUARY ? *)', 'Month: "JANUARY" is not a valid value'],
  ['day-of-week 0', 'cron(0 0 ? * 0 *)', 'Day-of-week: 0 is out of range (allowed: 1-7 or SUN-SAT)'],
  ['day-of-week 8', 'cron(0 0 ? * 8 *)', 'Day-of-week: 8 is out of range'],
  ['an unknown day name', 'cron(0 0 ? * FUN *)', 'Day-of-week: "FUN" is not a valid value'],
  ['a year before 1970', 'cron(0 0 1 1 ? 1969)', 'Year: 1969 is out of range (allowed: 1970-2199)'],
  ['a year after 2199', 'cron(0 0 1 1 ? 2200)', 'Year: 2200 is out of range'],
  ['"?" in both day fields', 'cron(0 8 ? * ? *)', 'exactly one of them must be \'?\''],
  ['"?" in neither day field', 'cron(0 8 * * MON *)', 'exactly one of them must be \'?\''],
  ['"*" in both day fields', 'cron(0 8 * * * *)', 'Day-of-month and day-of-week'],
  ['"?" in the minutes field', 'cron(? 8 * * ? *)', 'Minutes: "?" must stand alone'],
  ['"?" inside a list', 'cron(0 8 1,? * ? *)', 'Day-of-month: "?" must stand alone'],
  ['a zero step', 'cron(0/0 * * * ? *)', 'Minutes: the step in "0/0" must be between 1 and 59'],
  ['a minute step of 60', 'cron(0/60 * * * ? *)', 'between 1 and 59'],
  ['an hour step of 24', 'cron(0 0/24 * * ? *)', 'Hours: the step in "0/24" must be between 1 and 23'],
  ['a step without a start', 'cron(/5 * * * ? *)', 'needs a start before "/" (e.g. */5 or 0/5)'],
  ['a non-numeric step', 'cron(0/x * * * ? *)', 'must be a whole number'],
  ['two steps', 'cron(0/5/2 * * * ? *)', 'more than one "/"'],
  ['a step in day-of-week', 'cron(0 0 ? * 1/2 *)', 'Day-of-week: "/" is not allowed'],
  ['L in a day-of-month list', 'cron(0 0 1,L * ? *)', 'L and W must stand alone'],
  ['an L offset', 'cron(0 0 L-3 * ? *)', 'L and W must stand alone'],
  ['W on a range', 'cron(0 0 1-5W * ? *)', 'L and W must stand alone'],
  ['W without a day', 'cron(0 0 W * ? *)', 'L and W must stand alone'],
  ['nW beyond 31', 'cron(0 0 32W * ? *)', 'Day-of-month: 32 in "32W" is out of range'],
  ['L in the minutes field', 'cron(L 0 * * ? *)', 'Minutes: "L" uses a wildcard this field does not allow'],
  ['W in the month field', 'cron(0 0 1 W ? *)', 'Month: "W" uses a wildcard'],
  ['# in day-of-month', 'cron(0 0 1#2 * ? *)', 'Day-of-month: "1#2" is not a valid value'],
  ['#0', 'cron(0 9 ? * 2#0 *)', 'the number after "#" must be between 1 and 5'],
  ['#6', 'cron(0 9 ? * 2#6 *)', 'the number after "#" must be between 1 and 5'],
  ['# on day 8', 'cron(0 9 ? * 8#1 *)', 'Day-of-week: 8 in "8#1" is out of range'],
  ['nL in a list', 'cron(0 9 ? * 1,6L *)', 'L and # must stand alone'],
  ['# in a list', 'cron(0 9 ? * 1#1,2#2 *)', 'L and # must stand alone'],
  ['a wrap-around day range', 'cron(0 0 ? * FRI-MON *)', 'Day-of-week: the range "FRI-MON" wraps around'],
  ['a backwards hour range', 'cron(0 22-2 * * ? *)', 'Hours: the range "22-2" wraps around'],
  ['a range without an end', 'cron(0 1- * * ? *)', 'Hours: "1-" is not a valid range'],
  ['a range with three parts', 'cron(0 1-2-3 * * ? *)', 'is not a valid range'],
  ['a negative number', 'cron(-1 0 * * ? *)', 'Minutes: "-1" is not a valid range'],
  ['an empty list entry', 'cron(0 0 1,,15 * ? *)', 'Day-of-month: a list has an empty entry'],
  ['a trailing comma', 'cron(0 0 ? * MON, *)', 'Day-of-week: a list has an empty entry'],
  ['a rate of zero', 'rate(0 minutes)', 'must be a positive whole number'],
  ['a rate with a leading zero', 'rate(05 minutes)', 'without sign or leading zeros'],
  ['a signed rate', 'rate(+5 minutes)', 'without sign or leading zeros'],
  ['a fractional rate', 'rate(1.5 hours)', 'must be a positive whole number'],
  ['a plural unit for 1', 'rate(1 minutes)', 'use rate(1 minute)'],
  ['a plural unit for 1 hour', 'rate(1 hours)', 'use rate(1 hour)'],
  ['a singular unit above 1', 'rate(5 minute)', 'use rate(5 minutes)'],
  ['a singular day unit above 1', 'rate(2 day)', 'use rate(2 days)'],
  ['an unknown unit', 'rate(2 weeks)', 'must be minute(s), hour(s) or day(s)'],
  ['a capitalised unit', 'rate(5 Minutes)', 'must be minute(s), hour(s) or day(s)'],
  ['a rate without a unit', 'rate(5)', 'needs a value and a unit'],
  ['a rate with extra words', 'rate(5 minutes later)', 'needs a value and a unit'],
  ['an impossible date', 'at(2026-02-30T08:00:00)', '2026-02 has no day 30'],
  ['29 February outside a leap year', 'at(2026-02-29T08:00:00)', 'has no day 29'],
  ['month 13 in at()', 'at(2026-13-01T08:00:00)', 'the month 13 must be between 01 and 12'],
  ['hour 24 in at()', 'at(2026-12-01T24:00:00)', 'the hour 24 must be between 00 and 23'],
  ['minute 60 in at()', 'at(2026-12-01T08:60:00)', 'the minute 60'],
  ['second 60 in at()', 'at(2026-12-01T08:00:60)', 'the second 60'],
  ['at() without seconds', 'at(2026-12-01T08:00)', 'exactly as yyyy-mm-ddThh:mm:ss'],
  ['at() with a zone suffix', 'at(2026-12-01T08:00:00Z)', 'exactly as yyyy-mm-ddThh:mm:ss'],
  ['at() with a space instead of T', 'at(2026-12-01 08:00:00)', 'exactly as yyyy-mm-ddThh:mm:ss'],
  ['at() without zero padding', 'at(2026-12-1T08:00:00)', 'exactly as yyyy-mm-ddThh:mm:ss'],
  ['at() before 1970', 'at(1969-12-31T23:59:59)', 'before 1970'],
]

describe('validation', () => {
  it.each(valid)('accepts %s: %s', (_rule, expr) => {
    expect(scheduleExpressionError(expr)).toBeNull()
    expect(() => parseScheduleExpression(expr)).not.toThrow()
  })

  it.each(invalid)('rejects %s: %j', (_rule, expr, message) => {
    expect(scheduleExpressionError(expr)).toContain(message)
  })

  it('throws a ScheduleExpressionError with the same message', () => {
    let caught: unknown
    try {
      parseScheduleExpression('cron(0 10 * * * *)')
    }
    catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(ScheduleExpressionError)
    expect(caught).toBeInstanceOf(Error)
    expect((caught as Error).name).toBe('ScheduleExpressionError')
    expect((caught as Error).message).toBe(
      'Day-of-month and day-of-week: exactly one of them must be \'?\' (e.g. cron(0 8 ? * MON-FRI *) or cron(0 8 1 * ? *))',
    )
  })
})
