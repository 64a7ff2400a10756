// The projected saving of a stop rule (savings/projection.ts): which start rules pair with it, the hours off a week
// from its stops to their starts, a stop rule alone, calendar days and pauses, a week across a daylight-saving change,
// and the money from prices.
import { describe, expect, it } from 'vitest'
import type { PreviewTarget } from '../../shared/schemas/execution'
import { createDayIndex, NO_HOLIDAYS } from '../../server/utils/calendars/days'
import { skipContext } from '../../server/utils/rules/firing-skip'
import { mayShareResources, offMilliseconds, projectSavings, PROJECTION_DAYS } from '../../server/utils/savings/projection'
import type { ProjectionRule } from '../../server/utils/savings/projection'

const index = createDayIndex([
  { name: 'wednesday', entries: [{ date: '2026-11-04', label: 'a day off' }] },
  { name: 'thursday', entries: [{ date: '2026-11-05', label: 'a holiday' }] },
], NO_HOLIDAYS)
const context = skipContext(index)
const MONTH_DAYS = 365.25 / 12

const rule = (name: string, overrides: Partial<ProjectionRule> = {}): ProjectionRule => ({
  name, action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', timezone: 'Europe/Berlin', enabled: true,
  updatedAt: '2026-10-01T00:00:00.000Z', skipCalendars: [], accountIds: ['111111111111'], organizationalUnits: [],
  regions: ['eu-central-1'], filters: [{ key: 'tag:env', values: ['dev'] }], ...overrides,
})
const start = (name: string, overrides: Partial<ProjectionRule> = {}) => rule(name, { action: 'start', scheduleExpression: 'cron(0 7 ? * MON-FRI *)', ...overrides })
const target = (instanceId: string, overrides: Partial<PreviewTarget> = {}): PreviewTarget => ({ instanceId, region: 'eu-central-1', state: 'running', outcome: 'would-stop', instanceType: 't3.micro', ...overrides })

// Monday 2 November 2026, 08:00 in Berlin (CET): after the morning's start; four weeks later is the same hour.
const MONDAY = new Date('2026-11-02T07:00:00Z')
const project = (draft: ProjectionRule, others: ProjectionRule[], from = MONDAY, targets = [target('i-1')]) =>
  projectSavings({ draft, others, context, from, targets, prices: null })

describe('which start rules pair with a stop rule', () => {
  const stop = rule('stop')
  it('pairs rules of one account, region and type whose filters can meet', () => {
    expect(mayShareResources(stop, start('same'))).toBe(true)
    // A key only one rule names narrows that rule alone: it can still meet the other's instances.
    expect(mayShareResources(stop, start('wider', { filters: [] }))).toBe(true)
    expect(mayShareResources(stop, start('narrower', { filters: [{ key: 'tag:env', values: ['dev'] }, { key: 'instance-type', values: ['t3.micro'] }] }))).toBe(true)
    // A wildcard matches a literal; two wildcards can always meet.
    expect(mayShareResources(stop, start('wildcard', { filters: [{ key: 'tag:env', values: ['d*'] }] }))).toBe(true)
    expect(mayShareResources(rule('s', { filters: [{ key: 'tag:env', values: ['*-a'] }] }), start('w', { filters: [{ key: 'tag:env', values: ['b*'] }] }))).toBe(true)
    // Organizational units may reach any account.
    expect(mayShareResources(stop, start('ou', { accountIds: [], organizationalUnits: ['ou-ab12-cd34ef56'] }))).toBe(true)
  })

  it('never pairs rules that cannot meet on one resource', () => {
    expect(mayShareResources(stop, start('other-account', { accountIds: ['222222222222'] }))).toBe(false)
    expect(mayShareResources(stop, start('other-region', { regions: ['us-east-1'] }))).toBe(false)
    expect(mayShareResources(stop, start('databases', { resourceTypes: ['rds'] }))).toBe(false)
    expect(mayShareResources(stop, start('prod', { filters: [{ key: 'tag:env', values: ['prod', 'p?od'] }] }))).toBe(false)
  })
})

describe('the hours off', () => {
  it('counts from each stop to the next start; a second stop or a start while on changes nothing', () => {
    const h = 3_600_000
    expect(offMilliseconds([1 * h, 2 * h, 10 * h], [0, 5 * h, 6 * h], 0, 12 * h)).toBe(4 * h + 2 * h)
    // A stop and a start at the same instant leave it off.
    expect(offMilliseconds([5 * h], [5 * h], 0, 6 * h)).toBe(h)
  })

  it('counts only within the window, off at its start when the events before it say so', () => {
    const h = 3_600_000
    // Off since -3 h, started at 2 h: 2 h of the window; stopped at 8 h, to the window's end at 10 h: 2 h more.
    expect(offMilliseconds([-3 * h, 8 * h], [-5 * h, 2 * h], 0, 10 * h)).toBe(4 * h)
    // Off before the window and started before it too: nothing.
    expect(offMilliseconds([-3 * h], [-1 * h], 0, 10 * h)).toBe(0)
  })
})

