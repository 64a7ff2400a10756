// The calendars repository and a skipped firing, on moto's DynamoDB and on the embedded store: calendars are created
// once per name, replaced only at their version, found by the rules that use them; a rule firing on a calendar day
// makes no EC2 call and logs once, however often the firing is delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { createCalendarsRepository } from '../../server/utils/calendars/repository'
import type { CalendarsRepository } from '../../server/utils/calendars/repository'
import { CalendarExists, CalendarNotFound, VersionConflict } from '../../server/utils/errors'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import { MEMBER_ROLE, motoEc2, motoSts, OWN_ACCOUNT, recordCalls, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import type { SeenCall } from './helpers/ec2'
import { embeddedStore, motoStore, settledCallers } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const quiet = { info: () => {}, warn: () => {} }
// The runs below fire in December 2026: the log's TTL is measured from the same injected instant, whatever the date.
const NOW = new Date('2026-12-26T09:00:00Z')

describe.each([
  ['moto DynamoDB', motoStore],
  ['embedded store', embeddedStore],
] as const)('calendars on %s', (_label, open) => {
  let ctx: TestStore
  let calendars: CalendarsRepository
  let rules: RulesRepository

  beforeAll(async () => {
    ctx = await open()
    calendars = createCalendarsRepository(ctx.store.doc, ctx.tables.calendars)
    rules = createRulesRepository(ctx.store.doc, ctx.tables.rules)
  })
  afterAll(async () => ctx?.cleanup())

  const draft = (name: string, skipCalendars: string[] = []) => {
    const parsed = RuleInputSchema.parse({ name, accountId: OWN_ACCOUNT, action: 'stop', filters: 'tag:app=none', scheduleExpression: 'cron(30 23 * * ? *)', timezone: 'America/Los_Angeles', skipCalendars })
    return { ...parsed, regions: ['us-east-1'] }
  }

  it('creates a calendar once, replaces it only at its version, lists and deletes it', async () => {
    const created = await calendars.create({ name: 'eve', entries: [{ date: '2026-12-24', label: 'Christmas Eve' }] }, new Date('2026-11-01T00:00:00Z'))
    expect(created).toMatchObject({ version: 1, createdAt: '2026-11-01T00:00:00.000Z' })
    expect(await calendars.get('eve')).toEqual(created)
    await expect(calendars.create({ name: 'eve', entries: [] })).rejects.toBeInstanceOf(CalendarExists)
    const attempts = await settledCallers(ctx, 4, i => calendars.replace({ name: 'eve', entries: [{ annual: '12-24', label: `eve ${i}` }] }, 1))
    expect(attempts.filter(a => a.status === 'fulfilled')).toHaveLength(1)
    expect(attempts.filter(a => a.status === 'rejected').every(a => (a as PromiseRejectedResult).reason instanceof VersionConflict)).toBe(true)
    expect((await calendars.get('eve')).version).toBe(2)
    await calendars.create({ name: 'a-first', entries: [] })
    expect((await calendars.list({ limit: 1 })).items.map(c => c.name)).toEqual(['a-first'])
    expect(await calendars.getMany(['eve', 'gone'])).toMatchObject({ found: [{ name: 'eve' }], missing: ['gone'] })
    await calendars.remove('a-first')
    await expect(calendars.get('a-first')).rejects.toBeInstanceOf(CalendarNotFound)
  })

  it('finds the rules that use a calendar, and only those', async () => {
    await rules.create(draft('uses-eve', ['eve']))
    await rules.create(draft('uses-both', ['other', 'eve']))
    await rules.create(draft('uses-other', ['other']))
    // A calendar whose name holds another's: "eve" must not match "eve-2".
    await rules.create(draft('uses-eve-2', ['eve-2']))
    await rules.create(draft('uses-none'))
    expect(await rules.usingCalendar('eve')).toEqual(['uses-both', 'uses-eve'])
    expect(await rules.usingCalendar('nothing')).toEqual([])
  })

  it('skips a firing on a calendar day with no EC2 call, and logs it once when delivered again', async () => {
    const tag = uniqueValue('cal')
    const ec2 = motoEc2('us-east-1')
    const [instance] = await seedInstances(ec2, { tags: { app: tag } })
    await rules.create({ ...draft(`skip-${tag}`, ['eve']), filters: [{ key: 'tag:app', values: [tag] }] })
    const calls: SeenCall[] = []
    const logs = createLogsRepository(ctx.store.doc, ctx.tables.logs, 90, () => NOW)
    const deps: ExecutorDeps = {
      rules,
      logs,
      calendars,
      execution: { memberRoleName: MEMBER_ROLE, externalId: '', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 10, concurrency: 2, verifyTimeoutSeconds: 2 },
      region: 'us-east-1',
      credentials: createCredentialsResolver({ sts: recordCalls(motoSts(), calls), memberRoleName: MEMBER_ROLE, externalId: '', region: 'us-east-1' }),
      ec2: (_a, region, credentials) => recordCalls(motoEc2(region, credentials), calls),
      now: () => NOW,
      verifyIntervalMs: 20,
      logger: quiet,
    }
    // 23:30 on 24 December in Los Angeles, the 25th in UTC; calendar 'eve' holds the 24th (as replaced above: yearly).
    const firing = { rule: `skip-${tag}`, trigger: 'schedule' as const, dryRun: false, executionId: `exec-${tag}`, scheduledTime: '2026-12-25T07:30:00Z' }
    const first = await runRule(deps, firing)
    expect(first).toMatchObject({ status: 'skipped', message: expect.stringMatching(/^skipped: 2026-12-24 is eve \d \(calendar eve\)$/), counts: { total: 0 } })
    const again = await runRule(deps, firing)
    expect(again).toEqual(first)
    expect(calls).toEqual([])
    expect(await statesOf(ec2, [instance!])).toEqual({ [instance!]: 'running' })
    const listed = await logs.list({ limit: 10, rule: `skip-${tag}` })
    expect(listed.items.map((l: Omit<LogEntry, 'targets'>) => [l.eventId, l.status])).toEqual([[`exec-${tag}`, 'skipped']])

    // The next evening is no calendar day: the rule acts.
    const acted = await runRule(deps, { ...firing, executionId: `exec2-${tag}`, scheduledTime: '2026-12-26T07:30:00Z' })
    expect(acted).toMatchObject({ status: 'succeeded', counts: { acted: 1 } })
    expect(calls.length).toBeGreaterThan(0)
  })
})
