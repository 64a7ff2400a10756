// What moto cannot show of databases (issue 16): Aurora Serverless v1 and the secondary cluster of a global database,
// from recorded DescribeDBClusters answers (moto models neither), and the bounded wait: a database still on its way
// is logged stopping/starting, one that went back is failed. RDS's answers are mocked (aws-sdk-client-mock) because
// moto's stops and starts are instant.
import { DescribeDBClustersCommand, DescribeDBInstancesCommand, DescribeEventsCommand, RDSClient, StopDBInstanceCommand } from '@aws-sdk/client-rds'
import { EC2Client } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { previewInstances } from '../../server/utils/executor/run'
import { verifyDatabases } from '../../server/utils/executor/resources/db-verify'
import { parseSavedCapacity } from '../../server/utils/executor/resources/asg'
import { matchesTagFilters } from '../../server/utils/executor/resources/tags'

let rds: RDSClient
let rdsMock: ReturnType<typeof mockClient>
let clock: number

function deps(overrides: Partial<ExecutorDeps> = {}): ExecutorDeps {
  return {
    rules: { get: async () => { throw new Error('unused') } },
    logs: { get: async () => { throw new Error('unused') }, put: async () => {}, claim: async () => true, release: async () => {} },
    execution: { memberRoleName: 'R', externalId: '', optOutTag: { key: 'skip', value: 'true' }, batchSize: 10, concurrency: 2, verifyTimeoutSeconds: 1, dbVerifyTimeoutSeconds: 30 },
    region: 'us-east-1',
    credentials: { ownAccountId: async () => '123456789012', forAccount: async accountId => ({ accountId, own: true }) },
    ec2: () => new EC2Client({ region: 'us-east-1' }),
    rds: () => rds,
    now: () => new Date(clock),
    sleep: async (ms) => { clock += ms },
    verifyIntervalMs: 10_000,
    ...overrides,
  }
}

beforeEach(() => {
  rds = new RDSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  rdsMock = mockClient(rds)
  clock = Date.parse('2026-11-25T19:00:00Z')
})

const spec = { ruleName: '', accountId: '123456789012', regions: ['us-east-1'], action: 'stop' as const, hibernate: false, filters: [{ key: 'tag:env', values: ['dev'] }] }
const tagged = [{ Key: 'env', Value: 'dev' }]

describe('Aurora clusters AWS cannot stop', () => {
  it('skips Serverless v1, a global database\'s secondary and other engines, each with its reason', async () => {
    // Recorded from DescribeDBClusters (trimmed to the fields the executor reads).
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [
      { DBClusterIdentifier: 'sls-v1', Engine: 'aurora-postgresql', EngineMode: 'serverless', Status: 'available', TagList: tagged },
      { DBClusterIdentifier: 'global-secondary', Engine: 'aurora-mysql', EngineMode: 'provisioned', Status: 'available', TagList: tagged,
        ReplicationSourceIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster:global-primary' },
      { DBClusterIdentifier: 'graph', Engine: 'neptune', EngineMode: 'provisioned', Status: 'available', TagList: tagged },
      { DBClusterIdentifier: 'v2', Engine: 'aurora-postgresql', EngineMode: 'provisioned', Status: 'available', TagList: tagged },
      { DBClusterIdentifier: 'untagged', Engine: 'aurora-postgresql', EngineMode: 'provisioned', Status: 'available', TagList: [] },
    ] })
    const preview = await previewInstances(deps(), { ...spec, resourceTypes: ['aurora'] })
    const reasons = Object.fromEntries(preview.targets.map(t => [t.instanceId, t.reason ?? t.outcome]))
    expect(reasons).toEqual({
      'sls-v1': expect.stringContaining('Aurora Serverless v1'),
      'global-secondary': expect.stringContaining('secondary cluster of a global database'),
      'graph': expect.stringContaining('engine neptune is not Aurora'),
      'v2': 'would-stop',
    })
  })

  it('asks DescribeDBClusters for the rule\'s own keys, and matches its tags from the TagList', async () => {
    rdsMock.on(DescribeDBClustersCommand).resolves({ DBClusters: [] })
    await previewInstances(deps(), { ...spec, resourceTypes: ['aurora'], filters: [{ key: 'engine', values: ['aurora-mysql'] }] })
    expect(rdsMock.commandCalls(DescribeDBClustersCommand)[0]!.args[0].input).toMatchObject({ Filters: [{ Name: 'engine', Values: ['aurora-mysql'] }], MaxRecords: 100 })
  })
})

describe('a stop rule that finds an instance running again', () => {
  it('says AWS started it after 7 days stopped when the events tell', async () => {
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [
      { DBInstanceIdentifier: 'orders', Engine: 'postgres', DBInstanceStatus: 'available', TagList: tagged },
      { DBInstanceIdentifier: 'billing', Engine: 'mysql', DBInstanceStatus: 'available', TagList: tagged },
    ] })
    rdsMock.on(DescribeEventsCommand).resolves({ Events: [{ SourceIdentifier: 'orders', Message: 'DB instance is being started due to it exceeding the maximum allowed time being stopped.' }] })
    const preview = await previewInstances(deps(), { ...spec, resourceTypes: ['rds'] })
    const t = Object.fromEntries(preview.targets.map(x => [x.instanceId, x]))
    expect(t.orders).toMatchObject({ outcome: 'would-stop', reason: 'started again by AWS after 7 days stopped', engine: 'postgres' })
    expect(t.billing!.reason).toBeUndefined()
  })
})

