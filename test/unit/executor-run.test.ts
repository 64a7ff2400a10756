// A run end to end with in-memory repositories and a mocked EC2: once per executionId, deleted and
// disabled rules, failures that stay in their region, every page of instances, and dry runs.
import { DescribeInstancesCommand, EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2'
import type { Instance } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import type { Rule } from '../../shared/schemas/rule'
import { LogExists, LogNotFound, RuleNotFound, RunInProgress } from '../../server/utils/errors'
import type { CredentialsResolver } from '../../server/utils/executor/credentials'
import { AssumeRoleDenied } from '../../server/utils/executor/credentials'
import { executeRule, runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'

const rule = (overrides: Partial<Rule> = {}): Rule => ({
  name: 'web-stop', accountIds: ['123456789012'], organizationalUnits: [], excludeAccountIds: [], regions: ['us-east-1'], action: 'stop', hibernate: false,
  filters: [{ key: 'tag:app', values: ['web'] }], allInstances: false, scheduleExpression: 'cron(0 19 * * ? *)',
  timezone: 'UTC', enabled: true, createdAt: 'c', updatedAt: 'u', version: 1, ...overrides,
})

const running = (id: string): Instance => ({ InstanceId: id, State: { Name: 'running' }, Tags: [{ Key: 'Name', Value: id }] })

let ruleStore: Map<string, Rule>
let logStore: Map<string, LogEntry>
let claims: Set<string>
let ec2: EC2Client
let ec2Mock: ReturnType<typeof mockClient>
let own: CredentialsResolver

function fakeRepos() {
  return {
    rules: { get: async (name: string) => ruleStore.get(name) ?? Promise.reject(new RuleNotFound(name)) },
    logs: {
      get: async (id: string) => logStore.get(id) ?? Promise.reject(new LogNotFound(id)),
      put: async (entry: LogEntry) => {
        if (logStore.has(entry.eventId)) throw new LogExists(entry.eventId)
        logStore.set(entry.eventId, entry)
      },
      claim: async (id: string) => {
        if (claims.has(id)) return false
        claims.add(id)
        return true
      },
      release: async (id: string) => void claims.delete(id),
    },
  }
}

function deps(overrides: Partial<ExecutorDeps> = {}): ExecutorDeps {
  return {
    ...fakeRepos(),
    execution: { memberRoleName: 'R', externalId: '', optOutTag: { key: 'skip', value: 'true' }, batchSize: 100, concurrency: 2, verifyTimeoutSeconds: 1 },
    region: 'us-east-1',
    credentials: own,
    ec2: () => ec2,
    now: () => new Date('2026-11-25T19:00:00Z'),
    sleep: async () => {},
    newId: () => 'generated-id',
    ...overrides,
  }
}

beforeEach(() => {
  ruleStore = new Map([['web-stop', rule()]])
  logStore = new Map()
  claims = new Set()
  ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  ec2Mock = mockClient(ec2)
  // Finding answers two running instances; verification answers them stopped.
  ec2Mock.on(DescribeInstancesCommand).callsFake(async input => input.InstanceIds
    ? { Reservations: [{ Instances: input.InstanceIds.map((id: string) => ({ InstanceId: id, State: { Name: 'stopped' } })) }] }
    : { Reservations: [{ Instances: [running('i-1'), running('i-2')] }] })
  ec2Mock.on(StopInstancesCommand).callsFake(async input => ({
    StoppingInstances: input.InstanceIds.map((id: string) => ({ InstanceId: id, CurrentState: { Name: 'stopping' } })),
  }))
  own = { ownAccountId: async () => '123456789012', forAccount: async accountId => ({ accountId, own: true }) }
})

const payload = { rule: 'web-stop', trigger: 'schedule' as const, dryRun: false }

describe('runRule', () => {
  it('acts, verifies and logs one entry with the run\'s details', async () => {
    const entry = await runRule(deps(), { ...payload, executionId: 'exec-1', scheduledTime: '2026-11-25T19:00:00Z' })
    expect(entry).toEqual({
      eventId: 'exec-1', ruleName: 'web-stop', trigger: 'schedule', scheduledTime: '2026-11-25T19:00:00Z',
      startedAt: '2026-11-25T19:00:00.000Z', finishedAt: '2026-11-25T19:00:00.000Z',
      action: 'stop', accountId: '123456789012', regions: ['us-east-1'], filters: [{ key: 'tag:app', values: ['web'] }],
      status: 'succeeded',
      targets: [
        { instanceId: 'i-1', region: 'us-east-1', name: 'i-1', stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' },
        { instanceId: 'i-2', region: 'us-east-1', name: 'i-2', stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' },
      ],
      counts: { total: 2, acted: 2, skipped: 0, failed: 0 },
    })
    expect(logStore.get('exec-1')).toEqual(entry)
  })

  it('answers the existing log of a redelivered executionId without acting again', async () => {
    const first = await runRule(deps(), { ...payload, executionId: 'exec-2' })
    const calls = ec2Mock.calls().length
    expect(await runRule(deps(), { ...payload, executionId: 'exec-2' })).toBe(first)
    expect(ec2Mock.calls()).toHaveLength(calls)
  })

  it('answers the winner\'s log when a concurrent delivery logged the run first', async () => {
    const winner = { eventId: 'exec-3', status: 'succeeded' } as LogEntry
    const repos = fakeRepos()
    let checked = false
    // The pre-check finds nothing; by the time this run logs, the other delivery has.
    const logs = {
      get: async (id: string) => {
        if (!checked) {
          checked = true
          throw new LogNotFound(id)
        }
        return winner
      },
      put: async (entry: LogEntry) => {
        logStore.set('exec-3', winner)
        return repos.logs.put(entry)
      },
      claim: repos.logs.claim,
      release: repos.logs.release,
    }
    expect(await runRule(deps({ logs }), { ...payload, executionId: 'exec-3' })).toBe(winner)
  })

  it('acts on nothing while another delivery holds the claim, and answers that delivery\'s log', async () => {
    claims.add('exec-4')
    const theirs = { eventId: 'exec-4', status: 'succeeded' } as LogEntry
    let sleeps = 0
    // The other delivery logs its run while this one waits.
    const sleep = async () => {
      if (++sleeps === 3) logStore.set('exec-4', theirs)
    }

    expect(await runRule(deps({ sleep }), { ...payload, executionId: 'exec-4' })).toBe(theirs)
    expect(ec2Mock.calls()).toHaveLength(0)
    expect(sleeps).toBe(3)
    // The claim is the other delivery's to release.
    expect(claims.has('exec-4')).toBe(true)
  })

  it('throws RunInProgress, having acted on nothing, when the claim\'s holder does not log in time', async () => {
    claims.add('exec-5')
    let waitedMs = 0
    const sleep = async (ms: number) => void (waitedMs += ms)

    await expect(runRule(deps({ sleep }), { ...payload, executionId: 'exec-5' })).rejects.toBeInstanceOf(RunInProgress)
    expect(ec2Mock.calls()).toHaveLength(0)
    expect(waitedMs).toBe(10_000)
    expect(logStore.has('exec-5')).toBe(false)
  })

  it('releases its claim once the run is logged, and when it fails before logging', async () => {
    await runRule(deps(), { ...payload, executionId: 'exec-6' })
    expect(claims.size).toBe(0)

    const storeDown = Object.assign(new Error('store unavailable'), { name: 'InternalServerError' })
    const rules = { get: async () => Promise.reject(storeDown) }
    await expect(runRule(deps({ rules }), { ...payload, executionId: 'exec-7' })).rejects.toBe(storeDown)
    expect(claims.size).toBe(0)
    // Retried, the same execution runs.
    expect(await runRule(deps(), { ...payload, executionId: 'exec-7' })).toMatchObject({ eventId: 'exec-7', status: 'succeeded' })
  })

  it('gives a manual run a new id', async () => {
    const entry = await runRule(deps(), { rule: 'web-stop', trigger: 'manual', dryRun: false })
    expect(entry).toMatchObject({ eventId: 'generated-id', trigger: 'manual', scheduledTime: null })
  })

  it('logs a rule deleted before it ran as failed', async () => {
    const entry = await runRule(deps(), { ...payload, rule: 'gone', executionId: 'exec-4' })
    expect(entry).toMatchObject({ ruleName: 'gone', status: 'failed', action: 'unknown', accountId: '', targets: [], counts: { total: 0 } })
    expect(entry.message).toBe('rule \'gone\' no longer exists: it was deleted after this run was scheduled')
    expect(ec2Mock.calls()).toHaveLength(0)
  })

  it('does nothing for a disabled rule fired by its schedule, but runs it when asked by hand', async () => {
    ruleStore.set('web-stop', rule({ enabled: false }))
    const scheduled = await runRule(deps(), { ...payload, executionId: 'exec-5' })
    expect(scheduled).toMatchObject({ status: 'nothing-to-do', message: expect.stringContaining('disabled') })
    expect(ec2Mock.calls()).toHaveLength(0)
    const manual = await runRule(deps(), { ...payload, trigger: 'manual' })
    expect(manual).toMatchObject({ status: 'succeeded', counts: { acted: 2 } })
  })

  it('fails the run with the reason when the role cannot be assumed', async () => {
    const denied: CredentialsResolver = {
      ownAccountId: async () => '999999999999',
      forAccount: async accountId => Promise.reject(new AssumeRoleDenied(accountId, 'arn:aws:iam::123456789012:role/R', Object.assign(new Error('not authorized'), { name: 'AccessDenied' }))),
    }
    ruleStore.set('web-stop', rule({ regions: ['us-east-1', 'eu-west-1'] }))
    const entry = await runRule(deps({ credentials: denied }), payload)
    expect(entry).toMatchObject({ status: 'failed', counts: { total: 0 } })
    expect(entry.message).toBe('us-east-1, eu-west-1: could not assume arn:aws:iam::123456789012:role/R (account 123456789012): AccessDenied: not authorized')
  })

  it('follows every page of DescribeInstances', async () => {
    ec2Mock.on(DescribeInstancesCommand).callsFake(async (input) => {
      if (input.InstanceIds) return { Reservations: [{ Instances: input.InstanceIds.map((id: string) => ({ InstanceId: id, State: { Name: 'stopped' } })) }] }
      expect(input.MaxResults).toBe(1000)
      return input.NextToken === 'page-2'
        ? { Reservations: [{ Instances: [running('i-3')] }] }
        : { Reservations: [{ Instances: [running('i-1'), running('i-2')] }], NextToken: 'page-2' }
    })
    const entry = await runRule(deps(), payload)
    expect(entry.targets.map(t => t.instanceId)).toEqual(['i-1', 'i-2', 'i-3'])
    expect(entry.counts.acted).toBe(3)
  })

  it('verifies with InstanceIds in chunks of at most 1000, without MaxResults', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => running(`i-${i}`))
    ec2Mock.on(DescribeInstancesCommand).callsFake(async input => input.InstanceIds
      ? { Reservations: [{ Instances: input.InstanceIds.map((id: string) => ({ InstanceId: id, State: { Name: 'stopped' } })) }] }
      : { Reservations: [{ Instances: many }] })
    const entry = await runRule(deps(), payload)
    expect(entry.counts).toEqual({ total: 1500, acted: 1500, skipped: 0, failed: 0 })
    const reads = ec2Mock.commandCalls(DescribeInstancesCommand).map(c => c.args[0].input).filter(i => i.InstanceIds)
    expect(reads.map(i => i.InstanceIds!.length)).toEqual([1000, 500])
    expect(reads.every(i => i.MaxResults === undefined)).toBe(true)
    expect(ec2Mock.commandCalls(StopInstancesCommand).map(c => c.args[0].input.InstanceIds!.length)).toEqual(Array(15).fill(100))
  })
})

describe('executeRule', () => {
  it('dry-runs: answers what would be done, without acting or logging', async () => {
    const result = await executeRule(deps(), { ...payload, dryRun: true })
    expect(result).toMatchObject({ dryRun: true, counts: { total: 2, wouldAct: 2, skipped: 0 }, errors: [] })
    expect(ec2Mock.commandCalls(StopInstancesCommand)).toHaveLength(0)
    expect(logStore.size).toBe(0)
  })
})
