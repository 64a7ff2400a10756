import { describe, expect, it } from 'vitest'
import { formatWallClock, localWallClock, wallClockAsWritten, wallClockWithOffset } from '../../shared/datetime-text'
import type { DateTextStyle } from '../../shared/datetime-text'
import { formatInZone, wallClockAt } from '../../shared/schedule/timezone'

const OPTIONS: Record<DateTextStyle, Intl.DateTimeFormatOptions> = {
  dateTime: { dateStyle: 'medium', timeStyle: 'short' },
  runTime: { weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' },
  exact: { dateStyle: 'medium', timeStyle: 'medium' },
}
const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Adelaide', 'Asia/Kolkata']
// Every month and weekday, both halves of the day, midnight, and both sides of a DST change.
const INSTANTS = [
  ...Array.from({ length: 24 }, (_, i) => new Date(Date.UTC(2026, i % 12, 1 + ((i * 5) % 28), (i * 7) % 24, (i * 13) % 60, (i * 17) % 60))),
  new Date('2026-03-29T00:59:59Z'), new Date('2026-03-29T01:00:00Z'), new Date('2026-11-01T05:30:00Z'), new Date('2099-01-01T00:00:00Z'),
]

describe('formatWallClock', () => {
  it.each(['en', 'zh-CN'])('writes what Intl.DateTimeFormat writes in %s, in every style and zone', (locale) => {
    for (const timeZone of ZONES) {
      for (const date of INSTANTS) {
        for (const style of Object.keys(OPTIONS) as DateTextStyle[]) {
          const intl = new Intl.DateTimeFormat(locale, { ...OPTIONS[style], hourCycle: 'h23', timeZone }).format(date)
          expect(formatWallClock(wallClockAt(date, timeZone), style, locale), `${locale} ${style} ${timeZone} ${date.toISOString()}`).toBe(intl)
        }
      }
    }
  })

  it('reads a time in a rule\'s zone from the ISO text the server wrote in that zone', () => {
    for (const timeZone of ZONES) {
      for (const date of INSTANTS) {
        expect(wallClockAsWritten(formatInZone(date, timeZone))).toEqual(wallClockAt(date, timeZone))
      }
    }
    expect(wallClockAsWritten('not a time')).toBeNull()
  })

  it('shifts by an offset, and reads the runtime\'s own zone without Intl', () => {
    const date = new Date('2026-12-01T23:30:00Z')
    expect(wallClockWithOffset(date, 60)).toEqual({ year: 2026, month: 12, day: 2, hour: 0, minute: 30, second: 0 })
    expect(localWallClock(date)).toEqual(wallClockAt(date, Intl.DateTimeFormat().resolvedOptions().timeZone))
  })
})
