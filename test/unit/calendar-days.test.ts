// Which days a calendar holds: dates, ranges, yearly dates, public holidays of a region (date-holidays, offline) and
// imported .ics days, each by local date and with its source; a day index expands each calendar's year once.
import Holidays from 'date-holidays'
import { describe, expect, it, vi } from 'vitest'
import type { Calendar, CalendarEntry } from '../../shared/schemas/calendar'
import { calendarDaysBetween, createDayIndex } from '../../server/utils/calendars/days'
import { createHolidaySource } from '../../server/utils/calendars/holidays'

const holidays = createHolidaySource(Holidays)
const calendar = (...entries: CalendarEntry[]): Pick<Calendar, 'name' | 'entries'> => ({ name: 'c', entries })
const DE_BY = { holidays: { country: 'DE', region: 'BY', types: ['public' as const] } }

describe('the days of a calendar', () => {
  it('holds a dated day, each day of a range across the turn of the year, and a yearly date in every year', () => {
    const days = calendarDaysBetween(calendar(
      { date: '2026-12-24', label: 'Christmas Eve' },
      { from: '2026-12-30', to: '2027-01-02', label: 'office shutdown' },
      { annual: '12-31', label: 'New Year\'s Eve' },
    ), '2026-12-01', '2027-12-31', holidays)
    expect(days).toEqual([
      { date: '2026-12-24', label: 'Christmas Eve', source: 'date' },
      { date: '2026-12-30', label: 'office shutdown', source: 'range' },
      { date: '2026-12-31', label: 'office shutdown', source: 'range' },
      { date: '2026-12-31', label: 'New Year\'s Eve', source: 'annual' },
      { date: '2027-01-01', label: 'office shutdown', source: 'range' },
      { date: '2027-01-02', label: 'office shutdown', source: 'range' },
      { date: '2027-12-31', label: 'New Year\'s Eve', source: 'annual' },
    ])
  })

  it('holds 29 February only in leap years, and names a day without a label "calendar day"', () => {
    const days = calendarDaysBetween(calendar({ annual: '02-29' }), '2026-01-01', '2028-12-31', holidays)
    expect(days).toEqual([{ date: '2028-02-29', label: 'calendar day', source: 'annual' }])
  })

  it('keeps only the days inside the window, both ends included', () => {
    const days = calendarDaysBetween(calendar({ from: '2020-01-01', to: '2040-12-31', label: 'long' }), '2026-03-30', '2026-04-02', holidays)
    expect(days.map(d => d.date)).toEqual(['2026-03-30', '2026-03-31', '2026-04-01', '2026-04-02'])
  })

  it('holds the public holidays of Bavaria, 25 December 2026 among them, named in English and in Chinese where the data has it', () => {
    const days = calendarDaysBetween(calendar(DE_BY), '2026-01-01', '2026-12-31', holidays)
    expect(days.map(d => d.date)).toEqual([
      '2026-01-01', '2026-01-06', '2026-04-03', '2026-04-06', '2026-05-01', '2026-05-14', '2026-05-25', '2026-06-04',
      '2026-10-03', '2026-11-01', '2026-12-25', '2026-12-26',
    ])
    expect(days.find(d => d.date === '2026-12-25')).toEqual({
      date: '2026-12-25', label: 'Christmas Day', source: 'holidays:DE-BY', names: { en: 'Christmas Day', zh: expect.stringMatching(/^聖誕節|圣诞节$/) },
    })
    // Where the data has no Chinese name, the day carries the English one only.
    expect(days.find(d => d.date === '2026-06-04')).toEqual({ date: '2026-06-04', label: 'Corpus Christi', source: 'holidays:DE-BY', names: { en: 'Corpus Christi' } })
    // Not public in Bavaria: Christmas Eve is a bank holiday there.
    expect(days.some(d => d.date === '2026-12-24')).toBe(false)
  })

  it('adds the chosen holiday types, and a region\'s own holidays only to that region', () => {
    const withBank = calendarDaysBetween(calendar({ holidays: { country: 'DE', region: 'BY', types: ['public', 'bank'] } }), '2026-12-24', '2026-12-31', holidays)
    expect(withBank.map(d => `${d.date} ${d.label}`)).toEqual(['2026-12-24 Christmas Eve', '2026-12-25 Christmas Day', '2026-12-26 Boxing Day', '2026-12-31 New Year\'s Eve'])
    const berlin = calendarDaysBetween(calendar({ holidays: { country: 'DE', region: 'BE', types: ['public'] } }), '2026-01-01', '2026-12-31', holidays)
    // Epiphany is a public holiday in Bavaria, not in Berlin; International Women's Day the other way round.
    expect(berlin.some(d => d.date === '2026-01-06')).toBe(false)
    expect(berlin.find(d => d.date === '2026-03-08')).toMatchObject({ source: 'holidays:DE-BE' })
  })

  it('spreads a holiday over every day it lasts, and names the days of a whole country by its code', () => {
    const days = calendarDaysBetween(calendar({ holidays: { country: 'CN', types: ['public'] } }), '2026-10-01', '2026-10-08', holidays)
    expect(days.every(d => d.source === 'holidays:CN')).toBe(true)
    expect(days.filter(d => d.date >= '2026-10-01' && d.date <= '2026-10-03').length).toBeGreaterThanOrEqual(3)
  })

  it('holds an imported .ics file\'s days, with the file as their source', () => {
    const days = calendarDaysBetween(calendar({
      ics: { file: 'team.ics', importedAt: '2026-03-01T00:00:00.000Z', horizon: { from: '2026-01-01', to: '2029-03-01' }, days: [{ date: '2026-06-05', label: 'Summer Friday' }, { date: '2027-06-04', label: 'Summer Friday' }] },
    }), '2026-01-01', '2026-12-31', holidays)
    expect(days).toEqual([{ date: '2026-06-05', label: 'Summer Friday', source: 'ics:team.ics' }])
  })
})

