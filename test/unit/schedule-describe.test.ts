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

describe('describeSchedule in Chinese', () => {
  it.each([
    ['cron(55 8 * * ? *)', '每天 08:55'],
    ['cron(0 19 ? * MON-FRI *)', '每周一至周五 19:00'],
    ['cron(0 8 ? * MON,WED,FRI *)', '每周一、周三、周五 08:00'],
    ['cron(0 8,17 ? * MON-FRI *)', '每周一至周五 08:00、17:00'],
    ['cron(0 8 1,15 * ? *)', '每月 1、15 日 08:00'],
    ['cron(0 8 1-5 * ? *)', '每月 1至5 日 08:00'],
    ['cron(0 0/6 * * ? *)', '每天 00:00、06:00、12:00、18:00'],
    ['cron(0/15 * * * ? *)', '每 15 分钟'],
    ['cron(0/10 * ? * MON-FRI *)', '每周一至周五 每 10 分钟'],
    ['cron(0/5 8-17 ? * MON-FRI *)', '每周一至周五 08:00 至 17:55 之间每 5 分钟'],
    ['cron(* 0-12 * * ? *)', '00:00 至 12:59 之间每分钟'],
    ['cron(* * * * ? *)', '每分钟'],
    ['cron(0 * * * ? *)', '每小时整点'],
    ['cron(30 * * * ? *)', '每小时第 30 分钟'],
    ['cron(0 9 L * ? *)', '每月最后一天 09:00'],
    ['cron(0 9 LW * ? *)', '每月最后一个工作日 09:00'],
    ['cron(0 9 15W * ? *)', '每月最接近 15 日的工作日 09:00'],
    ['cron(0 0 ? * L *)', '每周六 00:00'],
    ['cron(0 9 ? * 6L *)', '每月最后一个周五 09:00'],
    ['cron(0 9 ? * 2#1 *)', '每月第 1 个周一 09:00'],
    ['cron(0 22 ? DEC 5#5 *)', '12 月，每月第 5 个周四 22:00'],
    ['cron(0 0 1 JAN-MAR ? *)', '1至3 月，每月 1 日 00:00'],
    ['cron(30 7 ? 6-8 MON-FRI *)', '6至8 月，每周一至周五 07:30'],
    ['rate(1 minute)', '每分钟'],
    ['rate(5 minutes)', '每 5 分钟'],
    ['rate(1 hour)', '每小时'],
    ['rate(3 days)', '每 3 天'],
    ['at(2026-12-01T08:00:00)', '仅一次：2026-12-01 08:00'],
  ])('describes %s as %j', (expr, expected) => {
    expect(describeSchedule(expr, 'zh-CN')).toBe(expected)
  })

  // Shapes the Chinese wording does not cover (stepped hours, scattered minutes or hours, years) read in English.
  it.each([
    ['cron(0 0/2 * * ? *)', 'Every 2 hours, on the hour'],
    ['cron(15,45 9-17 ? * MON-FRI *)', 'At minutes 15 and 45 past the hour, between 09:15 and 17:45, Monday through Friday'],
    ['cron(0/15 0,12 * * ? *)', 'Every 15 minutes, during hours 0 and 12'],
    ['cron(0 0 1 1 ? 2027)', 'At 00:00, on day 1 of the month, in January, in 2027'],
  ])('describes %s in English as %j', (expr, expected) => {
    expect(describeSchedule(expr, 'zh-CN')).toBe(expected)
  })

  it('speaks English by default', () => {
    expect(describeSchedule('cron(0 19 ? * MON-FRI *)')).toBe(describeSchedule('cron(0 19 ? * MON-FRI *)', 'en'))
  })

  it('throws for an invalid expression', () => {
    expect(() => describeSchedule('cron(0 10 * * * *)', 'zh-CN')).toThrow('exactly one of them')
  })
})
