// A rule that fires on a day of one of its calendars does nothing: no AWS call at all, one log entry `skipped` naming
// the day and the calendar, once however often the firing is delivered; judged by the time the schedule fired.
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import Holidays from 'date-holidays'
import { beforeEach, describe, expect, it } from 'vitest'
import type { Calendar } from '../../shared/schemas/calendar'
import type { LogEntry } from '../../shared/schemas/log'
import type { Rule } from '../../shared/schemas/rule'
import { createHolidaySource } from '../../server/utils/calendars/holidays'
import { LogExists, LogNotFound, RuleNotFound } from '../../server/utils/errors'
import type { CredentialsResolver } from '../../server/utils/executor/credentials'
import { runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'

const holidays = createHolidaySource(Holidays)
const deBy: Calendar = { name: 'de-by', entries: [{ holidays: { country: 'DE', region: 'BY', types: ['public'] } }], createdAt: 'c', updatedAt: 'u', version: 1 }
const eve: Calendar = { name: 'eve', entries: [{ date: '2026-12-24', label: 'Christmas Eve' }], createdAt: 'c', updatedAt: 'u', version: 1 }

const rule = (overrides: Partial<Rule> = {}): Rule => ({
  name: 'web-stop', accountIds: ['123456789012'], organizationalUnits: [], excludeAccountIds: [], regions: ['us-east-1'], action: 'stop', hibernate: false,
  filters: [{ key: 'tag:app', values: ['web'] }], allInstances: false, scheduleExpression: 'cron(30 23 * * ? *)',
  timezone: 'America/Los_Angeles', enabled: true, skipCalendars: ['eve', 'de-by'], createdAt: 'c', updatedAt: 'u', version: 1, ...overrides,
})

let ruleStore: Map<string, Rule>
let calendarStore: Map<string, Calendar>
let logStore: Map<string, LogEntry>
let claims: Set<string>
let ec2Mock: ReturnType<typeof mockClient>
let credentialCalls: number

function deps(): ExecutorDeps {
  const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  ec2Mock = mockClient(ec2)
  const credentials: CredentialsResolver = {
    ownAccountId: async () => '123456789012',
    forAccount: async (accountId) => {
      credentialCalls++
      return { accountId, own: true }
    },
  }
  return {
    rules: { get: async (name: string) => ruleStore.get(name) ?? Promise.reject(new RuleNotFound(name)) },
    calendars: {
      getMany: async (names: string[]) => ({
        found: names.flatMap(n => calendarStore.get(n) ?? []),
        missing: names.filter(n => !calendarStore.has(n)),
      }),
    },
    holidays: async () => holidays,
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
    // The delivery arrives a day late: the firing's day is the one it was scheduled for.
    now: () => new Date('2026-12-26T12:00:00Z'),
    sleep: async () => {},
    newId: () => 'generated-id',
  }
}

beforeEach(() => {
  ruleStore = new Map([['web-stop', rule()]])
  calendarStore = new Map([['de-by', deBy], ['eve', eve]])
  logStore = new Map()
  claims = new Set()
  credentialCalls = 0
})

// 23:30 on 24 December in Los Angeles: already the 25th in UTC.
const firing = { rule: 'web-stop', trigger: 'schedule' as const, dryRun: false, executionId: 'exec-eve', scheduledTime: '2026-12-25T07:30:00Z' }

describe('a firing on a calendar day', () => {
  it('makes no AWS call and logs the run skipped, naming the local day and the calendar', async () => {
    const d = deps()
    const entry = await runRule(d, firing)
    expect(entry).toMatchObject({
      eventId: 'exec-eve', status: 'skipped', trigger: 'schedule', scheduledTime: '2026-12-25T07:30:00Z',
      message: 'skipped: 2026-12-24 is Christmas Eve (calendar eve)',
      skip: { kind: 'calendar', date: '2026-12-24', calendar: 'eve', label: 'Christmas Eve' },
      targets: [], counts: { total: 0, acted: 0, skipped: 0, failed: 0 },
    })
    expect(ec2Mock.calls()).toHaveLength(0)
    expect(credentialCalls).toBe(0)
    expect([...logStore.keys()]).toEqual(['exec-eve'])
  })

  it('logs once when the skipped firing is delivered again, and the redelivery answers the first log', async () => {
    const first = await runRule(deps(), firing)
    const again = await runRule(deps(), firing)
    expect(again).toEqual(first)
    expect(logStore.size).toBe(1)
    expect(claims.size).toBe(0)
    expect(ec2Mock.calls()).toHaveLength(0)
  })

  it('names the holiday of a region: 25 December in Bavaria', async () => {
    ruleStore.set('web-stop', rule({ timezone: 'Europe/Berlin', skipCalendars: ['de-by'] }))
    const entry = await runRule(deps(), { ...firing, executionId: 'exec-xmas', scheduledTime: '2026-12-25T18:00:00Z' })
    expect(entry.message).toBe('skipped: 2026-12-25 is Christmas Day (calendar de-by)')
  })

  it('acts on a day no calendar holds', async () => {
    const d = deps()
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] })
    const entry = await runRule(d, { ...firing, executionId: 'exec-23rd', scheduledTime: '2026-12-24T07:30:00Z' })
    expect(entry.status).toBe('nothing-to-do')
    expect(ec2Mock.calls().length).toBeGreaterThan(0)
  })

  it('never skips a manual run', async () => {
    const d = deps()
    ec2Mock.on(DescribeInstancesCommand).resolves({ Reservations: [] })
    const entry = await runRule(d, { rule: 'web-stop', trigger: 'manual', dryRun: false })
    expect(entry.status).toBe('nothing-to-do')
    expect(credentialCalls).toBe(1)
  })

  it('does nothing, logged failed, when one of the rule\'s calendars was deleted after the rule named it', async () => {
    calendarStore.delete('eve')
    const entry = await runRule(deps(), { ...firing, scheduledTime: '2026-12-20T07:30:00Z' })
    expect(entry).toMatchObject({ status: 'failed', counts: { total: 0 } })
    expect(entry.message).toContain('calendar \'eve\', which no longer exists')
    expect(ec2Mock.calls()).toHaveLength(0)
  })

  it('logs a one-time rule whose only firing is a calendar day as skipped', async () => {
    ruleStore.set('web-stop', rule({ scheduleExpression: 'at(2026-12-24T23:30:00)' }))
    const entry = await runRule(deps(), firing)
    expect(entry).toMatchObject({ status: 'skipped', skip: { date: '2026-12-24' } })
    expect(ec2Mock.calls()).toHaveLength(0)
  })
})
