// A rule paused until an instant: firings before it do nothing (no AWS call, one log entry `skipped: paused until ...`,
// once however often delivered), a firing at or after it runs, a manual run is never paused; the rule's next runs list
// the paused firings as skips; and PATCH takes only an instant later than now, or null.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { formatInstant } from '../../shared/schemas/instant'
import { rulePatchSchema } from '../../shared/schemas/rule'
import type { Rule } from '../../shared/schemas/rule'
import { createDayIndex } from '../../server/utils/calendars/days'
import { LogExists, LogNotFound, RuleNotFound } from '../../server/utils/errors'
import type { CredentialsResolver } from '../../server/utils/executor/credentials'
import { runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { fieldIssues } from '../../server/utils/http/handler'
import { MAX_SKIPS_LISTED, noRunsReason, upcomingSchedule } from '../../server/utils/rules/next-runs'

const NOW = new Date('2026-12-21T09:00:00Z')
const UNTIL = '2026-12-24T18:00:00.000Z'

const rule = (overrides: Partial<Rule> = {}): Rule => ({
  name: 'web-stop', accountIds: ['123456789012'], organizationalUnits: [], excludeAccountIds: [], regions: ['us-east-1'], action: 'stop', hibernate: false,
  filters: [{ key: 'tag:app', values: ['web'] }], allInstances: false, scheduleExpression: 'cron(0 19 * * ? *)',
  timezone: 'Europe/Berlin', enabled: true, skipCalendars: [], pausedUntil: UNTIL,
  createdAt: '2026-01-01T00:00:00Z', updatedAt: '2026-01-01T00:00:00Z', version: 1, ...overrides,
})

let ruleStore: Map<string, Rule>
let logStore: Map<string, LogEntry>
let claims: Set<string>
let ec2Mock: ReturnType<typeof mockClient>
let credentialCalls: number

function deps(): ExecutorDeps {
  const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  ec2Mock = mockClient(ec2)
  ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] })
  const credentials: CredentialsResolver = {
    ownAccountId: async () => '123456789012',
    forAccount: async (accountId) => {
      credentialCalls++
      return { accountId, own: true }
    },
  }
  return {
    rules: { get: async (name: string) => ruleStore.get(name) ?? Promise.reject(new RuleNotFound(name)) },
    logs: {
      get: async (id: string) => logStore.get(id) ?? Promise.reject(new LogNotFound(id)),
      put: async (entry: LogEntry) => {
        if (logStore.has(entry.eventId)) throw new LogExists(entry.eventId)
        logStore.set(entry.eventId, entry)
      },
      claim: async (id: string) => !claims.has(id) && Boolean(claims.add(id)),
      release: async (id: string) => void claims.delete(id),
    },
    execution: { memberRoleName: 'R', externalId: '', optOutTag: { key: 'skip', value: 'true' }, batchSize: 100, concurrency: 2, verifyTimeoutSeconds: 1 },
    region: 'us-east-1',
    credentials,
    ec2: () => ec2,
    // The delivery of every firing below arrives after the pause has ended: the firing's time is what counts.
    now: () => new Date('2026-12-30T12:00:00Z'),
    sleep: async () => {},
    newId: () => 'generated-id',
  }
}

beforeEach(() => {
  ruleStore = new Map([['web-stop', rule()]])
  logStore = new Map()
  claims = new Set()
  credentialCalls = 0
})

const firing = (scheduledTime: string, executionId = `exec-${scheduledTime}`) =>
  ({ rule: 'web-stop', trigger: 'schedule' as const, dryRun: false, executionId, scheduledTime })

describe('a firing of a paused rule', () => {
  it('makes no AWS call before the pause ends, and logs the run skipped with the pause\'s end', async () => {
    const entry = await runRule(deps(), firing('2026-12-22T18:00:00Z'))
    expect(entry).toMatchObject({
      status: 'skipped', message: 'skipped: paused until 2026-12-24T18:00Z', skip: { kind: 'pause', until: UNTIL },
      targets: [], counts: { total: 0, acted: 0, skipped: 0, failed: 0 },
    })
    expect(ec2Mock.calls()).toHaveLength(0)
    expect(credentialCalls).toBe(0)
  })

  it('logs once when the skipped firing is delivered again', async () => {
    const first = await runRule(deps(), firing('2026-12-22T18:00:00Z', 'exec-1'))
    const again = await runRule(deps(), firing('2026-12-22T18:00:00Z', 'exec-1'))
    expect(again).toEqual(first)
    expect(logStore.size).toBe(1)
    expect(claims.size).toBe(0)
  })

  it.each([
    ['at the very instant the pause ends', '2026-12-24T18:00:00Z'],
    ['after the pause', '2026-12-25T18:00:00Z'],
  ])('runs as normal %s', async (_label, at) => {
    const entry = await runRule(deps(), firing(at))
    expect(entry.status).toBe('nothing-to-do')
    expect(credentialCalls).toBe(1)
  })

  it('runs a manual run while the rule is paused', async () => {
    const entry = await runRule({ ...deps(), now: () => NOW }, { rule: 'web-stop', trigger: 'manual', dryRun: false })
    expect(entry.status).toBe('nothing-to-do')
    expect(credentialCalls).toBe(1)
  })

  it('skips for the pause before it looks at the calendars', async () => {
    ruleStore.set('web-stop', rule({ skipCalendars: ['gone'] }))
    const entry = await runRule(deps(), firing('2026-12-22T18:00:00Z'))
    expect(entry).toMatchObject({ status: 'skipped', skip: { kind: 'pause' } })
  })
})

