// A rule's next runs, and why a rule has none, at an injected instant.
import { describe, expect, it } from 'vitest'
import type { Rule } from '../../shared/schemas/rule'
import { createDayIndex } from '../../server/utils/calendars/days'
import { nextRunOf, noRunsReason, toRuleViewWithNextRun, upcomingRuns } from '../../server/utils/rules/next-runs'

const NOW = new Date('2026-12-01T12:00:00Z')
const rule = (overrides: Partial<Rule>): Rule => ({
  name: 'web-stop', accountId: '123456789012', regions: ['us-east-1'], action: 'stop', hibernate: false,
  filters: [{ key: 'tag:Name', values: ['web'] }], allInstances: false, scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
  timezone: 'Europe/Berlin', enabled: true, version: 1, createdAt: '2026-11-01T00:00:00.000Z', updatedAt: '2026-11-01T00:00:00.000Z',
  ...overrides,
} as Rule)

describe('next runs', () => {
  it('answers the next runs of an enabled rule, and no reason', () => {
    expect(upcomingRuns(rule({}), 2, NOW)).toEqual(['2026-12-01T19:00:00+01:00', '2026-12-02T19:00:00+01:00'])
    expect(noRunsReason(rule({}), NOW)).toBeUndefined()
  })

  it.each([
    ['a disabled rule', { enabled: false }, /disabled/],
    ['a one-time rule whose time has passed', { scheduleExpression: 'at(2026-11-30T10:00:00)' }, /will not run again/],
    ['an expression that never matches', { scheduleExpression: 'cron(0 0 31 2 ? *)' }, /matches no time/],
  ])('says why %s has none', (_what, overrides, reason) => {
    expect(upcomingRuns(rule(overrides), 5, NOW)).toEqual([])
    expect(noRunsReason(rule(overrides), NOW)).toMatch(reason)
  })
})

describe('the next run a list shows', () => {
  it('is the first of the next runs at every instant, remembered or not, and moves on once it has passed', () => {
    const r = rule({})
    const instants = ['2026-12-01T12:00:00Z', '2026-12-01T17:59:59Z', '2026-12-01T18:00:00Z', '2026-12-01T18:00:01Z', '2026-12-05T10:00:00Z', '2026-12-01T12:30:00Z']
    for (const at of instants) expect(nextRunOf(r, new Date(at)), at).toBe(upcomingRuns(r, 1, new Date(at))[0])
    expect(nextRunOf(r, new Date('2026-12-01T18:00:01Z'))).toBe('2026-12-02T19:00:00+01:00')
  })

  it('is null for a disabled rule, and for a schedule that never matches, as often as it is asked', () => {
    expect(nextRunOf(rule({ enabled: false }), NOW)).toBeNull()
    const never = rule({ scheduleExpression: 'cron(0 0 31 2 ? *)' })
    expect(nextRunOf(never, NOW)).toBeNull()
    expect(nextRunOf(never, new Date('2030-01-01T00:00:00Z'))).toBeNull()
  })

  it('counts a rate() from the rule\'s last change: another change is another schedule', () => {
    const a = rule({ scheduleExpression: 'rate(1 hour)', updatedAt: '2026-12-01T11:30:00.000Z' })
    const b = rule({ scheduleExpression: 'rate(1 hour)', updatedAt: '2026-12-01T11:45:00.000Z' })
    expect(nextRunOf(a, NOW)).toBe(upcomingRuns(a, 1, NOW)[0])
    expect(nextRunOf(b, NOW)).toBe(upcomingRuns(b, 1, NOW)[0])
    expect(nextRunOf(a, NOW)).not.toBe(nextRunOf(b, NOW))
  })
})

describe('the next run a list shows, past the pause and the calendar days', () => {
  // Holidays are never asked for: these calendars hold dates only.
  const noHolidays = { daysOf: () => [], specIssue: () => undefined, countries: () => [] }
  const index = createDayIndex([{ name: 'tue', entries: [{ date: '2026-12-01', label: 'team day' }] }], noHolidays)

  it('is the first firing that will act', () => {
    expect(toRuleViewWithNextRun(rule({}), index, NOW).nextRun).toBe('2026-12-01T19:00:00+01:00')
    expect(toRuleViewWithNextRun(rule({ skipCalendars: ['tue'] }), index, NOW).nextRun).toBe('2026-12-02T19:00:00+01:00')
    expect(toRuleViewWithNextRun(rule({ pausedUntil: '2026-12-03T00:00:00.000Z' }), index, NOW).nextRun).toBe('2026-12-03T19:00:00+01:00')
  })

  it('is the usual one once the pause is over', () => {
    const after = new Date('2026-12-03T12:00:00Z')
    expect(toRuleViewWithNextRun(rule({ pausedUntil: '2026-12-03T00:00:00.000Z' }), index, after).nextRun).toBe('2026-12-03T19:00:00+01:00')
    expect(toRuleViewWithNextRun(rule({ enabled: false, skipCalendars: ['tue'] }), index, NOW).nextRun).toBeNull()
  })
})
