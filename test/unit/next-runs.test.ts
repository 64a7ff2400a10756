// A rule's next runs, and why a rule has none, at an injected instant.
import { describe, expect, it } from 'vitest'
import type { Rule } from '../../shared/schemas/rule'
import { noRunsReason, upcomingRuns } from '../../server/utils/rules/next-runs'

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
