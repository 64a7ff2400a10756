// A firing is skipped when its local date, in the rule's time zone, is a day of one of the rule's calendars, whatever
// the date in UTC, across daylight-saving changes; a rule's next runs leave those firings out and list them as skips.
import Holidays from 'date-holidays'
import { describe, expect, it } from 'vitest'
import type { Rule } from '../../shared/schemas/rule'
import { createDayIndex } from '../../server/utils/calendars/days'
import { createHolidaySource } from '../../server/utils/calendars/holidays'
import { firingSkip, skipMessage } from '../../server/utils/calendars/skip'
import { isCompleted, MAX_SKIPS_LISTED, noRunsReason, upcomingSchedule } from '../../server/utils/rules/next-runs'

const holidays = createHolidaySource(Holidays)
const index = createDayIndex([
  { name: 'eve', entries: [{ annual: '12-24', label: 'Christmas Eve' }] },
  { name: 'xmas', entries: [{ annual: '12-25', label: 'Christmas' }] },
  { name: 'de-by', entries: [{ holidays: { country: 'DE', region: 'BY', types: ['public'] } }] },
  { name: 'change-days', entries: [
    { date: '2026-03-08', label: 'US spring forward' },
    { date: '2026-11-01', label: 'US fall back' },
    { date: '2026-03-29', label: 'EU spring forward' },
    { date: '2026-10-25', label: 'EU fall back' },
    { date: '2026-04-05', label: 'AU fall back' },
    { date: '2026-10-04', label: 'AU spring forward' },
  ] },
], holidays)

const skipOf = (timezone: string, calendars: string[], instant: string) => firingSkip({ timezone, skipCalendars: calendars }, new Date(instant), index)

describe('the local date of a firing', () => {
  it('skips a 23:30 firing in Los Angeles on 24 December by a calendar holding the 24th, though it is the 25th in UTC', () => {
    const at = '2026-12-25T07:30:00Z'
    expect(skipOf('America/Los_Angeles', ['eve'], at)).toEqual({ date: '2026-12-24', calendar: 'eve', label: 'Christmas Eve', reason: '2026-12-24 is Christmas Eve (calendar eve)' })
    expect(skipOf('America/Los_Angeles', ['xmas'], at)).toBeNull()
    expect(skipOf('UTC', ['xmas'], at)).toMatchObject({ date: '2026-12-25' })
  })

  it.each([
    // zone, instant (UTC), its local date there, what the UTC date would wrongly say
    ['America/Los_Angeles', '2026-03-08T07:59:00Z', '2026-03-07', 'before the spring-forward day: 23:59 PST on the 7th'],
    ['America/Los_Angeles', '2026-03-09T06:30:00Z', '2026-03-08', '23:30 PDT on the spring-forward day, the 9th in UTC'],
    ['America/Los_Angeles', '2026-11-02T07:30:00Z', '2026-11-01', '23:30 PST on the fall-back day, the 2nd in UTC'],
    ['Europe/Berlin', '2026-03-28T23:30:00Z', '2026-03-29', '00:30 CET on the spring-forward day, the 28th in UTC'],
    ['Europe/Berlin', '2026-10-24T22:30:00Z', '2026-10-25', '00:30 CEST on the fall-back day, the 24th in UTC'],
    ['Europe/Berlin', '2026-10-25T22:59:00Z', '2026-10-25', '23:59 CET after falling back'],
    ['Australia/Sydney', '2026-04-04T14:30:00Z', '2026-04-05', '01:30 AEDT on the fall-back day, the 4th in UTC'],
    ['Australia/Sydney', '2026-10-03T21:00:00Z', '2026-10-04', '08:00 AEDT on the spring-forward day, the 3rd in UTC'],
    ['Asia/Kolkata', '2026-12-24T21:30:00Z', '2026-12-25', '03:00 IST (no DST, +05:30), the 24th in UTC'],
  ])('in %s, %s is on %s (%s)', (zone, instant, localDate) => {
    const skip = skipOf(zone, ['change-days', 'xmas'], instant)
    const held = ['2026-03-08', '2026-11-01', '2026-03-29', '2026-10-25', '2026-04-05', '2026-10-04', '2026-12-25'].includes(localDate)
    expect(skip?.date ?? null).toBe(held ? localDate : null)
  })

  it('names the first of the rule\'s calendars that holds the day, and the day\'s holiday name', () => {
    const skip = skipOf('Europe/Berlin', ['eve', 'de-by', 'xmas'], '2026-12-25T07:00:00Z')!
    expect(skipMessage(skip)).toBe('skipped: 2026-12-25 is Christmas Day (calendar de-by)')
    expect(skipOf('Europe/Berlin', [], '2026-12-25T07:00:00Z')).toBeNull()
    expect(skipOf('Europe/Berlin', ['gone'], '2026-12-25T07:00:00Z')).toBeNull()
  })
})

