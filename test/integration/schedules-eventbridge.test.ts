// Rules and their EventBridge Scheduler schedules, against moto, including injected failures.
import { randomUUID } from 'node:crypto'
import { GetScheduleCommand, ListSchedulesCommand, UpdateScheduleCommand, CreateScheduleCommand } from '@aws-sdk/client-scheduler'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { RuleInput } from '../../shared/schemas/rule'
import { parseServerConfig } from '../../server/utils/config'
import { RuleNotFound, ScheduleBackendError } from '../../server/utils/errors'
import { createRule, deleteRule, replaceRule, setRuleEnabled } from '../../server/utils/rules/service'
import { createRulesRepository } from '../../server/utils/rules/repository'
import { createEventBridgeBackend } from '../../server/utils/schedules/eventbridge'
import { reconcileSchedules, scheduleStatusOf } from '../../server/utils/schedules/sync'
import type { ScheduleDeps } from '../../server/utils/schedules/sync'
import { faultySchedulerClient } from './helpers/scheduler'
import type { FaultySchedulerClient } from './helpers/scheduler'
import { motoStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros'
const ROLE = 'arn:aws:iam::123456789012:role/ouroboros-scheduler'
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:ouroboros-dlq'

function draft(overrides: Partial<RuleInput> = {}) {
  const parsed = RuleInputSchema.parse({
    name: 'eb-web-stop',
    accountId: '123456789012',
    action: 'stop',
    filters: 'tag:Name=web',
    scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    timezone: 'Europe/Berlin',
    ...overrides,
  })
  return { ...parsed, regions: parsed.regions ?? ['us-east-1'] }
}

let ctx: TestStore
let faulty: FaultySchedulerClient
let deps: ScheduleDeps
let group: string

async function live(name: string) {
  return faulty.client.send(new GetScheduleCommand({ Name: name, GroupName: group }))
}

async function scheduleNames(): Promise<string[]> {
  const out = await faulty.client.send(new ListSchedulesCommand({ GroupName: group, MaxResults: 100 }))
  return (out.Schedules ?? []).map(s => s.Name!).sort()
}

// Fresh tables and a fresh group per test: reconcile spans every rule and every schedule of the group,
// and the backend must create the group when it is missing.
beforeEach(async () => {
  ctx = await motoStore()
  group = `g-${randomUUID().slice(0, 8)}`
  faulty = faultySchedulerClient()
  const settings = parseServerConfig({
    schedulerGroup: group,
    schedulerTargetArn: TARGET,
    schedulerRoleArn: ROLE,
    schedulerDlqArn: DLQ,
  }, {}).scheduler
  deps = { rules: createRulesRepository(ctx.store.doc, ctx.tables.rules), backend: createEventBridgeBackend(faulty.client, group), settings }
})
afterEach(async () => ctx?.cleanup())

describe('EventBridge Scheduler backend', () => {
  it('creates the group if missing and a schedule that carries the rule', async () => {
    const rule = await createRule(deps, draft({ name: `create-${group}` }))
    expect(rule.schedule?.status).toBe('in-sync')
    const s = await live(rule.name)
    expect(s).toMatchObject({
      Name: rule.name,
      GroupName: group,
      ScheduleExpression: 'cron(0 19 ? * MON-FRI *)',
      ScheduleExpressionTimezone: 'Europe/Berlin',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: TARGET,
        RoleArn: ROLE,
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: DLQ },
      },
    })
    expect(JSON.parse(s.Target!.Input!)).toEqual({
      kind: 'ouroboros.execute',
      rule: rule.name,
      executionId: '<aws.scheduler.execution-id>',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    })
    expect(await scheduleStatusOf(deps, rule)).toBe('in-sync')
  })

  it('follows a full update, a disable and a delete', async () => {
    const name = `follow-${group}`
    const created = await createRule(deps, draft({ name }))
    const updated = await replaceRule(deps, draft({ name, scheduleExpression: 'rate(5 minutes)', timezone: 'Asia/Tokyo' }), created.version)
    expect(await live(name)).toMatchObject({ ScheduleExpression: 'rate(5 minutes)', ScheduleExpressionTimezone: 'Asia/Tokyo', State: 'ENABLED' })
    await setRuleEnabled(deps, name, false, updated.version)
    expect((await live(name)).State).toBe('DISABLED')
    await deleteRule(deps, name)
    expect(await scheduleNames()).toEqual([])
  })

  it('takes a new rule back out when its schedule cannot be created', async () => {
    faulty.failing.add('CreateScheduleCommand')
    const name = `nocreate-${group}`
    const attempt = createRule(deps, draft({ name }))
    await expect(attempt).rejects.toBeInstanceOf(ScheduleBackendError)
    await expect(attempt).rejects.toThrow(/could not save the schedule .*The rule was not created/)
    await expect(deps.rules.get(name)).rejects.toBeInstanceOf(RuleNotFound)
  })

  it('keeps an updated rule pending, never active without its schedule, and reconcile repairs it', async () => {
    const name = `pending-${group}`
    const created = await createRule(deps, draft({ name }))
    faulty.failing.add('UpdateScheduleCommand')
    await expect(replaceRule(deps, draft({ name, scheduleExpression: 'cron(0 7 ? * MON-FRI *)' }), created.version))
      .rejects.toThrow(/its schedule is 'pending'/)
    const stored = await deps.rules.get(name)
    expect(stored.schedule?.status).toBe('pending')
    expect(await scheduleStatusOf(deps, stored)).toBe('pending')

    faulty.failing.clear()
    const report = await reconcileSchedules(deps)
    expect(report.errors).toEqual([])
    expect(report.updated).toEqual([name])
    expect((await live(name)).ScheduleExpression).toBe('cron(0 7 ? * MON-FRI *)')
    const repaired = await deps.rules.get(name)
    expect(await scheduleStatusOf(deps, repaired)).toBe('in-sync')
  })

  it('brings drift to zero after failures of every kind', async () => {
    const names = [0, 1, 2, 3].map(i => `drift${i}-${group}`)
    for (const name of names) await createRule(deps, draft({ name }))
    faulty.failing.add('UpdateScheduleCommand')
    faulty.failing.add('DeleteScheduleCommand')
    await expect(setRuleEnabled(deps, names[0]!, false)).rejects.toBeInstanceOf(ScheduleBackendError)
    await expect(deleteRule(deps, names[1]!)).rejects.toThrow(/The rule was deleted/)
    faulty.failing.clear()
    // A schedule changed behind our back, and one created by hand in our group.
    const behind = await live(names[2]!)
    await faulty.client.send(new UpdateScheduleCommand({
      Name: names[2]!,
      GroupName: group,
      ScheduleExpression: 'rate(1 minute)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: behind.Target!,
    }))
    await faulty.client.send(new CreateScheduleCommand({
      Name: 'orphan-by-hand',
      GroupName: group,
      ScheduleExpression: 'rate(1 hour)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: TARGET, RoleArn: ROLE },
    }))

    const report = await reconcileSchedules(deps)
    expect(report.errors).toEqual([])
    expect(report.updated).toEqual([names[0], names[2]].sort())
    expect(report.deleted).toEqual([names[1], 'orphan-by-hand'].sort())
    expect((await live(names[0]!)).State).toBe('DISABLED')
    expect((await live(names[2]!)).ScheduleExpression).toBe('cron(0 19 ? * MON-FRI *)')
    expect(await scheduleNames()).toEqual([names[0], names[2], names[3]].sort())

    // A second pass finds nothing to do and writes nothing.
    faulty.calls.clear()
    const again = await reconcileSchedules(deps)
    expect(again).toMatchObject({ created: [], updated: [], deleted: [], errors: [] })
    expect(faulty.calls.get('UpdateScheduleCommand') ?? 0).toBe(0)
    expect(faulty.calls.get('CreateScheduleCommand') ?? 0).toBe(0)
  })

  it('detects a change made by someone else between our write and its read-back', async () => {
    const name = `race-${group}`
    const created = await createRule(deps, draft({ name }))
    const other = faultySchedulerClient().client
    faulty.after.set('UpdateScheduleCommand', async () => {
      const current = await other.send(new GetScheduleCommand({ Name: name, GroupName: group }))
      await other.send(new UpdateScheduleCommand({
        Name: name,
        GroupName: group,
        ScheduleExpression: 'rate(2 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: current.Target!,
      }))
    })
    await replaceRule(deps, draft({ name, scheduleExpression: 'cron(0 6 ? * MON-FRI *)' }), created.version)
    expect((await live(name)).ScheduleExpression).toBe('rate(2 minutes)')
    const report = await reconcileSchedules(deps)
    expect(report.updated).toEqual([name])
    expect((await live(name)).ScheduleExpression).toBe('cron(0 6 ? * MON-FRI *)')
  })

  it('creates the schedule of a rule that has none', async () => {
    const name = `missing-${group}`
    await deps.rules.create(draft({ name }))
    const report = await reconcileSchedules(deps)
    expect(report.created).toContain(name)
    expect((await live(name)).ScheduleExpression).toBe('cron(0 19 ? * MON-FRI *)')
  })
})
