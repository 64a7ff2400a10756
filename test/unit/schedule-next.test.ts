import { describe, it, expect } from 'vitest'
import { nextRuns, wallClockAt } from '../../shared/schedule'

/** Runs as ISO strings without milliseconds, e.g. 2026-01-01T10:00:00Z. */
function runs(expr: string, timeZone: string, from: string, count: number, anchor?: string): string[] {
  return nextRuns(expr, timeZone, { from: new Date(from), count, anchor: anchor ? new Date(anchor) : undefined })
    .map(date => date.toISOString().replace('.000Z', 'Z'))
}

// 2026-01-01 is a Thursday. Expected times worked out by hand from the calendar.
describe('nextRuns: AWS documentation examples (UTC)', () => {
  it.each([
    // 10:00 every day
    ['cron(0 10 * * ? *)', '2026-01-01T00:00:00Z', ['2026-01-01T10:00:00Z', '2026-01-02T10:00:00Z', '2026-01-03T10:00:00Z']],
    // 12:15 every day
    ['cron(15 12 * * ? *)', '2026-01-01T12:15:00Z', ['2026-01-02T12:15:00Z', '2026-01-03T12:15:00Z', '2026-01-04T12:15:00Z']],
    // 18:00 Monday-Friday: Thu 1, Fri 2, then Mon 5
    ['cron(0 18 ? * MON-FRI *)', '2026-01-01T00:00:00Z', ['2026-01-01T18:00:00Z', '2026-01-02T18:00:00Z', '2026-01-05T18:00:00Z']],
    // 08:00 on the 1st of every month
    ['cron(0 8 1 * ? *)', '2026-01-01T08:00:00Z', ['2026-02-01T08:00:00Z', '2026-03-01T08:00:00Z', '2026-04-01T08:00:00Z']],
    // every 15 minutes
    ['cron(0/15 * * * ? *)', '2026-01-01T23:40:00Z', ['2026-01-01T23:45:00Z', '2026-01-02T00:00:00Z', '2026-01-02T00:15:00Z']],
    // every 10 minutes Monday-Friday: Friday evening jumps to Monday
    ['cron(0/10 * ? * MON-FRI *)', '2026-01-02T23:45:00Z', ['2026-01-02T23:50:00Z', '2026-01-05T00:00:00Z', '2026-01-05T00:10:00Z']],
    // every 5 minutes Monday-Friday between 08:00 and 17:55
    ['cron(0/5 8-17 ? * MON-FRI *)', '2026-01-02T17:50:00Z', ['2026-01-02T17:55:00Z', '2026-01-05T08:00:00Z', '2026-01-05T08:05:00Z']],
    // 09:00 on the first Monday of each month
    ['cron(0 9 ? * 2#1 *)', '2026-01-01T00:00:00Z', ['2026-01-05T09:00:00Z', '2026-02-02T09:00:00Z', '2026-03-02T09:00:00Z', '2026-04-06T09:00:00Z', '2026-05-04T09:00:00Z']],
  ])('computes %s after %s', (expr, from, expected) => {
    expect(runs(expr, 'UTC', from, expected.length)).toEqual(expected)
  })
})

