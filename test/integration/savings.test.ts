// Savings from real runs: the executor stops and starts instances in moto's EC2, its logs are recorded into the
// savings table (withSavings), and GET /api/savings's reader adds them up; on moto's DynamoDB and on the embedded
// store, whose conditional writes are what keep a redelivered or interrupted record from counting twice.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { LogEntry } from '../../shared/schemas/log'
import { savingsQuerySchema } from '../../shared/schemas/savings'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { runRule } from '../../server/utils/executor/run'
import { runFollowUp } from '../../server/utils/executor/follow-up'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import { withSavings } from '../../server/utils/savings/hook'
import { instanceKey } from '../../server/utils/savings/intervals'
import { csvPrices, noPrices } from '../../server/utils/savings/prices'
import { readSavings } from '../../server/utils/savings/read'
import { recordRun } from '../../server/utils/savings/record'
import { replayUnrecorded } from '../../server/utils/savings/replay'
import { closeGoneInstances } from '../../server/utils/savings/gone'
import { createSavingsRepository } from '../../server/utils/savings/repository'
import type { SavingsRepository } from '../../server/utils/savings/repository'
import { ec2For, MEMBER_ROLE, motoEc2, motoSts, newAccountId, seedInstances, uniqueValue } from './helpers/ec2'
import { motoAutoScaling, motoRds, rdsFor, seedDbInstance, seedGroup } from './helpers/resources'
import { embeddedStore, motoStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const EXTERNAL_ID = 'ouroboros-test-external-id'
const quiet = { info: () => {}, warn: () => {} }
// A fixed start, far from today: nothing here depends on the date the tests run.
const T0 = Date.parse('2026-03-10T18:00:00Z')
const TWO_MINUTES = 120_000

describe.each([
  ['the embedded store', embeddedStore],
  ['moto\'s DynamoDB', motoStore],
] as const)('savings on %s', (_name, open) => {
  let store: TestStore
  let rules: RulesRepository
  let savings: SavingsRepository
  let clock = T0
  // Each read of the clock moves it on by a millisecond, so verification loops end; a run takes a few of them.
  const now = () => new Date(clock++)

  beforeAll(async () => {
    store = await open()
    rules = createRulesRepository(store.store.doc, store.tables.rules)
    savings = createSavingsRepository(store.store.doc, store.tables.savings, () => new Date(clock))
  })
  afterAll(async () => store?.cleanup())

  function deps(): ExecutorDeps {
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90, () => new Date(clock))
    return {
      rules,
      logs: withSavings(logs, savings, quiet),
      execution: { memberRoleName: MEMBER_ROLE, externalId: EXTERNAL_ID, optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 10, concurrency: 2, verifyTimeoutSeconds: 5 },
      region: 'us-east-1',
      credentials: createCredentialsResolver({ sts: motoSts(), memberRoleName: MEMBER_ROLE, externalId: EXTERNAL_ID, region: 'us-east-1' }),
      ec2: (_account, region, credentials) => motoEc2(region, credentials),
      rds: (_account, region, credentials) => motoRds(region, credentials),
      autoScaling: (_account, region, credentials) => motoAutoScaling(region, credentials),
      verifyIntervalMs: 1,
      sleep: async () => {},
      backoff: { sleep: async () => {} },
      now,
      logger: quiet,
    }
  }

  async function rulePair(accountId: string, tag: string, resourceTypes?: string[]) {
    for (const action of ['stop', 'start'] as const) {
      const draft = RuleInputSchema.parse({ name: `${tag}-${action}`, accountId, action, scheduleExpression: 'cron(0 19 ? * MON-FRI *)', filters: `tag:team=${tag}`, ...(resourceTypes ? { resourceTypes } : {}) })
      await rules.create({ ...draft, regions: ['us-east-1'] })
    }
  }

  const range = (groupBy = 'rule') => savingsQuerySchema(() => new Date(clock)).parse({ from: '2026-03-10', to: '2026-03-11', groupBy })

  it('counts a stop then a start two minutes later as two minutes per instance, and prices them from the CSV table', async () => {
    const account = newAccountId()
    const tag = uniqueValue('sav')
    const ec2 = await ec2For(account, 'us-east-1')
    await seedInstances(ec2, { count: 3, tags: { team: tag }, instanceType: 't3.micro' })
    await rulePair(account, tag)

    clock = T0
    const stop = await runRule(deps(), { rule: `${tag}-stop`, trigger: 'manual', dryRun: false })
    expect(stop.counts.acted).toBe(3)
    clock = T0 + TWO_MINUTES
    const start = await runRule(deps(), { rule: `${tag}-start`, trigger: 'manual', dryRun: false })
    expect(start.counts.acted).toBe(3)

    const hours = await readSavings({ repository: savings, prices: async () => noPrices }, range(), new Date(clock))
    const item = hours.items.find(i => i.key === `${tag}-stop`)!
    // 3 instances x 2 minutes, within a second per instance (the runs' own few milliseconds).
    expect(Math.abs(item.hours * 3600 - 3 * 120)).toBeLessThanOrEqual(3)
    expect(hours.cost).toBeUndefined()

    const dir = mkdtempSync(join(tmpdir(), 'ouroboros-prices-'))
    writeFileSync(join(dir, 'prices.csv'), 'region,instanceType,pricePerHour,currency\nus-east-1,t3.micro,0.0104,USD\n')
    const priced = await readSavings({ repository: savings, prices: async () => csvPrices(join(dir, 'prices.csv')) }, range('type'), new Date(clock))
    const type = priced.items.find(i => i.key === 't3.micro')!
    expect(type.hours).toBeGreaterThanOrEqual(0.09)
    expect(type.amount).toBeCloseTo(type.hours * 0.0104, 2)
    expect(priced.cost).toMatchObject({ currency: 'USD', estimated: true, source: 'csv' })
  })

  it('counts a database and an Auto Scaling group of 2 stopped for two minutes as two and four minutes', async () => {
    const account = newAccountId()
    const tag = uniqueValue('savdb')
    await seedDbInstance(await rdsFor(account, 'us-east-1'), { team: tag })
    await seedGroup(account, 'us-east-1', { team: tag }, { min: 1, desired: 2, max: 3 })
    await rulePair(account, tag, ['rds', 'asg'])

    clock = T0
    const stop = await runRule(deps(), { rule: `${tag}-stop`, trigger: 'manual', dryRun: false })
    expect(stop.targets.map(t => [t.resourceType, t.outcome, t.savedCapacity])).toEqual(expect.arrayContaining([['rds', 'stopped', undefined], ['asg', 'stopped', '1,2,3']]))
    clock = T0 + TWO_MINUTES
    const start = await runRule(deps(), { rule: `${tag}-start`, trigger: 'manual', dryRun: false })
    expect(start.counts.acted).toBe(2)

    const answer = await readSavings({ repository: savings, prices: async () => noPrices }, range(), new Date(clock))
    const item = answer.items.find(i => i.key === `${tag}-stop`)!
    // 2 minutes for the database, 2 x 2 minutes for the group's two instances, within a second each.
    expect(Math.abs(item.hours * 3600 - 3 * 120)).toBeLessThanOrEqual(3)
  })

  it('opens a database\'s interval at the follow-up check that confirms its stop, and counts it once when the check runs twice', async () => {
    const account = newAccountId()
    const tag = uniqueValue('savfu')
    const rds = await rdsFor(account, 'us-east-1')
    const db = await seedDbInstance(rds, { team: tag })
    await rulePair(account, tag, ['rds'])
    const { StopDBInstanceCommand } = await import('@aws-sdk/client-rds')
    await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: db }))
    // The run as logged when the wait ended with the database still stopping (moto's stops are instant, AWS's are not).
    const logs = deps().logs
    const entry: LogEntry = {
      eventId: `fu-${account}`, ruleName: `${tag}-stop`, trigger: 'manual', scheduledTime: null, startedAt: new Date(T0).toISOString(), finishedAt: new Date(T0 + 60_000).toISOString(),
      action: 'stop', accountId: account, regions: ['us-east-1'], filters: [], resourceTypes: ['rds'], status: 'succeeded',
      targets: [{ instanceId: db, region: 'us-east-1', resourceType: 'rds', engine: 'postgres', stateBefore: 'available', stateAfter: 'stopping', outcome: 'stopping' }],
      counts: { total: 1, acted: 1, skipped: 0, failed: 0 }, followUp: { due: new Date(T0 + 15 * 60_000).toISOString() },
    }
    await logs.put(entry)
    expect(await savings.intervals([instanceKey({ accountId: account, region: 'us-east-1', instanceId: `rds:${db}` })])).toEqual(new Map())

    clock = T0 + 15 * 60_000
    const completed = await runFollowUp(deps(), entry.eventId)
    expect(completed.targets[0]!.outcome).toBe('stopped')
    // A second delivery of the check finds nothing left in progress; a completion written twice counts once.
    await runFollowUp(deps(), entry.eventId)
    await logs.complete!(completed)
    clock = T0 + 27 * 60_000
    await runRule(deps(), { rule: `${tag}-start`, trigger: 'manual', dryRun: false })

    const answer = await readSavings({ repository: savings, prices: async () => noPrices }, range(), new Date(clock))
    // Off from the check (15 minutes after the run) to the start 12 minutes later: 0.2 hours (answered to the hundredth).
    expect(answer.items.find(i => i.key === `${tag}-stop`)!.hours).toBe(0.2)
  })

  it('counts a redelivered run once, and finishes a record that was cut short without counting it twice', async () => {
    const account = newAccountId()
    const base = { ruleName: 'redelivered', accountId: account, trigger: 'schedule' as const, scheduledTime: null, action: 'stop' as const, regions: ['eu-west-1'], filters: [], status: 'succeeded' as const, counts: { total: 2, acted: 2, skipped: 0, failed: 0 } }
    const targets = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'].map(instanceId => ({ instanceId, region: 'eu-west-1', instanceType: 'm5.large', stateBefore: 'running' }))
    const stopped: LogEntry = { ...base, eventId: `stop-${account}`, startedAt: '2026-04-10T19:00:00.000Z', finishedAt: '2026-04-10T19:00:00.000Z', targets: targets.map(t => ({ ...t, stateAfter: 'stopped', outcome: 'stopped' as const })) }
    const started: LogEntry = { ...base, ruleName: 'redelivered-start', action: 'start', eventId: `start-${account}`, startedAt: '2026-04-11T07:00:00.000Z', finishedAt: '2026-04-11T07:00:00.000Z', targets: targets.map(t => ({ ...t, stateBefore: 'stopped', stateAfter: 'running', outcome: 'started' as const })) }

    expect(await recordRun(savings, stopped)).toEqual({ closed: 0, opened: 2 })
    expect(await recordRun(savings, stopped)).toEqual({ closed: 0, opened: 0 })
    // The start's record is cut short after marking one interval closed: a later record of the same run finishes it.
    await savings.markClosed({ interval: (await savings.intervals([instanceKey({ accountId: account, region: 'eu-west-1', instanceId: targets[0]!.instanceId })])).values().next().value!, until: started.startedAt, closedBy: started.eventId })
    expect((await recordRun(savings, started)).closed).toBe(1)
    expect(await recordRun(savings, started)).toEqual({ closed: 0, opened: 0 })

    clock = Date.parse('2026-04-12T00:00:00Z')
    const april = (groupBy: string) => savingsQuerySchema(() => new Date(clock)).parse({ from: '2026-04-10', to: '2026-04-11', groupBy })
    const answer = await readSavings({ repository: savings, prices: async () => noPrices }, april('rule'), new Date(clock))
    // 2 instances x 12 hours (19:00 to 07:00), counted once, for the rule that stopped them.
    expect(answer.items).toEqual([{ key: 'redelivered', hours: 24 }])
    expect(answer.openHours).toBe(0)
    const byDay = await readSavings({ repository: savings, prices: async () => noPrices }, april('day'), new Date(clock))
    // Split at midnight UTC: 5 hours an instance on the first day, 7 on the second.
    expect(byDay.items).toEqual([{ key: '2026-04-10', hours: 10 }, { key: '2026-04-11', hours: 14 }])
  })
  it('replays a run whose record was lost: the reconcile records it once, and a second reconcile changes nothing', async () => {
    const account = newAccountId()
    const base = { accountId: account, trigger: 'schedule' as const, scheduledTime: null, regions: ['eu-west-1'], filters: [], status: 'succeeded' as const, counts: { total: 2, acted: 2, skipped: 0, failed: 0 } }
    const targets = ['i-0bbbbbbbbbbbbbbb1', 'i-0bbbbbbbbbbbbbbb2'].map(instanceId => ({ instanceId, region: 'eu-west-1', instanceType: 'm5.large' }))
    const stopped: LogEntry = { ...base, ruleName: 'lost', action: 'stop', eventId: `lost-stop-${account}`, startedAt: '2026-05-10T19:00:00.000Z', finishedAt: '2026-05-10T19:00:00.000Z', targets: targets.map(t => ({ ...t, stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' as const })) }
    const started: LogEntry = { ...base, ruleName: 'lost-start', action: 'start', eventId: `lost-start-${account}`, startedAt: '2026-05-11T07:00:00.000Z', finishedAt: '2026-05-11T07:00:00.000Z', targets: targets.map(t => ({ ...t, stateBefore: 'stopped', stateAfter: 'running', outcome: 'started' as const })) }
    clock = Date.parse('2026-05-11T08:00:00Z')
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90, () => new Date(clock))

    // The stop is logged, and its record fails (the store went away between the two writes); the start records well.
    const warnings: string[] = []
    const broken = { ...savings, intervals: () => Promise.reject(new Error('the store went away')) }
    await withSavings(logs, broken, { warn: (m: string) => warnings.push(m) }).put(stopped)
    expect(warnings).toEqual([expect.stringMatching(/could not be recorded \(the reconcile replays it\): the store went away/)])
    await withSavings(logs, savings, quiet).put(started)
    const may = () => readSavings({ repository: savings, prices: async () => noPrices }, savingsQuerySchema(() => new Date(clock)).parse({ from: '2026-05-10', to: '2026-05-11', groupBy: 'rule' }), new Date(clock))
    expect((await may()).items.find(i => i.key === 'lost')).toBeUndefined()

    const first = await replayUnrecorded({ logs, savings }, new Date(clock))
    expect(first).toEqual({ examined: 2, replayed: 1, errors: [] })
    const after = await may()
    // 2 instances from the stop at 19:00 to the start already recorded at 07:00: closed there, not counted to now.
    expect(after.items).toEqual([{ key: 'lost', hours: 24 }])
    expect(after.openHours).toBe(0)

    expect(await replayUnrecorded({ logs, savings }, new Date(clock))).toEqual({ examined: 2, replayed: 0, errors: [] })
    expect(await may()).toEqual(after)
  })
  it('stops counting an instance terminated while off at the reconcile that finds it gone, and only that one', async () => {
    const account = newAccountId()
    const tag = uniqueValue('savgone')
    const ec2 = await ec2For(account, 'us-east-1')
    const [doomed, kept] = await seedInstances(ec2, { count: 2, tags: { team: tag }, instanceType: 't3.micro' })
    await rulePair(account, tag)
    clock = Date.parse('2026-06-10T18:00:00Z')
    await runRule(deps(), { rule: `${tag}-stop`, trigger: 'manual', dryRun: false })
    const { TerminateInstancesCommand } = await import('@aws-sdk/client-ec2')
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [doomed!] }))

    // Seen gone an hour after the stop; read three hours after it.
    clock = Date.parse('2026-06-10T19:00:00Z')
    const d = deps()
    const report = await closeGoneInstances({ savings, credentials: d.credentials, ec2: d.ec2 }, new Date(clock))
    expect(report.closed).toBe(1)
    expect(report.errors).toEqual([])
    expect((await closeGoneInstances({ savings, credentials: d.credentials, ec2: d.ec2 }, new Date(clock))).closed).toBe(0)
    clock = Date.parse('2026-06-10T21:00:00Z')
    const june = savingsQuerySchema(() => new Date(clock)).parse({ from: '2026-06-10', to: '2026-06-10', groupBy: 'rule' })
    const answer = await readSavings({ repository: savings, prices: async () => noPrices }, june, new Date(clock))
    // The terminated one: 1 hour, to when it was seen gone; the other, still stopped: 3 hours, up to now.
    expect(answer.items.find(i => i.key === `${tag}-stop`)!.hours).toBeCloseTo(4, 2)
    const open = await savings.intervals([doomed!, kept!].map(instanceId => instanceKey({ accountId: account, region: 'us-east-1', instanceId })))
    expect([...open.values()].map(i => i.instanceId)).toEqual([kept])
  })
})
