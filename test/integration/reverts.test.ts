// The revert at the end of an override, on moto's EC2: a stop rule that fires while instances are overridden (through
// the API, and with the skip-until tag) leaves them running and records their reverts; when the overrides end, each
// instance is stopped, once, and the log says it was a revert, of which override. In AWS the revert is a one-time
// schedule in moto's Scheduler (fired here with the Input it holds, as Scheduler would); locally it is a timer.
import { randomUUID } from 'node:crypto'
import { CreateTagsCommand, DeleteTagsCommand } from '@aws-sdk/client-ec2'
import { CreateScheduleCommand, DeleteScheduleCommand, GetScheduleCommand, ListSchedulesCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { parseServerConfig } from '../../server/utils/config'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { reconcileReverts, runRevert } from '../../server/utils/executor/revert'
import { runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createOverridesRepository } from '../../server/utils/overrides/repository'
import { createRevertsRepository } from '../../server/utils/overrides/reverts'
import { endOverride } from '../../server/utils/overrides/service'
import { createRulesRepository } from '../../server/utils/rules/repository'
import { createEventBridgeRevertTimers, createLocalRevertTimers, localRevertExecutionId, revertScheduleName } from '../../server/utils/schedules/reverts'
import type { RevertTimers } from '../../server/utils/schedules/reverts'
import { MEMBER_ROLE, motoEc2, motoEndpoint, motoSts, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { embeddedStore, motoStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const TAG = 'ouroboros:skip-until'
const quiet = { info: () => {}, warn: () => {} }
const by = { keyId: 'k1', keyName: 'ops' }

function setup(ctx: TestStore, timers: RevertTimers, clock: () => Date) {
  const rules = createRulesRepository(ctx.store.doc, ctx.tables.rules)
  const logs = createLogsRepository(ctx.store.doc, ctx.tables.logs, 90, clock)
  const overrides = createOverridesRepository(ctx.store.doc, ctx.tables.overrides, clock)
  const reverts = { repository: createRevertsRepository(ctx.store.doc, ctx.tables.overrides), timers }
  const notified: LogEntry[] = []
  const deps: ExecutorDeps = {
    rules, logs, overrides, reverts,
    execution: { memberRoleName: MEMBER_ROLE, externalId: '', optOutTag: { key: 'ouroboros:skip', value: 'true' }, overrideTag: TAG, batchSize: 10, concurrency: 2, verifyTimeoutSeconds: 2 },
    region: 'us-east-1',
    credentials: createCredentialsResolver({ sts: motoSts(), memberRoleName: MEMBER_ROLE, externalId: '', region: 'us-east-1' }),
    ec2: (_a, region, credentials) => motoEc2(region, credentials),
    now: clock,
    verifyIntervalMs: 20,
    logger: quiet,
    // A revert is a run: notified like one.
    notify: async entry => void notified.push(entry),
  }
  return { rules, logs, overrides, reverts, deps, notified }
}

async function stopRule(rules: ReturnType<typeof createRulesRepository>, name: string, tag: string) {
  const draft = RuleInputSchema.parse({ name, accountId: OWN_ACCOUNT, action: 'stop', filters: `tag:app=${tag}`, scheduleExpression: 'cron(0 19 * * ? *)', timezone: 'Europe/Berlin' })
  return rules.create({ ...draft, regions: ['us-east-1'] })
}

describe('the revert in AWS: a one-time schedule in moto\'s Scheduler, on moto\'s DynamoDB', () => {
  const ec2 = motoEc2('us-east-1')
  const scheduler = new SchedulerClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const group = `g-${randomUUID().slice(0, 8)}`
  const settings = parseServerConfig({
    schedulerGroup: group,
    schedulerTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros',
    schedulerRoleArn: 'arn:aws:iam::123456789012:role/ouroboros-scheduler',
    schedulerDlqArn: 'arn:aws:sqs:us-east-1:123456789012:ouroboros-dlq',
  }, { AWS_REGION: 'us-east-1' }).scheduler
  const T0 = new Date('2026-12-21T18:00:00Z')
  let clock = T0
  let ctx: TestStore
  let s: ReturnType<typeof setup>

  beforeAll(async () => {
    ctx = await motoStore()
    s = setup(ctx, createEventBridgeRevertTimers(scheduler, settings), () => clock)
  })
  afterAll(async () => ctx?.cleanup())

  it('stops each overridden instance at its override\'s end, once, and logs which override it was', async () => {
    const tag = uniqueValue('rev')
    const [byApi, byTag, free] = await seedInstances(ec2, { count: 3, tags: { app: tag } })
    await ec2.send(new CreateTagsCommand({ Resources: [byTag!], Tags: [{ Key: TAG, Value: '2026-12-23' }] }))
    const override = await s.overrides.create({ accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: byApi!, until: '2026-12-22T18:00:00.000Z', reason: 'release testing' }, by)
    await stopRule(s.rules, `rev-${tag}`, tag)

    const run = await runRule(s.deps, { rule: `rev-${tag}`, trigger: 'schedule', dryRun: false, executionId: `fire-${tag}`, scheduledTime: T0.toISOString() })
    expect(Object.fromEntries(run.targets.map(t => [t.instanceId, t.reason ?? t.outcome]))).toEqual({
      [byApi!]: 'override until 2026-12-22T18:00Z by key \'ops\': release testing',
      [byTag!]: `tag ${TAG}=2026-12-23 (until the end of that day in Europe/Berlin, 2026-12-23T23:00Z)`,
      [free!]: 'stopped',
    })
    expect(await statesOf(ec2, [byApi!, byTag!, free!])).toEqual({ [byApi!]: 'running', [byTag!]: 'running', [free!]: 'stopped' })

    // The one-time schedule of the API override's revert, as Scheduler holds it.
    const key = `revert#${OWN_ACCOUNT}#us-east-1#${byApi}`
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: revertScheduleName(key), GroupName: settings.revertGroup }))
    expect(schedule).toMatchObject({ ScheduleExpression: 'at(2026-12-22T18:00:00)', ScheduleExpressionTimezone: 'UTC', ActionAfterCompletion: 'DELETE', State: 'ENABLED' })
    expect(schedule.Target).toMatchObject({ Arn: settings.targetArn, RoleArn: settings.roleArn, DeadLetterConfig: { Arn: settings.dlqArn } })
    const tagged = await scheduler.send(new GetScheduleCommand({ Name: revertScheduleName(`revert#${OWN_ACCOUNT}#us-east-1#${byTag}`), GroupName: settings.revertGroup }))
    expect(tagged.ScheduleExpression).toBe('at(2026-12-23T23:00:00)')

    // Scheduler fires it at its time, filling in the execution id; the event reaches the revert as the Lambda entry hands it on.
    clock = new Date('2026-12-22T18:00:05Z')
    const fire = JSON.parse(schedule.Target!.Input!.replace('<aws.scheduler.execution-id>', `exec-${tag}`))
    expect(fire).toMatchObject({ kind: 'ouroboros.revert', revert: key, at: '2026-12-22T18:00:00.000Z' })
    const reverted = await runRevert(s.deps, fire) as LogEntry
    expect(reverted).toMatchObject({
      eventId: `exec-${tag}`, trigger: 'revert', ruleName: `rev-${tag}`, status: 'succeeded', action: 'stop',
      revert: { override: { kind: 'api', id: override.id, keyName: 'ops' }, rule: `rev-${tag}`, askedAt: T0.toISOString(), instanceId: byApi },
      counts: { total: 1, acted: 1, skipped: 0, failed: 0 },
    })
    expect(reverted.message).toContain(`revert at the end of override ${override.id} until 2026-12-22T18:00Z by key 'ops' (release testing)`)
    expect(await statesOf(ec2, [byApi!, byTag!])).toEqual({ [byApi!]: 'stopped', [byTag!]: 'running' })

    expect(s.notified.filter(e => e.trigger === 'revert')).toEqual([reverted])
    // A redelivery acts on nothing, logs and notifies nothing more; the revert is done.
    expect(await runRevert(s.deps, fire)).toMatchObject({ ignored: true })
    expect(s.notified.filter(e => e.trigger === 'revert')).toHaveLength(1)
    expect((await s.logs.list({ limit: 10, rule: `rev-${tag}` })).items.filter(l => l.trigger === 'revert')).toHaveLength(1)
    expect(await s.reverts.repository.get(key)).toBeNull()

    // The tag's override ends at the end of its day in the rule's zone.
    clock = new Date('2026-12-23T23:00:01Z')
    const tagFire = JSON.parse(tagged.Target!.Input!.replace('<aws.scheduler.execution-id>', `exec2-${tag}`))
    expect(await runRevert(s.deps, tagFire)).toMatchObject({ trigger: 'revert', status: 'succeeded', revert: { override: { kind: 'tag', tag: TAG, value: '2026-12-23' } } })
    expect(await statesOf(ec2, [byTag!])).toEqual({ [byTag!]: 'stopped' })
  })

  it('moves the revert to the later end when the instance is overridden again before it runs', async () => {
    clock = T0
    const tag = uniqueValue('again')
    const [instance] = await seedInstances(ec2, { tags: { app: tag } })
    await s.overrides.create({ accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: instance!, until: '2026-12-22T18:00:00.000Z' }, by)
    await stopRule(s.rules, `again-${tag}`, tag)
    await runRule(s.deps, { rule: `again-${tag}`, trigger: 'schedule', dryRun: false, executionId: `fire-${tag}`, scheduledTime: T0.toISOString() })
    await s.overrides.create({ accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: instance!, until: '2026-12-24T18:00:00.000Z', reason: 'one more day' }, by)
    const key = `revert#${OWN_ACCOUNT}#us-east-1#${instance}`

    clock = new Date('2026-12-22T18:00:05Z')
    const again = await runRevert(s.deps, { revert: key, at: '2026-12-22T18:00:00.000Z', executionId: `exec-${tag}` }) as LogEntry
    expect(again.targets).toEqual([expect.objectContaining({ outcome: 'skipped', reason: 'override until 2026-12-24T18:00Z by key \'ops\': one more day' })])
    expect(await statesOf(ec2, [instance!])).toEqual({ [instance!]: 'running' })
    expect(await s.reverts.repository.get(key)).toMatchObject({ at: '2026-12-24T18:00:00.000Z', action: 'stop', askedAt: T0.toISOString() })
    const schedule = await scheduler.send(new GetScheduleCommand({ Name: revertScheduleName(key), GroupName: settings.revertGroup }))
    expect(schedule.ScheduleExpression).toBe('at(2026-12-24T18:00:00)')
  })
})

