// What a calendar accepts, and what it refuses with a field-level issue: the shared schema (browser and server), and
// the server's own checks (holiday regions, .ics files) in prepareCalendar, which answers every problem at once.
import Holidays from 'date-holidays'
import { describe, expect, it } from 'vitest'
import { CalendarInputSchema, DaysQuerySchema, ICS_MAX_BYTES } from '../../shared/schemas/calendar'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { InvalidInput } from '../../server/utils/errors'
import { fieldIssues } from '../../server/utils/http/handler'
import { createHolidaySource } from '../../server/utils/calendars/holidays'
import { prepareCalendar } from '../../server/utils/calendars/prepare'
import { TEAM_DAYS_OFF } from '../helpers/ics'

const issuesOf = (input: unknown) => {
  const parsed = CalendarInputSchema.safeParse(input)
  if (parsed.success) throw new Error(`expected ${JSON.stringify(input).slice(0, 200)} to be refused`)
  return fieldIssues(parsed.error).map(i => ({ path: i.path, code: i.code }))
}
const NOW = new Date('2026-11-20T08:00:00Z')
const deps = { holidays: async () => createHolidaySource(Holidays), now: NOW }

describe('CalendarInputSchema', () => {
  it('accepts every kind of entry, and fills public-only holidays by default', () => {
    const parsed = CalendarInputSchema.parse({
      name: 'de-by',
      entries: [
        { date: '2026-12-24', label: 'Christmas Eve' },
        { from: '2026-12-28', to: '2027-01-01', label: 'office shutdown' },
        { annual: '12-31', label: 'New Year\'s Eve' },
        { holidays: { country: 'de', region: 'by' } },
        { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', file: 'team.ics' },
      ],
    })
    expect(parsed.entries[3]).toEqual({ holidays: { country: 'DE', region: 'BY', types: ['public'] } })
  })

  it.each([
    ['a range whose end is before its start', { from: '2027-01-01', to: '2026-12-28' }, 'entries.0.to', 'calendar.range.order'],
    ['a date that does not exist', { date: '2026-02-29' }, 'entries.0.date', 'calendar.date.format'],
    ['a date in another form', { date: '24.12.2026' }, 'entries.0.date', 'calendar.date.format'],
    ['a yearly date that never exists', { annual: '02-30' }, 'entries.0.annual', 'calendar.annual.format'],
    ['an entry of no known kind', { day: 'monday' }, 'entries.0', 'calendar.entry.kind'],
    ['an entry with a field it does not take', { date: '2026-12-24', colour: 'red' }, 'entries.0', 'calendar.entry.shape'],
    ['a range without its end', { from: '2026-12-24' }, 'entries.0.to', 'calendar.entry.shape'],
    ['an unknown holiday type', { holidays: { country: 'DE', types: ['fun'] } }, 'entries.0.holidays.types.0', 'calendar.holidays.types'],
    ['a file that is not a calendar', { ics: 'hello, world' }, 'entries.0.ics', 'calendar.ics.notCalendar'],
    ['an empty file', { ics: '  ' }, 'entries.0.ics', 'calendar.ics.empty'],
    ['a label too long', { date: '2026-12-24', label: 'x'.repeat(101) }, 'entries.0.label', 'calendar.label.tooLong'],
  ])('refuses %s at its field', (_what, entry, path, code) => {
    expect(issuesOf({ name: 'c', entries: [entry] })).toEqual([{ path, code }])
  })

  it('refuses an .ics file over 1 MB, saying how large it is', () => {
    const big = `BEGIN:VCALENDAR\r\n${'X-FILLER:0123456789\r\n'.repeat(Math.ceil(ICS_MAX_BYTES / 21))}END:VCALENDAR\r\n`
    const parsed = CalendarInputSchema.safeParse({ name: 'c', entries: [{ ics: big }] })
    const [problem] = fieldIssues(parsed.error!)
    expect(problem).toMatchObject({ path: 'entries.0.ics', code: 'calendar.ics.tooLarge', params: { max: ICS_MAX_BYTES } })
    expect(problem!.message).toContain('1 MB')
  })

  it('refuses a bad name, more than 5 files, and names every wrong entry at once', () => {
    const file = { ics: 'BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n' }
    expect(issuesOf({ name: 'no spaces', entries: [{ date: 'x' }, ...Array(6).fill(file), { annual: '13-01' }] })).toEqual([
      { path: 'name', code: 'calendar.name.chars' },
      { path: 'entries.0.date', code: 'calendar.date.format' },
      { path: 'entries.7.annual', code: 'calendar.annual.format' },
    ])
    expect(issuesOf({ name: 'c', entries: Array(6).fill(file) })).toEqual([{ path: 'entries', code: 'calendar.entries.tooManyIcs' }])
  })
})

describe('the days window', () => {
  it.each([
    [{ from: '2026-01-01', to: '2028-12-31' }, true],
    [{ from: '2026-12-25', to: '2026-12-25' }, true],
    [{ from: '2026-01-01', to: '2029-01-01' }, 'calendar.window.tooLong'],
    [{ from: '2026-12-25', to: '2026-12-24' }, 'calendar.window.order'],
    [{ from: '2026-13-01', to: '2026-12-24' }, 'calendar.date.format'],
  ])('%j: %s', (query, expected) => {
    const parsed = DaysQuerySchema.safeParse(query)
    expect(parsed.success ? true : fieldIssues(parsed.error)[0]!.code).toBe(expected)
  })
})

describe('preparing a calendar on the server', () => {
  it('imports each .ics file as of the injected instant and keeps the other entries as they are', async () => {
    const prepared = await prepareCalendar(CalendarInputSchema.parse({
      name: 'team',
      entries: [{ holidays: { country: 'DE', region: 'BY' } }, { ics: TEAM_DAYS_OFF, file: 'team.ics' }],
    }), deps)
    expect(prepared.entries[0]).toEqual({ holidays: { country: 'DE', region: 'BY', types: ['public'] } })
    expect(prepared.entries[1]).toMatchObject({ ics: { file: 'team.ics', importedAt: NOW.toISOString(), horizon: { from: '2026-01-01', to: '2029-11-20' } } })
  })

  it('refuses an unknown country or region, and a file that does not parse, each at its field, all at once', async () => {
    const input = CalendarInputSchema.parse({
      name: 'bad',
      entries: [
        { holidays: { country: 'XX' } },
        { holidays: { country: 'DE', region: 'ZZ' } },
        { ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n' },
      ],
    })
    const error = await prepareCalendar(input, deps).then(() => null, (e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidInput)
    expect((error as InvalidInput).issues.map(i => [i.path, i.code])).toEqual([
      ['entries.0.holidays.country', 'calendar.holidays.country'],
      ['entries.1.holidays.region', 'calendar.holidays.region'],
      ['entries.2.ics', 'calendar.ics.parse'],
    ])
    expect((error as InvalidInput).issues[1]!.message).toContain('BY')
  })
})

describe('a rule\'s skipCalendars', () => {
  const rule = { name: 'r', accountId: '123456789012', action: 'stop', filters: 'tag:Name=web', scheduleExpression: 'rate(1 hour)' }

  it('defaults to none, and names each calendar once', () => {
    expect(RuleInputSchema.parse(rule).skipCalendars).toEqual([])
    expect(RuleInputSchema.parse({ ...rule, skipCalendars: ['de-by', 'shutdown', 'de-by'] }).skipCalendars).toEqual(['de-by', 'shutdown'])
  })

  it('refuses a name that cannot be a calendar\'s, at its place in the list', () => {
    const parsed = RuleInputSchema.safeParse({ ...rule, skipCalendars: ['de-by', 'not a name'] })
    expect(fieldIssues(parsed.error!).map(i => [i.path, i.code])).toEqual([['skipCalendars.1', 'calendar.name.chars']])
  })
})