describe('the next runs of a paused rule', () => {
  const noCalendars = createDayIndex([], { regionDays: () => [] } as never)

  it('lists the firings before the pause\'s end as skips, and the runs after it', () => {
    const upcoming = upcomingSchedule(rule(), noCalendars, 3, NOW)
    expect(upcoming.skips).toEqual([
      { at: '2026-12-21T19:00:00+01:00', reason: 'paused until 2026-12-24T18:00Z' },
      { at: '2026-12-22T19:00:00+01:00', reason: 'paused until 2026-12-24T18:00Z' },
      { at: '2026-12-23T19:00:00+01:00', reason: 'paused until 2026-12-24T18:00Z' },
    ])
    // 19:00 in Berlin on the 24th is 18:00Z, the pause's very end: it runs.
    expect(upcoming.runs).toEqual(['2026-12-24T19:00:00+01:00', '2026-12-25T19:00:00+01:00', '2026-12-26T19:00:00+01:00'])
  })

  it('passes over a long pause of a frequent rule after listing the first skips', () => {
    const upcoming = upcomingSchedule(rule({ scheduleExpression: 'rate(1 minute)', pausedUntil: '2027-01-21T09:00:00.000Z' }), noCalendars, 2, NOW)
    expect(upcoming.skips).toHaveLength(MAX_SKIPS_LISTED)
    expect(upcoming.runs).toEqual(['2027-01-21T10:00:00+01:00', '2027-01-21T10:01:00+01:00'])
  })

  it('has nothing to skip once the pause has ended', () => {
    const upcoming = upcomingSchedule(rule({ pausedUntil: '2026-12-01T00:00:00.000Z' }), noCalendars, 2, NOW)
    expect(upcoming).toEqual({ runs: ['2026-12-21T19:00:00+01:00', '2026-12-22T19:00:00+01:00'], skips: [] })
  })

  it('says a one-time rule paused past its only run will be skipped', () => {
    const once = rule({ scheduleExpression: 'at(2026-12-22T08:00:00)' })
    const upcoming = upcomingSchedule(once, noCalendars, 5, NOW)
    expect(upcoming.runs).toEqual([])
    expect(noRunsReason(once, NOW, upcoming)).toContain('paused until 2026-12-24T18:00Z')
  })
})

describe('PATCH\'s pausedUntil', () => {
  const schema = rulePatchSchema(() => NOW)
  const issuesOf = (body: unknown) => {
    const result = schema.safeParse(body)
    return result.success ? [] : fieldIssues(result.error)
  }

  it('takes an instant later than now, with any offset, and answers it in UTC', () => {
    expect(schema.parse({ pausedUntil: '2026-12-24T19:00:00+01:00' })).toEqual({ pausedUntil: UTC('2026-12-24T18:00:00Z') })
    expect(schema.parse({ pausedUntil: null, version: 3 })).toEqual({ pausedUntil: null, version: 3 })
    expect(schema.parse({ enabled: false })).toEqual({ enabled: false })
  })

  it.each([
    ['an instant in the past', { pausedUntil: '2026-12-21T08:59:59Z' }, 'rule.pausedUntil.past', 'pausedUntil'],
    ['now itself', { pausedUntil: NOW.toISOString() }, 'rule.pausedUntil.past', 'pausedUntil'],
    ['a date without a time', { pausedUntil: '2026-12-24' }, 'rule.pausedUntil.iso', 'pausedUntil'],
    ['a time without an offset', { pausedUntil: '2026-12-24T18:00:00' }, 'rule.pausedUntil.iso', 'pausedUntil'],
    ['a day that does not exist', { pausedUntil: '2027-02-30T18:00:00Z' }, 'rule.pausedUntil.iso', 'pausedUntil'],
    ['a number', { pausedUntil: 1_800_000_000 }, 'rule.pausedUntil.iso', 'pausedUntil'],
    ['nothing to change', { version: 2 }, 'rule.patch.empty', ''],
  ])('refuses %s, with the field\'s issue', (_label, body, code, path) => {
    expect(issuesOf(body)).toEqual([expect.objectContaining({ code, path })])
  })

  it('writes an instant to the minute, with seconds only when it has some', () => {
    expect(formatInstant('2026-12-24T18:00:00.000Z')).toBe('2026-12-24T18:00Z')
    expect(formatInstant('2026-12-24T18:00:30.000Z')).toBe('2026-12-24T18:00:30Z')
  })
})

function UTC(iso: string): string {
  return new Date(iso).toISOString()
}