describe('the reconcile of reverts, on moto\'s Scheduler and DynamoDB', () => {
  const ec2 = motoEc2('us-east-1')
  const scheduler = new SchedulerClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const settings = parseServerConfig({
    schedulerGroup: `r-${randomUUID().slice(0, 8)}`,
    schedulerTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros',
    schedulerRoleArn: 'arn:aws:iam::123456789012:role/ouroboros-scheduler',
  }, { AWS_REGION: 'us-east-1' }).scheduler
  const T0 = new Date('2026-12-21T18:00:00Z')
  let clock = T0
  let ctx: TestStore
  let s: ReturnType<typeof setup>
  const expressionOf = async (key: string) => (await scheduler.send(new GetScheduleCommand({ Name: revertScheduleName(key), GroupName: settings.revertGroup }))).ScheduleExpression
  const names = async () => ((await scheduler.send(new ListSchedulesCommand({ GroupName: settings.revertGroup }))).Schedules ?? []).map(x => x.Name).sort()

  beforeAll(async () => {
    ctx = await motoStore()
    s = setup(ctx, createEventBridgeRevertTimers(scheduler, settings), () => clock)
  })
  afterAll(async () => ctx?.cleanup())

  it('runs a tag\'s revert now when its owner removes the tag, and moves it when they change the tag\'s end', async () => {
    clock = T0
    const tag = uniqueValue('follow')
    const [removed, changed, kept] = await seedInstances(ec2, { count: 3, tags: { app: tag, [TAG]: '2026-12-23T18:00:00Z' } })
    await stopRule(s.rules, `follow-${tag}`, tag)
    await runRule(s.deps, { rule: `follow-${tag}`, trigger: 'schedule', dryRun: false, executionId: `fire-${tag}`, scheduledTime: T0.toISOString() })
    const key = (id: string) => `revert#${OWN_ACCOUNT}#us-east-1#${id}`
    expect(await expressionOf(key(removed!))).toBe('at(2026-12-23T18:00:00)')

    // The next day, one owner takes the tag off, another keeps the instance until the 27th.
    await ec2.send(new DeleteTagsCommand({ Resources: [removed!], Tags: [{ Key: TAG }] }))
    await ec2.send(new CreateTagsCommand({ Resources: [changed!], Tags: [{ Key: TAG, Value: '2026-12-27T09:00:00Z' }] }))
    clock = new Date('2026-12-22T08:00:00Z')
    const report = await reconcileReverts(s.deps)
    expect(report).toMatchObject({ ran: 1, moved: 1, inSync: 1, armed: 1, removed: 1, errors: [] })

    // The removed tag's revert ran now: the instance is stopped, logged as the revert of that tag, and its schedule is gone.
    expect(await statesOf(ec2, [removed!, changed!, kept!])).toEqual({ [removed!]: 'stopped', [changed!]: 'running', [kept!]: 'running' })
    const logs = (await s.logs.list({ limit: 10, rule: `follow-${tag}` })).items.filter(l => l.trigger === 'revert')
    expect(logs).toHaveLength(1)
    expect(await s.logs.get(logs[0]!.eventId)).toMatchObject({ status: 'succeeded', revert: { instanceId: removed, override: { kind: 'tag', tag: TAG } }, scheduledTime: clock.toISOString() })
    expect(await s.reverts.repository.get(key(removed!))).toBeNull()
    // The changed tag's revert follows it; the untouched one stays.
    expect(await s.reverts.repository.get(key(changed!))).toMatchObject({ at: '2026-12-27T09:00:00.000Z', override: { kind: 'tag', value: '2026-12-27T09:00:00Z' }, askedAt: T0.toISOString() })
    expect(await expressionOf(key(changed!))).toBe('at(2026-12-27T09:00:00)')
    expect(await expressionOf(key(kept!))).toBe('at(2026-12-23T18:00:00)')
    expect(await names()).toEqual([revertScheduleName(key(changed!)), revertScheduleName(key(kept!))].sort())

    // Once done, nothing more to do.
    expect(await reconcileReverts(s.deps)).toMatchObject({ ran: 0, moved: 0, inSync: 2, armed: 0, removed: 0, errors: [] })
  })

  it('creates a revert\'s missing schedule, repairs a drifted one, and removes those no revert waits for', async () => {
    clock = T0
    const tag = uniqueValue('repair')
    const [lost, drifted] = await seedInstances(ec2, { count: 2, tags: { app: tag } })
    for (const id of [lost!, drifted!]) await s.overrides.create({ accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: id, until: '2026-12-22T18:00:00.000Z' }, by)
    await stopRule(s.rules, `repair-${tag}`, tag)
    await runRule(s.deps, { rule: `repair-${tag}`, trigger: 'schedule', dryRun: false, executionId: `fire-${tag}`, scheduledTime: T0.toISOString() })
    const key = (id: string) => `revert#${OWN_ACCOUNT}#us-east-1#${id}`
    const before = await names()

    // Someone deletes one schedule, moves another, and leaves two that no revert owns (one looks like a revert's).
    await scheduler.send(new DeleteScheduleCommand({ Name: revertScheduleName(key(lost!)), GroupName: settings.revertGroup }))
    const live = await scheduler.send(new GetScheduleCommand({ Name: revertScheduleName(key(drifted!)), GroupName: settings.revertGroup }))
    await scheduler.send(new UpdateScheduleCommand({ Name: live.Name!, GroupName: settings.revertGroup, ScheduleExpression: 'at(2027-01-05T00:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: live.Target! }))
    const orphans = [`i-0123456789abcdef0.${OWN_ACCOUNT}.us-east-1`, 'stray-schedule']
    for (const Name of orphans) {
      await scheduler.send(new CreateScheduleCommand({ Name, GroupName: settings.revertGroup, ScheduleExpression: 'at(2026-12-30T00:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: live.Target! }))
    }

    // And the group's other one-time schedules, a database's follow-up check and a notification's retry, are not the reverts'.
    const others = ['followup.0b7c9a52-3f7e-4b43-9b57-2c0a43f7f0a1', 'notify-0123456789abcdef']
    for (const Name of others) {
      await scheduler.send(new CreateScheduleCommand({ Name, GroupName: settings.revertGroup, ScheduleExpression: 'at(2026-12-30T00:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: live.Target! }))
    }

    clock = new Date('2026-12-21T19:00:00Z')
    const report = await reconcileReverts(s.deps)
    expect(report).toMatchObject({ armed: 2, removed: 2, ran: 0, errors: [] })
    expect(await names()).toEqual([...before, ...others].sort())
    for (const Name of others) await scheduler.send(new DeleteScheduleCommand({ Name, GroupName: settings.revertGroup }))
    expect(await expressionOf(key(lost!))).toBe('at(2026-12-22T18:00:00)')
    expect(await expressionOf(key(drifted!))).toBe('at(2026-12-22T18:00:00)')
    expect(await reconcileReverts(s.deps)).toMatchObject({ armed: 0, removed: 0, errors: [] })
  })
})

describe('the revert locally: a timer in this process, on the embedded store', () => {
  const ec2 = motoEc2('us-east-1')
  let ctx: TestStore
  let s: ReturnType<typeof setup>
  let timers: RevertTimers

  beforeAll(async () => {
    ctx = await embeddedStore()
    timers = createLocalRevertTimers({ fire: request => runRevert(s.deps, request), executionId: localRevertExecutionId })
    // The real clock: the timers wait for real, a second or two.
    s = setup(ctx, timers, () => new Date())
  })
  afterAll(async () => {
    await timers?.close()
    await ctx?.cleanup()
  })

  async function revertLog(rule: string, timeoutMs = 20_000): Promise<LogEntry> {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise(r => setTimeout(r, 100))) {
      const found = (await s.logs.list({ limit: 10, rule })).items.find(l => l.trigger === 'revert')
      if (found) return s.logs.get(found.eventId)
    }
    throw new Error(`no revert of ${rule} was logged in ${timeoutMs} ms`)
  }

  it('stops the instance when its override ends by itself', async () => {
    const tag = uniqueValue('local')
    const [instance] = await seedInstances(ec2, { tags: { app: tag } })
    const until = new Date(Date.now() + 1500).toISOString()
    const override = await s.overrides.create({ accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: instance!, until }, by)
    await stopRule(s.rules, `local-${tag}`, tag)
    const run = await runRule(s.deps, { rule: `local-${tag}`, trigger: 'schedule', dryRun: false, executionId: `fire-${tag}`, scheduledTime: new Date().toISOString() })
    expect(run.targets).toEqual([expect.objectContaining({ outcome: 'skipped', reason: expect.stringContaining('by key \'ops\'') })])

    const reverted = await revertLog(`local-${tag}`)
    expect(reverted).toMatchObject({ trigger: 'revert', status: 'succeeded', revert: { override: { kind: 'api', id: override.id } } })
    expect(await statesOf(ec2, [instance!])).toEqual({ [instance!]: 'stopped' })
  })

  it('runs the revert at once when the override is ended early through the API', async () => {
    const tag = uniqueValue('early')
    const [instance] = await seedInstances(ec2, { tags: { app: tag } })
    const override = await s.overrides.create({ accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: instance!, until: new Date(Date.now() + 3_600_000).toISOString() }, by)
    await stopRule(s.rules, `early-${tag}`, tag)
    await runRule(s.deps, { rule: `early-${tag}`, trigger: 'schedule', dryRun: false, executionId: `fire-${tag}`, scheduledTime: new Date().toISOString() })
    expect(await statesOf(ec2, [instance!])).toEqual({ [instance!]: 'running' })

    const ended = await endOverride({ overrides: s.overrides, reverts: s.reverts }, override.id)
    expect(ended).toMatchObject({ id: override.id, revertAt: expect.any(String) })
    expect(await revertLog(`early-${tag}`)).toMatchObject({ trigger: 'revert', status: 'succeeded' })
    expect(await statesOf(ec2, [instance!])).toEqual({ [instance!]: 'stopped' })
  })
})