describe('the calls a stop of databases makes', () => {
  it('asks the events only when a running instance is old enough to have been stopped 7 days', async () => {
    const created = (daysAgo: number) => new Date(clock - daysAgo * 86_400_000)
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [
      { DBInstanceIdentifier: 'young', Engine: 'postgres', DBInstanceStatus: 'available', TagList: tagged, InstanceCreateTime: created(6) },
    ] })
    rdsMock.on(DescribeEventsCommand).resolves({ Events: [] })
    await previewInstances(deps(), { ...spec, resourceTypes: ['rds'] })
    expect(rdsMock.commandCalls(DescribeEventsCommand)).toHaveLength(0)
    rdsMock.on(DescribeDBInstancesCommand).resolves({ DBInstances: [
      { DBInstanceIdentifier: 'young', Engine: 'postgres', DBInstanceStatus: 'available', TagList: tagged, InstanceCreateTime: created(6) },
      { DBInstanceIdentifier: 'old', Engine: 'postgres', DBInstanceStatus: 'available', TagList: tagged, InstanceCreateTime: created(8) },
    ] })
    await previewInstances(deps(), { ...spec, resourceTypes: ['rds'] })
    expect(rdsMock.commandCalls(DescribeEventsCommand)).toHaveLength(1)
  })

  it('reads back only the databases whose Stop answer does not say stopped, in one call', async () => {
    const asked: string[][] = []
    const verdicts = await verifyDatabases(deps(), 'stop', { a: 'stopped', b: 'stopping', c: 'stopping' }, async (ids) => {
      asked.push(ids)
      return { b: 'stopped', c: 'stopped' }
    })
    expect(asked).toEqual([['b', 'c']])
    expect(verdicts.map(v => [v.instanceId, v.state, v.reached])).toEqual([['a', 'stopped', true], ['b', 'stopped', true], ['c', 'stopped', true]])
    asked.length = 0
    await verifyDatabases(deps(), 'stop', { a: 'stopped' }, async (ids) => {
      asked.push(ids)
      return {}
    })
    expect(asked).toEqual([])
  })
})

describe('the bounded wait for databases', () => {
  it('logs a database still stopping when the wait is over as stopping, in progress', async () => {
    const verdicts = await verifyDatabases(deps({ execution: { ...deps().execution, dbVerifyTimeoutSeconds: 30 } }), 'stop', { a: 'stopping', b: 'stopping' }, async () => ({ a: 'stopping', b: 'stopped' }))
    expect(verdicts).toEqual([
      { instanceId: 'a', state: 'stopping', reached: true, outcome: 'stopping', reason: expect.stringContaining('the follow-up check records how it ends') },
      { instanceId: 'b', state: 'stopped', reached: true },
    ])
  })

  it('fails a database that went back to available after stopping', async () => {
    const reads = [{ a: 'stopping' }, { a: 'available' }]
    const verdicts = await verifyDatabases(deps(), 'stop', { a: 'available' }, async () => reads.shift() ?? { a: 'available' })
    expect(verdicts[0]).toMatchObject({ reached: false, state: 'available', reason: expect.stringContaining('went back to available') })
  })

  it('logs the run\'s target as stopping, counted as acted', async () => {
    rdsMock.on(DescribeDBInstancesCommand).callsFake(async input => input.Filters?.[0]?.Name === 'db-instance-id'
      ? { DBInstances: [{ DBInstanceIdentifier: 'orders', DBInstanceStatus: 'stopping' }] }
      : { DBInstances: [{ DBInstanceIdentifier: 'orders', Engine: 'postgres', DBInstanceStatus: 'available', TagList: tagged }] })
    rdsMock.on(DescribeEventsCommand).resolves({ Events: [] })
    rdsMock.on(StopDBInstanceCommand).resolves({ DBInstance: { DBInstanceIdentifier: 'orders', DBInstanceStatus: 'stopping' } })
    const { actInRegion } = await import('../../server/utils/executor/run')
    const targets = await actInRegion(deps(), { ...spec, resourceTypes: ['rds'] }, { accountId: '123456789012', region: 'us-east-1' })
    expect(targets).toEqual([expect.objectContaining({ instanceId: 'orders', resourceType: 'rds', outcome: 'stopping', stateBefore: 'available', stateAfter: 'stopping' })])
  })
})

describe('the saved capacity and the tag filters', () => {
  it.each([
    ['1,2,3', { min: 1, desired: 2, max: 3 }],
    [' 0 , 0 , 4 ', { min: 0, desired: 0, max: 4 }],
    ['3,2,1', null],
    ['1,2', null],
    ['a,b,c', null],
  ])('reads %j', (value, expected) => {
    expect(parseSavedCapacity(value)).toEqual(expected)
  })

  it('matches tag filters with wildcards, ANDing keys and ORing values', () => {
    const tags = { env: 'dev-eu', team: 'web' }
    expect(matchesTagFilters(tags, [{ key: 'tag:env', values: ['dev-*'] }, { key: 'tag-key', values: ['team'] }])).toBe(true)
    expect(matchesTagFilters(tags, [{ key: 'tag:env', values: ['prod', 'dev-??'] }])).toBe(true)
    expect(matchesTagFilters(tags, [{ key: 'tag:env', values: ['dev'] }])).toBe(false)
    expect(matchesTagFilters(tags, [{ key: 'tag:owner', values: ['*'] }])).toBe(false)
    expect(matchesTagFilters(tags, [{ key: 'engine', values: ['postgres'] }])).toBe(true)
  })
})