describe('a day index', () => {
  it('answers each calendar\'s days on a date, and nothing for a calendar it does not hold', () => {
    const index = createDayIndex([{ name: 'de-by', entries: [DE_BY] }, { name: 'shutdown', entries: [{ from: '2026-12-24', to: '2027-01-01', label: 'office shutdown' }] }], holidays)
    expect(index.daysOn('de-by', '2026-12-25').map(d => d.label)).toEqual(['Christmas Day'])
    expect(index.daysOn('shutdown', '2026-12-25').map(d => d.label)).toEqual(['office shutdown'])
    expect(index.daysOn('de-by', '2026-12-24')).toEqual([])
    expect(index.daysOn('gone', '2026-12-25')).toEqual([])
    expect([index.has('de-by'), index.has('gone')]).toEqual([true, false])
  })

  it('expands a calendar\'s year once however many dates are asked, and the holiday source a region\'s year once for every index', () => {
    const source = createHolidaySource(Holidays)
    const daysOf = vi.spyOn(source, 'daysOf')
    const first = createDayIndex([{ name: 'a', entries: [DE_BY] }], source)
    for (let d = 1; d <= 31; d++) first.daysOn('a', `2026-12-${String(d).padStart(2, '0')}`)
    expect(daysOf).toHaveBeenCalledTimes(1)
    // A second index (the next request) asks again, and the source answers from its cache: the same array.
    const second = createDayIndex([{ name: 'b', entries: [DE_BY] }], source)
    second.daysOn('b', '2026-12-25')
    expect(daysOf).toHaveBeenCalledTimes(2)
    expect(daysOf.mock.results[1]!.value).toBe(daysOf.mock.results[0]!.value)
  })
})

describe('the holiday data', () => {
  it.each([
    [{ country: 'XX' }, 'country', 'calendar.holidays.country'],
    [{ country: 'DE', region: 'ZZ' }, 'region', 'calendar.holidays.region'],
    [{ country: 'MC', region: 'AB' }, 'region', 'calendar.holidays.noRegions'],
  ])('refuses %j at its field', (spec, field, code) => {
    expect(holidays.specIssue(spec)).toMatchObject({ field, issue: { code } })
  })

  it('knows Bavaria, and lists the countries with their regions', () => {
    expect(holidays.specIssue({ country: 'DE', region: 'BY' })).toBeUndefined()
    const germany = holidays.countries().find(c => c.code === 'DE')!
    expect(germany.name).toBe('Germany')
    expect(germany.regions).toContainEqual({ code: 'BY', name: 'Bayern' })
  })
})
