import { describe, it, expect } from 'vitest'
import { describeSchedule } from '../../shared/schedule'

describe('describeSchedule', () => {
  it.each([
    ['cron(55 8 * * ? *)', 'At 08:55, every day'],
    ['cron(0 19 ? * MON-FRI *)', 'At 19:00, Monday through Friday'],
    ['cron(0/15 * * * ? *)', 'Every 15 minutes'],
    ['rate(5 minutes)', 'Every 5 minutes'],
    ['rate(1 hour)', 'Every hour'],
    ['at(2026-12-01T08:00:00)', 'Once, at 2026-12-01 08:00:00'],
  ])('describes %s as %j', (expr, expected) => {
    expect(describeSchedule(expr)).toBe(expected)
  })

  it.each([
    ['rate(1 minute)', 'Every minute'],
    ['rate(12 hours)', 'Every 12 hours'],
    ['rate(1 day)', 'Every day'],
    ['rate(3 days)', 'Every 3 days'],
    ['cron(0 10 * * ? *)', 'At 10:00, every day'],
    ['cron(0 8 1 * ? *)', 'At 08:00, on day 1 of the month'],
    ['cron(0 8 1,15 * ? *)', 'At 08:00, on days 1 and 15 of the month'],
    ['cron(0 8 ? * MON,WED,FRI *)', 'At 08:00, on Mondays, Wednesdays and Fridays'],
    ['cron(0 8 ? * SUN *)', 'At 08:00, on Sundays'],
    ['cron(0 8,17 ? * MON-FRI *)', 'At 08:00 and 17:00, Monday through Friday'],
    ['cron(0/10 * ? * MON-FRI *)', 'Every 10 minutes, Monday through Friday'],
    ['cron(0/5 8-17 ? * MON-FRI *)', 'Every 5 minutes, between 08:00 and 17:55, Monday through Friday'],
    ['cron(* * * * ? *)', 'Every minute'],
    ['cron(0 * * * ? *)', 'Every hour, on the hour'],
    ['cron(30 * * * ? *)', 'Every hour, at minute 30'],
    ['cron(0 0/6 * * ? *)', 'At 00:00, 06:00, 12:00 and 18:00, every day'],
    ['cron(0 0/2 * * ? *)', 'Every 2 hours, on the hour'],
    ['cron(0 8-10 * * ? *)', 'At 08:00, 09:00 and 10:00, every day'],
    ['cron(* 0-12 * * ? *)', 'Every minute, between 00:00 and 12:59'],
    ['cron(15,45 9-17 ? * MON-FRI *)', 'At minutes 15 and 45 past the hour, between 09:15 and 17:45, Monday through Friday'],
    ['cron(5/10 * * * ? *)', 'At minutes 5, 15, 25, 35, 45 and 55 past the hour'],
    ['cron(0 0 ? * L *)', 'At 00:00, on Saturdays'],
    ['cron(0 9 ? * 2#1 *)', 'At 09:00, on the first Monday of the month'],
    ['cron(0 9 ? * 6L *)', 'At 09:00, on the last Friday of the month'],
    ['cron(0 9 L * ? *)', 'At 09:00, on the last day of the month'],
    ['cron(0 9 LW * ? *)', 'At 09:00, on the last weekday of the month'],
    ['cron(0 9 15W * ? *)', 'At 09:00, on the weekday nearest day 15 of the month'],
    ['cron(0 0 1 JAN-MAR ? *)', 'At 00:00, on day 1 of the month, in January through March'],
    ['cron(0 0 1 1 ? 2027)', 'At 00:00, on day 1 of the month, in January, in 2027'],
    ['cron(0 0 1 1 ? 2027-2030)', 'At 00:00, on day 1 of the month, in January, in 2027 through 2030'],
    ['cron(0 0 1 1 ? 2026/10)', 'At 00:00, on day 1 of the month, in January, every 10 years from 2026 through 2196'],
  ])('describes %s as %j', (expr, expected) => {
    expect(describeSchedule(expr)).toBe(expected)
  })

  // Unusual combinations need not read beautifully, but must produce some text.
  it.each([
    'cron(5/7 * * * ? *)',
    'cron(0,7,13,29,31,44,50,59 1,3,5 * * ? *)',
    'cron(3-59/5 0-3,20-23 1/3 JAN,MAR,DEC ? 1970-2199/3)',
    'cron(0 0 ? * L *)',
    'cron(* 0-12 * * ? *)',
  ])('describes the unusual %s without throwing', (expr) => {
    expect(describeSchedule(expr).length).toBeGreaterThan(5)
  })

  it('throws for an invalid expression', () => {
    expect(() => describeSchedule('cron(0 10 * * * *)')).toThrow('exactly one of them')
  })
})
