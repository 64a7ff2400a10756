// An imported .ics file: all-day and multi-day events become days, recurring ones expanded (RRULE, EXDATE, a moved
// occurrence), up to three years after the import; what is not a calendar, or does not parse, is refused saying why.
import ICAL from 'ical.js'
import { describe, expect, it } from 'vitest'
import { importIcs, IcsRefused } from '../../server/utils/calendars/ics'
import { event, ics, TEAM_DAYS_OFF } from '../helpers/ics'

// The instant of the import, injected: the horizon is counted from it, never from the clock.
const IMPORTED = new Date('2026-03-01T10:00:00Z')

const refusal = (text: string) => {
  try {
    importIcs(ICAL, text, 'x.ics', IMPORTED)
  }
  catch (e) {
    if (e instanceof IcsRefused) return e.issue
    throw e
  }
  throw new Error('expected the file to be refused')
}

describe('importing an .ics file', () => {
  const imported = importIcs(ICAL, TEAM_DAYS_OFF, 'team.ics', IMPORTED).ics
  const on = (date: string) => imported.days.filter(d => d.date === date).map(d => d.label)

  it('records the file, the time of the import and the horizon: from 1 January of that year to three years after it', () => {
    expect(imported).toMatchObject({ file: 'team.ics', importedAt: '2026-03-01T10:00:00.000Z', horizon: { from: '2026-01-01', to: '2029-03-01' } })
  })

  it('expands a yearly all-day event within the horizon, without the year its EXDATE removes', () => {
    expect(imported.days.filter(d => d.label === 'Bridge day').map(d => d.date)).toEqual(['2026-01-02', '2027-01-02', '2029-01-02'])
  })

  it('expands a weekly series, with its moved occurrence on its new day and under its own name', () => {
    expect(imported.days.filter(d => d.label.startsWith('Summer Friday')).map(d => `${d.date} ${d.label}`)).toEqual([
      '2026-06-05 Summer Friday', '2026-06-12 Summer Friday', '2026-06-18 Summer Friday (moved)', '2026-06-26 Summer Friday',
    ])
    expect(on('2026-06-19')).toEqual([])
  })

  it('spreads events over the days they span: all-day to the day before DTEND, timed ones to the day they end (unless at midnight)', () => {
    expect(imported.days.filter(d => d.label === 'Office shutdown').map(d => d.date)).toEqual(['2026-12-28', '2026-12-29', '2026-12-30'])
    expect(imported.days.filter(d => d.label === 'Release freeze').map(d => d.date)).toEqual(['2026-09-10', '2026-09-11', '2026-09-12'])
    expect(imported.days.filter(d => d.label === 'Migration').map(d => d.date)).toEqual(['2026-10-01', '2026-10-02'])
  })

  it('keeps no day for a meeting within one day (counted as ignored) or a cancelled event', () => {
    expect(on('2026-07-15')).toEqual([])
    expect(on('2026-08-01')).toEqual([])
    expect(imported.ignoredEvents).toBe(1)
  })

  it('counts the horizon from the instant of the import, whatever the date today', () => {
    const later = importIcs(ICAL, TEAM_DAYS_OFF, 'team.ics', new Date('2027-06-01T00:00:00Z')).ics
    expect(later.horizon).toEqual({ from: '2027-01-01', to: '2030-06-01' })
    expect(later.days.filter(d => d.label === 'Bridge day').map(d => d.date)).toEqual(['2027-01-02', '2029-01-02', '2030-01-02'])
    // A daily series without end stops at the horizon.
    const daily = importIcs(ICAL, ics('BEGIN:VCALENDAR', 'VERSION:2.0', ...event('UID:d', 'DTSTART;VALUE=DATE:20200101', 'RRULE:FREQ=DAILY', 'SUMMARY:every day'), 'END:VCALENDAR'), 'd.ics', IMPORTED).ics
    expect(daily.days[0]!.date).toBe('2026-01-01')
    expect(daily.days.at(-1)!.date).toBe('2029-03-01')
  })

  it.each([
    ['a vCard', 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nEND:VCARD\r\n', 'calendar.ics.notCalendar'],
    ['an unterminated calendar', 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\n', 'calendar.ics.parse'],
    ['a line that is no property', 'BEGIN:VCALENDAR\r\nthis is not ical\r\nEND:VCALENDAR\r\n', 'calendar.ics.parse'],
  ])('refuses %s, saying why', (_what, text, code) => {
    const problem = refusal(text)
    expect(problem.code).toBe(code)
    expect(problem.message.length).toBeGreaterThan(10)
  })

  it('refuses a file that expands to more days than a calendar may hold', () => {
    const lines = Array.from({ length: 30 }, (_, i) => event(`UID:e${i}`, 'DTSTART;VALUE=DATE:20260101', 'RRULE:FREQ=DAILY', `SUMMARY:series ${i}`)).flat()
    expect(refusal(ics('BEGIN:VCALENDAR', 'VERSION:2.0', ...lines, 'END:VCALENDAR')).code).toBe('calendar.ics.tooManyDays')
  })
})