describe('the projected saving of a stop rule', () => {
  it('pairs it with the starts of the rules on the same instances: 4 weeknights of 12 h and a weekend of 60 h', () => {
    const p = project(rule('stop'), [start('mornings'), start('elsewhere', { accountIds: ['222222222222'], scheduleExpression: 'cron(0 9 ? * MON-FRI *)' })])
    expect(p).toMatchObject({ basis: 'paired', startRules: ['mornings'], stops: 20, skipped: 0, hoursPerWeek: 108, instances: 1 })
    expect(p.hoursPerMonth).toBeCloseTo(108 * 4 * MONTH_DAYS / PROJECTION_DAYS, 2)
    expect(p.to).toBe('2026-11-30T07:00:00.000Z')
    expect(p.cost).toBeUndefined()
  })

  it('with no start rule on its instances, is off until the next start of any rule, and says so', () => {
    const p = project(rule('stop'), [start('elsewhere', { accountIds: ['222222222222'], scheduleExpression: 'cron(0 9 ? * MON-FRI *)' })])
    // 09:00 in Berlin: two hours more each night, 118 h a week (the window opens at 08:00, off since Friday).
    expect(p).toMatchObject({ basis: 'anyStart', startRules: ['elsewhere'], hoursPerWeek: 118 })
  })

  it('with no start rule at all, is off from its first stop on: all the time, once it has stopped', () => {
    const p = project(rule('stop'), [rule('another-stop'), start('disabled', { enabled: false })])
    expect(p).toMatchObject({ basis: 'noStart', startRules: [], hoursPerWeek: 7 * 24 })
  })

  it('gives the same figure whenever it is asked: the week before the window says what is off when it opens', () => {
    const figures = ['2026-11-03T20:45:00Z', '2026-11-07T12:00:00Z', '2026-11-09T06:59:00Z'].map(at => project(rule('stop'), [start('mornings')], new Date(at)).hoursPerWeek)
    expect(figures).toEqual([108, 108, 108])
  })

  it('a stop on a day of its calendars is skipped: the instance runs that night', () => {
    const p = project(rule('stop', { skipCalendars: ['wednesday'] }), [start('mornings')])
    expect(p).toMatchObject({ stops: 19, skipped: 1, hoursPerWeek: (4 * 108 - 12) / 4 })
  })

  it('a start on a day of its calendars is skipped: the instance stays off until the next one', () => {
    const p = project(rule('stop'), [start('mornings', { skipCalendars: ['thursday'] })])
    expect(p).toMatchObject({ skipped: 1, hoursPerWeek: (4 * 108 + 4 * 12 - 36) / 4 })
  })

  it('a pause skips the stops before its end', () => {
    const p = project(rule('stop', { pausedUntil: '2026-11-09T07:00:00.000Z' }), [start('mornings')])
    expect(p).toMatchObject({ stops: 15, skipped: 5, hoursPerWeek: 3 * 108 / 4 })
  })

  it('counts the hours that really pass across a daylight-saving change: the night of the fall back is an hour longer', () => {
    // Monday 19 October 2026, 08:00 in Berlin (CEST); Berlin falls back on Sunday 25 October.
    const p = project(rule('stop'), [start('mornings')], new Date('2026-10-19T06:00:00Z'))
    expect(p.hoursPerWeek).toBe((4 * 108 + 1) / 4)
  })

  it('prices the instances it would stop, a group by its desired capacity, and counts those with no price', () => {
    const targets = [
      target('i-1'),
      target('i-2', { instanceType: 'm5.large' }),
      target('i-3', { outcome: 'skipped' }),
      target('web', { resourceType: 'asg', instanceType: undefined, state: 'min=0,desired=2,max=4' }),
    ]
    const p = projectSavings({
      draft: rule('stop'), others: [start('mornings')], context, from: MONDAY, targets,
      prices: { source: 'csv', byKey: new Map([['eu-central-1|t3.micro', { perHour: 0.012, currency: 'EUR' }], ['eu-central-1|m5.large', null]]) },
    })
    const perInstance = 108 * 4 * MONTH_DAYS / PROJECTION_DAYS
    expect(p.instances).toBe(4)
    expect(p.hoursPerMonth).toBeCloseTo(perInstance * 4, 1)
    expect(p.cost).toEqual({ amount: Math.round(perInstance * 0.012 * 100) / 100, currency: 'EUR', estimated: true, source: 'csv', priced: 1, unpriced: 3 })
  })
})
