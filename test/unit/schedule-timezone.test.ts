import { describe, it, expect } from 'vitest'
import { formatInZone, isValidTimeZone, localToUtc, resolveLocalTime, timeZoneOffsetMs, wallClockAt } from '../../shared/schedule'
import type { LocalDateTime } from '../../shared/schedule'

const local = (year: number, month: number, day: number, hour: number, minute: number, second = 0): LocalDateTime =>
  ({ year, month, day, hour, minute, second })

describe('isValidTimeZone', () => {
  it.each(['UTC', 'Europe/Berlin', 'America/New_York', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5', 'Etc/GMT-14', 'Asia/Kolkata', 'Australia/Lord_Howe'])(
    'accepts %s', (timeZone) => {
      expect(isValidTimeZone(timeZone)).toBe(true)
    },
  )

  it.each(['', ' ', '+01:00', '-05:00', '+0100', 'UTC+1', 'GMT+01:00', 'Europe/Nowhere', 'Mars/Olympus', ' UTC', 'UTC ', 'Europe//Berlin', '../etc'])(
    'rejects %j', (timeZone) => {
      expect(isValidTimeZone(timeZone)).toBe(false)
    },
  )
})

describe('timeZoneOffsetMs', () => {
  it.each([
    ['UTC', '2026-07-01T00:00:00Z', 0],
    ['Europe/Berlin', '2026-01-15T12:00:00Z', 60],
    ['Europe/Berlin', '2026-07-15T12:00:00Z', 120],
    ['America/New_York', '2026-07-15T12:00:00Z', -240],
    ['Australia/Sydney', '2026-01-15T12:00:00Z', 660],
    ['Australia/Sydney', '2026-07-15T12:00:00Z', 600],
    ['Asia/Kolkata', '2026-07-15T12:00:00Z', 330],
    ['Australia/Adelaide', '2026-01-15T12:00:00Z', 630],
    ['Etc/GMT+5', '2026-07-15T12:00:00Z', -300],
  ])('gives the offset of %s at %s in minutes', (timeZone, instant, minutes) => {
    expect(timeZoneOffsetMs(new Date(instant), timeZone)).toBe(minutes * 60_000)
  })

  it('switches exactly at the transition instant', () => {
    // Berlin springs forward at 01:00Z on 2026-03-29.
    expect(timeZoneOffsetMs(Date.parse('2026-03-29T00:59:59Z'), 'Europe/Berlin')).toBe(60 * 60_000)
    expect(timeZoneOffsetMs(Date.parse('2026-03-29T01:00:00Z'), 'Europe/Berlin')).toBe(120 * 60_000)
  })
})

describe('resolveLocalTime and localToUtc', () => {
  it('resolves an ordinary local time to one instant', () => {
    expect(resolveLocalTime(local(2026, 6, 1, 12, 0), 'Europe/Berlin'))
      .toEqual({ kind: 'exact', instant: new Date('2026-06-01T10:00:00Z') })
  })

  it.each([
    ['Europe/Berlin', local(2026, 3, 29, 2, 30)],
    ['America/New_York', local(2026, 3, 8, 2, 0)],
    ['Australia/Sydney', local(2026, 10, 4, 2, 59, 59)],
    ['Australia/Lord_Howe', local(2026, 10, 4, 2, 15)],
  ])('reports that a spring-forward time in %s does not exist', (timeZone, time) => {
    expect(resolveLocalTime(time, timeZone)).toEqual({ kind: 'gap' })
    expect(localToUtc(time, timeZone)).toBeNull()
  })

  it.each([
    ['Europe/Berlin', local(2026, 10, 25, 2, 30), '2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z'],
    ['America/New_York', local(2026, 11, 1, 1, 0), '2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z'],
    ['Australia/Sydney', local(2026, 4, 5, 2, 30), '2026-04-04T15:30:00Z', '2026-04-04T16:30:00Z'],
    // Lord Howe moves back only 30 minutes: +11:00 -> +10:30.
    ['Australia/Lord_Howe', local(2026, 4, 5, 1, 45), '2026-04-04T14:45:00Z', '2026-04-04T15:15:00Z'],
  ])('picks the first of two occurrences on the fall-back day in %s', (timeZone, time, first, later) => {
    expect(resolveLocalTime(time, timeZone)).toEqual({ kind: 'ambiguous', instant: new Date(first), later: new Date(later) })
    expect(localToUtc(time, timeZone)).toEqual(new Date(first))
  })

  it('round-trips with wallClockAt', () => {
    const time = local(2026, 2, 28, 23, 59, 30)
    const instant = localToUtc(time, 'Asia/Kolkata')
    expect(instant).toEqual(new Date('2026-02-28T18:29:30Z'))
    expect(wallClockAt(instant ?? 0, 'Asia/Kolkata')).toEqual(time)
  })
})

describe('formatInZone', () => {
  it.each([
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', '2026-03-29T03:00:00+02:00'],
    ['2026-03-29T00:59:00Z', 'Europe/Berlin', '2026-03-29T01:59:00+01:00'],
    ['2026-07-01T12:34:56.789Z', 'UTC', '2026-07-01T12:34:56+00:00'],
    ['2026-01-01T00:00:00Z', 'America/New_York', '2025-12-31T19:00:00-05:00'],
    ['2026-01-01T00:00:00Z', 'Asia/Kolkata', '2026-01-01T05:30:00+05:30'],
    ['2026-01-01T00:00:00Z', 'Australia/Adelaide', '2026-01-01T10:30:00+10:30'],
    ['2026-01-01T00:00:00Z', 'America/St_Johns', '2025-12-31T20:30:00-03:30'],
    ['2026-01-01T00:00:00Z', 'Etc/GMT+5', '2025-12-31T19:00:00-05:00'],
  ])('formats %s in %s as %s', (instant, timeZone, expected) => {
    expect(formatInZone(new Date(instant), timeZone)).toBe(expected)
  })
})