const rule = (overrides: Partial<Rule> = {}): Rule => ({
  name: 'r', accountIds: ['123456789012'], organizationalUnits: [], excludeAccountIds: [], regions: ['us-east-1'], action: 'stop', hibernate: false, filters: [], allInstances: true,
  scheduleExpression: 'cron(30 23 * * ? *)', timezone: 'America/Los_Angeles', enabled: true, skipCalendars: ['eve'],
  createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1, ...overrides,
})

describe('a rule\'s next runs and skips', () => {
  it('leaves the calendar day out of the next runs and lists it, with its reason, among the skips', () => {
    const { runs, skips } = upcomingSchedule(rule(), index, 5, new Date('2026-12-22T12:00:00Z'))
    expect(runs).toEqual(['2026-12-22T23:30:00-08:00', '2026-12-23T23:30:00-08:00', '2026-12-25T23:30:00-08:00', '2026-12-26T23:30:00-08:00', '2026-12-27T23:30:00-08:00'])
    expect(skips).toEqual([{ at: '2026-12-24T23:30:00-08:00', reason: '2026-12-24 is Christmas Eve (calendar eve)' }])
  })

  it('skips the holidays of a region on the day they fall on in the rule\'s zone, across a DST change', () => {
    const weekdays = rule({ scheduleExpression: 'cron(0 8 ? * MON-FRI *)', timezone: 'Europe/Berlin', skipCalendars: ['de-by', 'change-days'] })
    const { runs, skips } = upcomingSchedule(weekdays, index, 5, new Date('2026-03-27T00:00:00Z'))
    // Friday 27 March (CET), then Monday 30 March onwards (CEST); Good Friday 3 April and Easter Monday 6 April are holidays.
    expect(runs).toEqual(['2026-03-27T08:00:00+01:00', '2026-03-30T08:00:00+02:00', '2026-03-31T08:00:00+02:00', '2026-04-01T08:00:00+02:00', '2026-04-02T08:00:00+02:00'])
    expect(skips).toEqual([])
    const easter = upcomingSchedule(weekdays, index, 2, new Date('2026-04-02T12:00:00Z'))
    expect(easter.runs).toEqual(['2026-04-07T08:00:00+02:00', '2026-04-08T08:00:00+02:00'])
    expect(easter.skips).toEqual([
      { at: '2026-04-03T08:00:00+02:00', reason: '2026-04-03 is Good Friday (calendar de-by)' },
      { at: '2026-04-06T08:00:00+02:00', reason: '2026-04-06 is Easter Monday (calendar de-by)' },
    ])
  })

  it('lists a limited number of a busy day\'s skipped firings, and still finds the next runs after it', () => {
    const busy = rule({ scheduleExpression: 'rate(1 minute)', timezone: 'UTC', skipCalendars: ['xmas'] })
    const { runs, skips } = upcomingSchedule(busy, index, 2, new Date('2026-12-25T00:00:00Z'))
    expect(skips).toHaveLength(MAX_SKIPS_LISTED)
    expect(skips[0]).toEqual({ at: '2026-12-25T00:01:00+00:00', reason: '2026-12-25 is Christmas (calendar xmas)' })
    expect(runs).toEqual(['2026-12-26T00:00:00+00:00', '2026-12-26T00:01:00+00:00'])
  })

  it('has nothing ahead for a disabled rule, and no skips for a rule without calendars', () => {
    expect(upcomingSchedule(rule({ enabled: false }), index, 5, new Date('2026-12-22T12:00:00Z'))).toEqual({ runs: [], skips: [] })
    expect(upcomingSchedule(rule({ skipCalendars: [] }), index, 3, new Date('2026-12-23T12:00:00Z')).runs).toContain('2026-12-24T23:30:00-08:00')
  })

  it('shows a one-time rule whose only firing is a calendar day as skipped ahead, and completed once its time has passed', () => {
    const once = rule({ scheduleExpression: 'at(2026-12-25T08:00:00)', timezone: 'Europe/Berlin', skipCalendars: ['de-by'] })
    const before = new Date('2026-12-01T00:00:00Z')
    const ahead = upcomingSchedule(once, index, 5, before)
    expect(ahead).toEqual({ runs: [], skips: [{ at: '2026-12-25T08:00:00+01:00', reason: '2026-12-25 is Christmas Day (calendar de-by)' }] })
    expect(noRunsReason(once, before, ahead)).toContain('it will be skipped')
    expect(isCompleted(once, before)).toBe(false)
    const after = new Date('2026-12-25T07:00:01Z')
    expect(upcomingSchedule(once, index, 5, after)).toEqual({ runs: [], skips: [] })
    expect(isCompleted(once, after)).toBe(true)
    expect(noRunsReason(once, after, upcomingSchedule(once, index, 5, after))).toContain('will not run again')
  })
})