describe('nextRuns: L, W and # (UTC, 2026)', () => {
  it.each([
    ['the last day of each month', 'cron(0 0 L * ? *)', ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30']],
    ['29 February as the last day of a leap-year February', 'cron(0 0 L 2 ? *)', ['2026-02-28', '2027-02-28', '2028-02-29']],
    // Jan 31 and Feb 28 are Saturdays, May 31 a Sunday.
    ['the last weekday of each month', 'cron(0 0 LW * ? *)', ['2026-01-30', '2026-02-27', '2026-03-31', '2026-04-30', '2026-05-29']],
    // The 15th is a Sunday in February and March (-> Monday 16th) and a Saturday in August (-> Friday 14th).
    ['the weekday nearest the 15th', 'cron(0 0 15W * ? *)', [
      '2026-01-15', '2026-02-16', '2026-03-16', '2026-04-15', '2026-05-15', '2026-06-15',
      '2026-07-15', '2026-08-14', '2026-09-15', '2026-10-15', '2026-11-16', '2026-12-15',
    ]],
    // 1 August 2026 is a Saturday: the Friday before is in July, so Monday the 3rd.
    ['the weekday nearest the 1st without leaving the month', 'cron(0 0 1W 8 ? 2026)', ['2026-08-03']],
    // Only 31-day months; 31 Jan/Oct are Saturdays, 31 May a Sunday (-> Friday 29th, not June 1st).
    ['the weekday nearest the 31st without leaving the month', 'cron(0 0 31W * ? 2026)', [
      '2026-01-30', '2026-03-31', '2026-05-29', '2026-07-31', '2026-08-31', '2026-10-30', '2026-12-31',
    ]],
    ['the last Friday of each month', 'cron(0 0 ? * 6L *)', ['2026-01-30', '2026-02-27', '2026-03-27', '2026-04-24']],
    ['every Saturday for a bare L in day-of-week', 'cron(0 0 ? * L *)', ['2026-01-03', '2026-01-10', '2026-01-17']],
    ['the fifth Friday, in months that have one', 'cron(0 0 ? * 6#5 *)', ['2026-01-30', '2026-05-29', '2026-07-31', '2026-10-30', '2027-01-29']],
    ['every 29 February', 'cron(0 0 29 2 ? *)', ['2028-02-29', '2032-02-29', '2036-02-29']],
    ['the 31st of the months that have one', 'cron(0 0 31 * ? *)', ['2026-01-31', '2026-03-31', '2026-05-31', '2026-07-31']],
  ])('selects %s', (_label, expr, days) => {
    const expected = days.map(day => `${day}T00:00:00Z`)
    expect(runs(expr, 'UTC', '2026-01-01T00:00:00Z', expected.length + 5).slice(0, expected.length)).toEqual(expected)
  })

  it('skips 2100, which is not a leap year', () => {
    expect(runs('cron(0 0 29 2 ? 2096-2104)', 'UTC', '2026-01-01T00:00:00Z', 5)).toEqual(['2096-02-29T00:00:00Z', '2104-02-29T00:00:00Z'])
  })
})

describe('nextRuns: rate()', () => {
  const from = '2026-01-01T00:00:00Z'

  it.each([
    ['rate(1 minute)', ['2026-01-01T00:01:00Z', '2026-01-01T00:02:00Z', '2026-01-01T00:03:00Z']],
    ['rate(5 minutes)', ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z', '2026-01-01T00:15:00Z']],
    ['rate(1 hour)', ['2026-01-01T01:00:00Z', '2026-01-01T02:00:00Z', '2026-01-01T03:00:00Z']],
    ['rate(12 hours)', ['2026-01-01T12:00:00Z', '2026-01-02T00:00:00Z', '2026-01-02T12:00:00Z']],
    ['rate(1 day)', ['2026-01-02T00:00:00Z', '2026-01-03T00:00:00Z', '2026-01-04T00:00:00Z']],
  ])('counts %s from `from` when there is no anchor', (expr, expected) => {
    expect(runs(expr, 'UTC', from, 3)).toEqual(expected)
  })

  it('continues the anchor\'s cadence', () => {
    expect(runs('rate(5 minutes)', 'UTC', '2026-01-01T00:00:00Z', 3, '2025-12-31T23:58:00Z'))
      .toEqual(['2026-01-01T00:03:00Z', '2026-01-01T00:08:00Z', '2026-01-01T00:13:00Z'])
  })

  it('starts at a future anchor', () => {
    expect(runs('rate(1 hour)', 'UTC', '2026-01-01T00:00:00Z', 2, '2026-01-01T05:30:00Z'))
      .toEqual(['2026-01-01T05:30:00Z', '2026-01-01T06:30:00Z'])
  })

  it('excludes a run exactly at `from`', () => {
    expect(runs('rate(1 hour)', 'UTC', '2026-01-01T02:00:00Z', 1, '2026-01-01T00:00:00Z')).toEqual(['2026-01-01T03:00:00Z'])
  })

  it('uses absolute 24-hour days across a DST change', () => {
    expect(runs('rate(1 day)', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual(['2026-03-08T12:00:00Z', '2026-03-09T12:00:00Z'])
  })
})

describe('nextRuns: at()', () => {
  it.each([
    ['UTC', '2026-12-01T08:00:00Z'],
    ['Europe/Berlin', '2026-12-01T07:00:00Z'],
    ['America/New_York', '2026-12-01T13:00:00Z'],
    ['Asia/Kolkata', '2026-12-01T02:30:00Z'],
  ])('fires once at the local time in %s', (timeZone, expected) => {
    expect(runs('at(2026-12-01T08:00:00)', timeZone, '2026-01-01T00:00:00Z', 5)).toEqual([expected])
  })

  it('returns nothing once the time has passed', () => {
    expect(runs('at(2026-12-01T08:00:00)', 'UTC', '2026-12-01T08:00:00Z', 5)).toEqual([])
  })

  it('returns nothing for a local time that does not exist on the spring-forward day', () => {
    expect(runs('at(2026-03-29T02:30:00)', 'Europe/Berlin', '2026-01-01T00:00:00Z', 1)).toEqual([])
  })

  it('picks the first occurrence of a local time repeated on the fall-back day', () => {
    expect(runs('at(2026-10-25T02:30:00)', 'Europe/Berlin', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-10-25T00:30:00Z'])
  })
})

describe('nextRuns: daylight saving time', () => {
  it.each([
    // New York springs forward on 2026-03-08 (02:00 EST -> 03:00 EDT).
    ['skips a local time that does not exist on the spring-forward day (New York)', 'cron(30 2 * * ? *)', 'America/New_York', '2026-03-07T00:00:00Z',
      ['2026-03-07T07:30:00Z', '2026-03-09T06:30:00Z', '2026-03-10T06:30:00Z']],
    ['keeps times just outside the spring-forward gap (New York)', 'cron(59 1,3 * * ? *)', 'America/New_York', '2026-03-08T00:00:00Z',
      ['2026-03-08T06:59:00Z', '2026-03-08T07:59:00Z', '2026-03-09T05:59:00Z']],
    // New York falls back on 2026-11-01 (02:00 EDT -> 01:00 EST).
    ['fires a repeated local time once, at its first occurrence (New York)', 'cron(30 1 * * ? *)', 'America/New_York', '2026-10-31T12:00:00Z',
      ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']],
    ['does not repeat half-hourly runs in the repeated hour (New York)', 'cron(0/30 * * * ? *)', 'America/New_York', '2026-11-01T04:45:00Z',
      ['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T07:00:00Z', '2026-11-01T07:30:00Z']],
    ['does not fire again during the second pass of the repeated hour', 'cron(30 1 * * ? *)', 'America/New_York', '2026-11-01T06:10:00Z',
      ['2026-11-02T06:30:00Z']],
    // Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
    ['skips a local time that does not exist on the spring-forward day (Berlin)', 'cron(30 2 * * ? *)', 'Europe/Berlin', '2026-03-28T12:00:00Z',
      ['2026-03-30T00:30:00Z', '2026-03-31T00:30:00Z']],
    ['fires a repeated local time once, at its first occurrence (Berlin)', 'cron(30 2 * * ? *)', 'Europe/Berlin', '2026-10-24T12:00:00Z',
      ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']],
    ['runs hourly through the spring-forward gap without the missing hour (Berlin)', 'cron(0 * * * ? *)', 'Europe/Berlin', '2026-03-28T23:30:00Z',
      ['2026-03-29T00:00:00Z', '2026-03-29T01:00:00Z', '2026-03-29T02:00:00Z']],
    // Sydney (southern hemisphere): 2026-04-05 03:00 AEDT -> 02:00 AEST; 2026-10-04 02:00 AEST -> 03:00 AEDT.
    ['fires a repeated local time once in April (Sydney)', 'cron(30 2 * * ? *)', 'Australia/Sydney', '2026-04-03T00:00:00Z',
      ['2026-04-03T15:30:00Z', '2026-04-04T15:30:00Z', '2026-04-05T16:30:00Z']],
    ['skips a local time that does not exist in October (Sydney)', 'cron(30 2 * * ? *)', 'Australia/Sydney', '2026-10-02T00:00:00Z',
      ['2026-10-02T16:30:00Z', '2026-10-04T15:30:00Z']],
    // Adelaide (+09:30 / +10:30) changes on the same days as Sydney.
    ['skips a local time that does not exist in a half-hour zone (Adelaide)', 'cron(30 2 * * ? *)', 'Australia/Adelaide', '2026-10-02T00:00:00Z',
      ['2026-10-02T17:00:00Z', '2026-10-04T16:00:00Z']],
    // Kolkata is +05:30 all year.
    ['applies a half-hour offset (Kolkata)', 'cron(0 9 ? * MON *)', 'Asia/Kolkata', '2026-01-01T00:00:00Z',
      ['2026-01-05T03:30:00Z', '2026-01-12T03:30:00Z']],
    ['counts minute steps on the local clock in a half-hour zone (Kolkata)', 'cron(0/20 * * * ? *)', 'Asia/Kolkata', '2026-01-01T00:00:00Z',
      ['2026-01-01T00:10:00Z', '2026-01-01T00:30:00Z', '2026-01-01T00:50:00Z']],
  ])('%s', (_label, expr, timeZone, from, expected) => {
    expect(runs(expr, timeZone, from, expected.length)).toEqual(expected)
  })

  // Brute-force oracle: walk every UTC minute and keep those whose wall clock matches and is not a repeat.
  it.each([
    ['America/New_York', '2026-11-01T00:00:00Z', (_h: number, m: number) => m % 30 === 0, 'cron(0/30 * * * ? *)'],
    ['America/New_York', '2026-03-08T00:00:00Z', (h: number, m: number) => h >= 1 && h <= 3 && m % 15 === 0, 'cron(0/15 1-3 * * ? *)'],
    ['Europe/Berlin', '2026-10-24T20:00:00Z', (h: number, _m: number) => h === 2, 'cron(* 2 * * ? *)'],
    ['Australia/Lord_Howe', '2026-10-03T10:00:00Z', (h: number, m: number) => h === 2 && m % 10 === 0, 'cron(0/10 2 * * ? *)'],
    ['Australia/Lord_Howe', '2026-04-04T10:00:00Z', (h: number, m: number) => h === 1 && m % 10 === 0, 'cron(0/10 1 * * ? *)'],
  ] as const)('agrees with a minute-by-minute scan in %s from %s', (timeZone, from, matches, expr) => {
    const start = Date.parse(from)
    const expected: string[] = []
    for (let t = start + 60_000; t < start + 2 * 86_400_000; t += 60_000) {
      const local = wallClockAt(t, timeZone)
      if (!matches(local.hour, local.minute)) continue
      // A repeat: the same wall clock was shown 30, 60 or 120 minutes earlier.
      const repeated = [30, 60, 120].some((back) => {
        const earlier = wallClockAt(t - back * 60_000, timeZone)
        return earlier.day === local.day && earlier.hour === local.hour && earlier.minute === local.minute
      })
      if (!repeated) expected.push(new Date(t).toISOString().replace('.000Z', 'Z'))
    }
    expect(expected.length).toBeGreaterThan(0)
    expect(runs(expr, timeZone, from, expected.length)).toEqual(expected)
  })
})

describe('nextRuns: the end of a schedule', () => {
  it('runs a single-year, single-day schedule exactly once', () => {
    expect(runs('cron(0 0 1 1 ? 2027)', 'UTC', '2026-01-01T00:00:00Z', 5)).toEqual(['2027-01-01T00:00:00Z'])
  })

  it('stops at the end of the year list', () => {
    expect(runs('cron(0 12 31 12 ? 2026-2028)', 'UTC', '2026-06-01T00:00:00Z', 10))
      .toEqual(['2026-12-31T12:00:00Z', '2027-12-31T12:00:00Z', '2028-12-31T12:00:00Z'])
  })

  it('returns nothing when the year has passed', () => {
    expect(runs('cron(0 0 1 1 ? 2025)', 'UTC', '2026-01-01T00:00:00Z', 5)).toEqual([])
  })

  it('runs for the last time in 2199', () => {
    expect(runs('cron(59 23 31 12 ? *)', 'UTC', '2197-06-01T00:00:00Z', 10)).toEqual(['2197-12-31T23:59:00Z', '2198-12-31T23:59:00Z', '2199-12-31T23:59:00Z'])
    expect(runs('cron(* * * * ? *)', 'UTC', '2199-12-31T23:59:00Z', 10)).toEqual([])
    expect(runs('cron(* * * * ? *)', 'UTC', '2200-06-01T00:00:00Z', 10)).toEqual([])
  })

  it.each([
    ['cron(0 0 31 2 ? *)'],
    ['cron(0 0 30 2 ? *)'],
    ['cron(0 0 31W 4 ? *)'],
  ])('returns nothing for %s, which never matches (its speed: npm run bench -- schedule-search)', (expr) => {
    expect(runs(expr, 'Europe/Berlin', '2026-01-01T00:00:00Z', 3)).toEqual([])
  })

  it('finds every leap day up to 2199', () => {
    const leapDays = runs('cron(0 0 29 2 ? *)', 'America/New_York', '2026-01-01T00:00:00Z', 100)
    // 2028, 2032, ..., 2196 without 2100: 43 - 1 = 42.
    expect(leapDays).toHaveLength(42)
    expect(leapDays.at(-1)).toBe('2196-02-29T05:00:00Z')
  })

  it('finds rare fifth weekdays', () => {
    const fifthFridays = runs('cron(0 0 ? * 6#5 *)', 'Australia/Sydney', '2026-01-01T00:00:00Z', 200)
    expect(fifthFridays).toHaveLength(200)
    // Every one a Friday (in Sydney), the fifth of its month.
    for (const run of fifthFridays) {
      const local = new Date(new Date(run).toLocaleString('en-US', { timeZone: 'Australia/Sydney' }))
      expect(local.getDay()).toBe(5)
      expect(local.getDate()).toBeGreaterThan(28)
    }
  })
})

describe('nextRuns: invariants', () => {
  it.each([
    ['cron(0/7 * * * ? *)', 'America/New_York', '2026-11-01T03:00:00Z'],
    ['cron(0/30 * * * ? *)', 'Europe/Berlin', '2026-03-28T22:00:00Z'],
    ['cron(15 0-3 ? * SUN *)', 'Australia/Sydney', '2026-04-01T00:00:00Z'],
    ['cron(* * * * ? *)', 'Asia/Kolkata', '2026-01-01T00:00:30Z'],
    ['rate(7 minutes)', 'UTC', '2026-01-01T00:00:00Z'],
  ])('returns %s runs in %s strictly after `from`, strictly increasing, whole minutes', (expr, timeZone, from) => {
    const result = nextRuns(expr, timeZone, { from: new Date(from), count: 300 })
    expect(result).toHaveLength(300)
    let previous = Date.parse(from)
    for (const run of result) {
      expect(run.getTime()).toBeGreaterThan(previous)
      expect(run.getTime() % 60_000).toBe(0)
      previous = run.getTime()
    }
  })

  it('returns an empty list for a count of 0', () => {
    expect(runs('cron(* * * * ? *)', 'UTC', '2026-01-01T00:00:00Z', 0)).toEqual([])
  })

  it.each([
    ['an unknown time zone', 'cron(0 10 * * ? *)', 'Mars/Olympus', 1, 'Unknown time zone'],
    ['an offset instead of a zone name', 'cron(0 10 * * ? *)', '+01:00', 1, 'Unknown time zone'],
    ['a negative count', 'cron(0 10 * * ? *)', 'UTC', -1, 'count'],
    ['a fractional count', 'cron(0 10 * * ? *)', 'UTC', 1.5, 'count'],
  ])('rejects %s', (_label, expr, timeZone, count, message) => {
    expect(() => nextRuns(expr, timeZone, { from: new Date('2026-01-01T00:00:00Z'), count })).toThrow(message)
  })

  it('rejects an invalid `from` date', () => {
    expect(() => nextRuns('rate(1 hour)', 'UTC', { from: new Date('nope'), count: 1 })).toThrow('from must be a valid Date')
  })

  it('rejects an invalid expression with a ScheduleExpressionError', () => {
    expect(() => nextRuns('cron(0 10 * * * *)', 'UTC', { from: new Date(), count: 1 })).toThrow(/exactly one of them must be '\?'/)
  })
})

describe('nextRuns until an instant', () => {
  const from = new Date('2026-12-01T00:00:00Z')
  const until = new Date('2026-12-04T18:00:00Z')

  it('returns the runs strictly before `until`, whatever the count, for cron, rate and at()', () => {
    expect(nextRuns('cron(0 19 * * ? *)', 'Europe/Berlin', { from, count: 100, until }).map(d => d.toISOString()))
      .toEqual(['2026-12-01T18:00:00.000Z', '2026-12-02T18:00:00.000Z', '2026-12-03T18:00:00.000Z'])
    expect(nextRuns('rate(1 day)', 'UTC', { from, count: 100, until, anchor: from })).toHaveLength(3)
    expect(nextRuns('at(2026-12-04T19:00:00)', 'Europe/Berlin', { from, count: 1, until })).toEqual([])
    expect(nextRuns('at(2026-12-04T18:59:00)', 'Europe/Berlin', { from, count: 1, until })).toEqual([new Date('2026-12-04T17:59:00Z')])
  })

  it('ends the search at `until` for a zone far ahead of UTC, and for an expression that never matches', () => {
    // 05:00 on the 5th in Kiritimati (UTC+14) is 15:00 UTC on the 4th: before `until`, though its wall clock is later.
    expect(nextRuns('cron(0 5 * * ? *)', 'Pacific/Kiritimati', { from, count: 100, until }).at(-1)).toEqual(new Date('2026-12-04T15:00:00Z'))
    expect(nextRuns('cron(0 0 31 2 ? *)', 'UTC', { from, count: 3, until })).toEqual([])
  })
})
