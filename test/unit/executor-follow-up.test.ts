// The follow-up check (issue 16): a run that ends with databases still stopping arms it, and the check completes the
// run's log with their final states; one that went back fails. RDS is mocked (aws-sdk-client-mock): moto's stops are
// instant, so it never shows a database still stopping.
import { DescribeDBInstancesCommand, DescribeEventsCommand, RDSClient, StopDBInstanceCommand } from '@aws-sdk/client-rds'
import { EC2Client } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import type { Rule } from '../../shared/schemas/rule'
import { LogNotFound, RuleNotFound } from '../../server/utils/errors'
import { followUpKey, followUpScheduleName } from '../../server/utils/executor/follow-up-arm'
import { runFollowUp } from '../../server/utils/executor/follow-up'
import { reconcileFollowUps } from '../../server/utils/executor/follow-up-reconcile'
import { runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { classifyLambdaEvent } from '../../server/utils/lambda-event'

const tagged = [{ Key: 'env', Value: 'dev' }]
let statuses: Record<string, string>
let logStore: Map<string, LogEntry>
let armed: { key: string, at: string }[]
// The follow-up checks waiting, as the logs repository keeps them: by run, when due.
let waiting: Map<string, string>
let rds: RDSClient
let clock: number

const rule: Rule = {
  name: 'db-stop', accountIds: ['123456789012'], organizationalUnits: [], excludeAccountIds: [], regions: ['us-east-1'], action: 'stop', hibernate: false, resourceTypes: ['rds'],
  filters: [{ key: 'tag:env', values: ['dev'] }], allInstances: false, scheduleExpression: 'cron(0 19 * * ? *)',
  timezone: 'UTC', enabled: true, createdAt: 'c', updatedAt: 'u', version: 1,
}

function deps(): ExecutorDeps {
  return {
    rules: { get: async name => (name === rule.name ? rule : Promise.reject(new RuleNotFound(name))) },
    logs: {
      get: async id => logStore.get(id) ?? Promise.reject(new LogNotFound(id)),
      put: async (entry) => { logStore.set(entry.eventId, entry) },
      complete: async (entry) => {
        if (!logStore.has(entry.eventId)) throw new LogNotFound(entry.eventId)
        logStore.set(entry.eventId, entry)
      },
      claim: async () => true,
      release: async () => {},
      markFollowUp: async (eventId, due) => void waiting.set(eventId, due),
      clearFollowUp: async eventId => void waiting.delete(eventId),
      followUpsWaiting: async function* () {
        for (const [eventId, due] of [...waiting].sort(([, a], [, b]) => (a < b ? -1 : 1))) yield { eventId, due }
      },
    },
    execution: { memberRoleName: 'R', externalId: '', optOutTag: { key: 'skip', value: 'true' }, batchSize: 10, concurrency: 2, verifyTimeoutSeconds: 1, dbVerifyTimeoutSeconds: 20 },
    region: 'us-east-1',
    credentials: { ownAccountId: async () => '123456789012', forAccount: async accountId => ({ accountId, own: true }) },
    ec2: () => new EC2Client({ region: 'us-east-1' }),
    rds: () => rds,
    followUps: { put: async item => void armed.push(item) },
    followUpDelayMs: 15 * 60_000,
    now: () => new Date(clock),
    sleep: async (ms) => { clock += ms },
    verifyIntervalMs: 10_000,
    newId: () => 'run-1',
  }
}

beforeEach(() => {
  clock = Date.parse('2026-11-25T19:00:00Z')
  statuses = { orders: 'available', billing: 'available' }
  logStore = new Map()
  armed = []
  waiting = new Map()
  rds = new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  const mock = mockClient(rds)
  mock.on(DescribeDBInstancesCommand).callsFake(async input => ({
    DBInstances: Object.entries(statuses)
      .filter(([id]) => !input.Filters?.length || input.Filters[0].Values.includes(id))
      .map(([id, status]) => ({ DBInstanceIdentifier: id, DBInstanceStatus: status, Engine: 'postgres', TagList: tagged })),
  }))
  mock.on(DescribeEventsCommand).resolves({ Events: [] })
  mock.on(StopDBInstanceCommand).callsFake(async (input) => {
    statuses[input.DBInstanceIdentifier] = 'stopping'
    return { DBInstance: { DBInstanceIdentifier: input.DBInstanceIdentifier, DBInstanceStatus: 'stopping' } }
  })
})

describe('the follow-up check', () => {
  it('is armed by a run that ends with databases still stopping, and completes its log with their final states', async () => {
    const entry = await runRule(deps(), { rule: 'db-stop', trigger: 'manual', dryRun: false })
    expect(entry.targets.map(t => t.outcome)).toEqual(['stopping', 'stopping'])
    expect(entry.counts).toMatchObject({ acted: 2, failed: 0 })
    expect(armed).toEqual([{ key: followUpKey(entry.eventId), at: '2026-11-25T19:15:20.000Z' }])
    expect(logStore.get(entry.eventId)!.followUp).toEqual({ due: '2026-11-25T19:15:20.000Z' })

    // Later: one has stopped, the other went back to available (AWS did not complete the stop).
    statuses = { orders: 'stopped', billing: 'available' }
    clock = Date.parse('2026-11-25T19:15:20Z')
    const completed = await runFollowUp(deps(), entry.eventId)
    const t = Object.fromEntries(completed.targets.map(x => [x.instanceId, x]))
    expect(t.orders).toMatchObject({ outcome: 'stopped', stateAfter: 'stopped', reason: expect.stringContaining('confirmed by the follow-up check at 2026-11-25T19:15') })
    expect(t.billing).toMatchObject({ outcome: 'failed', stateAfter: 'available', reason: expect.stringContaining('AWS did not complete the stop') })
    expect(completed).toMatchObject({ status: 'partial', counts: { acted: 1, failed: 1 }, followUp: { due: '2026-11-25T19:15:20.000Z', checkedAt: '2026-11-25T19:15:20.000Z' } })
    expect(logStore.get(entry.eventId)).toEqual(completed)
  })

  it('is not armed when every database got there within the wait', async () => {
    const mock = mockClient(rds)
    mock.on(DescribeEventsCommand).resolves({ Events: [] })
    mock.on(DescribeDBInstancesCommand).callsFake(async input => ({
      DBInstances: Object.entries(statuses).filter(([id]) => !input.Filters?.length || input.Filters[0].Values.includes(id))
        .map(([id, status]) => ({ DBInstanceIdentifier: id, DBInstanceStatus: status, TagList: tagged })),
    }))
    mock.on(StopDBInstanceCommand).callsFake(async (input) => {
      statuses[input.DBInstanceIdentifier] = 'stopped'
      return { DBInstance: { DBInstanceStatus: 'stopping' } }
    })
    const entry = await runRule(deps(), { rule: 'db-stop', trigger: 'manual', dryRun: false })
    expect(entry.targets.map(t => t.outcome)).toEqual(['stopped', 'stopped'])
    expect(armed).toEqual([])
    expect(entry.followUp).toBeUndefined()
  })

  it('is armed again by the reconciler when its timer was lost, and run by it once its time has come', async () => {
    const entry = await runRule(deps(), { rule: 'db-stop', trigger: 'manual', dryRun: false })
    const due = '2026-11-25T19:15:20.000Z'
    expect(waiting).toEqual(new Map([[entry.eventId, due]]))
    // A restart: the process's timers are gone, and the timers' check says so.
    armed = []
    const lost = { ...deps(), followUps: { put: async (item: { key: string, at: string }) => void armed.push(item), check: async () => 'missing' as const } }
    expect(await reconcileFollowUps(lost)).toEqual({ inSync: 0, armed: 1, ran: 0, errors: [] })
    expect(armed).toEqual([{ key: followUpKey(entry.eventId), at: due }])
    // One that is there is left alone.
    expect(await reconcileFollowUps({ ...lost, followUps: { ...lost.followUps, check: async () => 'in-sync' as const } })).toMatchObject({ inSync: 1, armed: 0 })

    // Down past its time: the reconcile at start runs it, and nothing waits any more.
    statuses = { orders: 'stopped', billing: 'stopped' }
    clock = Date.parse('2026-11-25T20:00:00Z')
    expect(await reconcileFollowUps(lost)).toEqual({ inSync: 0, armed: 0, ran: 1, errors: [] })
    expect(logStore.get(entry.eventId)!.targets.map(t => t.outcome)).toEqual(['stopped', 'stopped'])
    expect(waiting.size).toBe(0)
    expect(await reconcileFollowUps(lost)).toEqual({ inSync: 0, armed: 0, ran: 0, errors: [] })
  })

  it('forgets a check whose run is no longer logged', async () => {
    waiting.set('gone', '2026-11-25T18:00:00.000Z')
    expect(await reconcileFollowUps(deps())).toEqual({ inSync: 0, armed: 0, ran: 0, errors: [] })
    expect(waiting.size).toBe(0)
  })

  it('names its schedule within Scheduler\'s rules, and the Lambda entry knows its payload', () => {
    expect(followUpScheduleName(followUpKey('0b7c9a52-3f7e-4b43-9b57-2c0a43f7f0a1'))).toBe('followup.0b7c9a52-3f7e-4b43-9b57-2c0a43f7f0a1')
    expect(followUpScheduleName(followUpKey('x'.repeat(80)))).toMatch(/^followup\.[0-9a-f]{40}$/)
    expect(classifyLambdaEvent({ kind: 'ouroboros.follow-up', eventId: 'run-1' })).toEqual({ type: 'follow-up', payload: { eventId: 'run-1' } })
    expect(classifyLambdaEvent({ kind: 'ouroboros.follow-up' })).toMatchObject({ type: 'unknown' })
  })
})

describe('the follow-up check\'s notifications', () => {
  it('hands the log before and after to notifyFollowUp once it is completed, and a failing notifier fails nothing', async () => {
    const entry = await runRule(deps(), { rule: 'db-stop', trigger: 'manual', dryRun: false })
    statuses = { orders: 'stopped', billing: 'available' }
    const seen: [LogEntry, LogEntry][] = []
    const completed = await runFollowUp({ ...deps(), notifyFollowUp: async (before, after) => void seen.push([before, after]) }, entry.eventId)
    expect(seen).toEqual([[entry, completed]])
    expect(seen[0]![0].status).toBe('succeeded')
    expect(seen[0]![1]).toMatchObject({ status: 'partial', counts: { failed: 1 } })
    statuses = { orders: 'available', billing: 'available' }
    const again = await runRule(deps(), { rule: 'db-stop', trigger: 'manual', dryRun: false, executionId: 'run-2' })
    statuses = { orders: 'stopped', billing: 'stopped' }
    const failing = {
      ...deps(),
      notifyFollowUp: async () => {
        throw new Error('the notifications table is gone')
      },
    }
    await expect(runFollowUp(failing, again.eventId)).resolves.toMatchObject({ eventId: 'run-2', counts: { acted: 2, failed: 0 } })
    expect(logStore.get('run-2')!.followUp?.checkedAt).toBeDefined()
  })
})
