// RDS instances, Aurora clusters and Auto Scaling groups in the same rules as EC2 (issue 16), against moto's RDS,
// Auto Scaling, EC2 and STS, with the embedded store: a multi-type rule stops what is tagged and leaves the rest, the
// start rule brings it back, every skip has its reason, a saved capacity is never overwritten, one refusal fails alone.
import type { RDSClient } from '@aws-sdk/client-rds'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogTarget } from '../../shared/schemas/log'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { RuleInput } from '../../shared/schemas/rule'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { previewInstances, runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import { ec2For, MEMBER_ROLE, motoEc2, motoSts, newAccountId, seedInstances, statesOf, uniqueValue, awsError } from './helpers/ec2'
import { autoScalingFor, clusterStatus, dbStatus, groupOf, motoAutoScaling, motoRds, rdsFor, refusing, seedAuroraCluster, seedDbInstance, seedGroup, seedReadReplica } from './helpers/resources'
import { embeddedStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

let store: TestStore
let rules: RulesRepository
let deps: (overrides?: Partial<ExecutorDeps>) => ExecutorDeps
const region = 'us-east-1'

beforeAll(async () => {
  store = await embeddedStore()
  rules = createRulesRepository(store.store.doc, store.tables.rules)
  const logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
  const credentials = createCredentialsResolver({ sts: motoSts(), memberRoleName: MEMBER_ROLE, externalId: 'x', region })
  deps = overrides => ({
    rules, logs, credentials, region,
    execution: { memberRoleName: MEMBER_ROLE, externalId: 'x', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 10, concurrency: 4, verifyTimeoutSeconds: 2, dbVerifyTimeoutSeconds: 2 },
    ec2: (_a, r, c) => motoEc2(r, c),
    rds: (_a, r, c) => motoRds(r, c),
    autoScaling: (_a, r, c) => motoAutoScaling(r, c),
    verifyIntervalMs: 10,
    backoff: { sleep: async () => {} },
    logger: { info: () => {}, warn: () => {} },
    ...overrides,
  })
})
afterAll(async () => store?.cleanup())

async function createRule(input: Partial<RuleInput> & { name: string, accountId: string }) {
  const draft = RuleInputSchema.parse({ action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', ...input })
  return rules.create({ ...draft, regions: draft.regions ?? [region] })
}
const run = (name: string, overrides?: Partial<ExecutorDeps>) => runRule(deps(overrides), { rule: name, trigger: 'manual', dryRun: false })
const byId = (targets: LogTarget[]) => Object.fromEntries(targets.map(t => [t.instanceId, t]))

describe('a rule of several resource types', () => {
  const account = newAccountId()
  const env = uniqueValue('dev')
  let rds: RDSClient
  let db = ''
  let untaggedDb = ''
  let cluster = ''
  let member = ''
  let group = ''
  let untaggedGroup = ''
  let instance = ''

  beforeAll(async () => {
    rds = await rdsFor(account, region)
    db = await seedDbInstance(rds, { env, Name: 'orders' })
    untaggedDb = await seedDbInstance(rds, { env: 'prod' })
    ;({ cluster, member } = await seedAuroraCluster(rds, { env }))
    group = await seedGroup(account, region, { env }, { min: 1, desired: 2, max: 3 })
    untaggedGroup = await seedGroup(account, region, { env: 'prod' })
    instance = (await seedInstances(await ec2For(account, region), { tags: { env } }))[0]!
    await createRule({ name: `all-stop-${env}`, accountId: account, filters: `tag:env=${env}`, resourceTypes: ['ec2', 'rds', 'aurora', 'asg'] })
    await createRule({ name: `all-start-${env}`, accountId: account, action: 'start', filters: `tag:env=${env}`, resourceTypes: ['ec2', 'rds', 'aurora', 'asg'] })
  })

  it('stops a tagged DB instance, Aurora cluster, Auto Scaling group and EC2 instance, and leaves the untagged ones alone', async () => {
    const entry = await run(`all-stop-${env}`)
    const t = byId(entry.targets)
    expect(entry.status).toBe('succeeded')
    expect(Object.keys(t).sort()).toEqual([cluster, db, group, instance, member].sort())
    // The cluster's member carries the tag too: the cluster is what stops.
    expect(t[member]).toMatchObject({ resourceType: 'rds', outcome: 'skipped' })
    expect(t[db]).toMatchObject({ resourceType: 'rds', engine: 'postgres', name: 'orders', stateBefore: 'available', stateAfter: 'stopped', outcome: 'stopped' })
    expect(t[cluster]).toMatchObject({ resourceType: 'aurora', engine: 'aurora-postgresql', stateBefore: 'available', stateAfter: 'stopped', outcome: 'stopped' })
    expect(t[group]).toMatchObject({ resourceType: 'asg', stateBefore: 'min=1,desired=2,max=3', stateAfter: 'min=0,desired=0,max=0', outcome: 'stopped' })
    expect(t[instance]).toMatchObject({ outcome: 'stopped' })
    expect(t[instance]!.resourceType).toBeUndefined()
    expect(entry.resourceTypes).toEqual(['ec2', 'rds', 'aurora', 'asg'])

    expect(await dbStatus(rds, db)).toBe('stopped')
    expect(await dbStatus(rds, untaggedDb)).toBe('available')
    expect(await clusterStatus(rds, cluster)).toBe('stopped')
    const asg = await autoScalingFor(account, region)
    expect(await groupOf(asg, group)).toMatchObject({ min: 0, desired: 0, max: 0, tags: { 'ouroboros:saved-capacity': '1,2,3' } })
    expect(await groupOf(asg, untaggedGroup)).toMatchObject({ min: 1, desired: 2, max: 3 })
  })

  it('brings them all back with the start rule, the group to its saved min, desired and max, its tag removed', async () => {
    const entry = await run(`all-start-${env}`)
    const t = byId(entry.targets)
    expect(entry.status).toBe('succeeded')
    expect(t[db]).toMatchObject({ outcome: 'started', stateAfter: 'available' })
    expect(t[cluster]).toMatchObject({ outcome: 'started', stateAfter: 'available' })
    expect(t[group]).toMatchObject({ outcome: 'started', stateAfter: 'min=1,desired=2,max=3' })
    expect(t[instance]).toMatchObject({ outcome: 'started' })
    const g = await groupOf(await autoScalingFor(account, region), group)
    expect(g).toMatchObject({ min: 1, desired: 2, max: 3 })
    expect(g.tags['ouroboros:saved-capacity']).toBeUndefined()
    expect(await dbStatus(rds, db)).toBe('available')
    const [state] = Object.values(await statesOf(await ec2For(account, region), [instance]))
    expect(state).toBe('running')
  })

  it('previews every type, acting on nothing', async () => {
    const preview = await previewInstances(deps(), { ruleName: '', accountId: account, regions: [region], action: 'stop', hibernate: false, filters: [{ key: 'tag:env', values: [env] }], resourceTypes: ['rds', 'aurora', 'asg'] })
    expect(preview.targets.map(t => [t.instanceId, t.resourceType, t.outcome]).sort()).toEqual([
      [group, 'asg', 'would-stop'], [cluster, 'aurora', 'would-stop'], [db, 'rds', 'would-stop'], [member, 'rds', 'skipped'],
    ].sort())
    expect(await dbStatus(rds, db)).toBe('available')
  })
})

describe('what a run skips, and why', () => {
  const account = newAccountId()
  const env = uniqueValue('skip')
  let rds: RDSClient

  beforeAll(async () => {
    rds = await rdsFor(account, region)
  })

  it('skips Aurora members, read replicas and their sources, opted-out and overridden databases, each with its reason', async () => {
    const { cluster, member } = await seedAuroraCluster(rds, { env })
    const source = await seedDbInstance(rds, { env })
    const replica = await seedReadReplica(rds, source, { env })
    const optedOut = await seedDbInstance(rds, { env, 'ouroboros:skip': 'true' })
    const overridden = await seedDbInstance(rds, { env, 'ouroboros:skip-until': '2999-01-01T00:00:00Z' })
    await createRule({ name: `rds-skip-${env}`, accountId: account, filters: `tag:env=${env}`, resourceTypes: ['rds'] })
    const entry = await run(`rds-skip-${env}`, { execution: { ...deps().execution, overrideTag: 'ouroboros:skip-until' } })
    const t = byId(entry.targets)
    expect(t[cluster]).toBeUndefined()
    expect(t[member]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining(`member of Aurora cluster '${cluster}'`) })
    expect(t[member]!.reason).toContain('resourceTypes: ["aurora"]')
    expect(t[replica]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining(`read replica of '${source}'`) })
    expect(t[source]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('has read replicas') })
    expect(t[optedOut]).toMatchObject({ outcome: 'skipped', reason: 'opted out with the tag ouroboros:skip=true' })
    expect(t[overridden]).toMatchObject({ outcome: 'skipped', reason: 'tag ouroboros:skip-until=2999-01-01T00:00:00Z' })
    expect(entry.status).toBe('nothing-to-do')
    expect(await dbStatus(rds, member)).toBe('available')
  })

  it('skips a group with no saved capacity to start, with the reason', async () => {
    const group = await seedGroup(account, region, { env: `${env}-asg` })
    await createRule({ name: `asg-start-${env}`, accountId: account, action: 'start', filters: `tag:env=${env}-asg`, resourceTypes: ['asg'] })
    const entry = await run(`asg-start-${env}`)
    expect(byId(entry.targets)[group]).toMatchObject({ resourceType: 'asg', outcome: 'skipped', reason: expect.stringContaining('no saved capacity (tag ouroboros:saved-capacity)') })
  })

  it('keeps the first saved capacity when the stop rule runs twice, and after the group was scaled up meanwhile', async () => {
    const group = await seedGroup(account, region, { env: `${env}-twice` }, { min: 2, desired: 3, max: 5 })
    await createRule({ name: `asg-stop-${env}`, accountId: account, filters: `tag:env=${env}-twice`, resourceTypes: ['asg'] })
    await run(`asg-stop-${env}`)
    const second = await run(`asg-stop-${env}`)
    expect(byId(second.targets)[group]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('already stopped') })
    const asg = await autoScalingFor(account, region)
    // Someone scales it up by hand; the next stop sets it to 0 again and keeps what the first stop saved.
    const { UpdateAutoScalingGroupCommand } = await import('@aws-sdk/client-auto-scaling')
    await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: group, MinSize: 1, DesiredCapacity: 1, MaxSize: 1 }))
    const third = await run(`asg-stop-${env}`)
    expect(byId(third.targets)[group]).toMatchObject({ outcome: 'stopped', reason: expect.stringContaining('keeps the capacity saved earlier') })
    expect(await groupOf(asg, group)).toMatchObject({ min: 0, desired: 0, max: 0, tags: { 'ouroboros:saved-capacity': '2,3,5' } })
  })

  it('skips EC2 members of an Auto Scaling group with a reason that points to the asg type', async () => {
    const [member] = await seedInstances(await ec2For(account, region), { tags: { 'env': `${env}-ec2`, 'aws:autoscaling:groupName': 'web' } })
    await createRule({ name: `ec2-${env}`, accountId: account, filters: `tag:env=${env}-ec2` })
    const entry = await run(`ec2-${env}`)
    expect(byId(entry.targets)[member!]!.reason).toContain('resourceTypes: ["asg"]')
  })
})

describe('a database that refuses', () => {
  it('fails alone when AWS answers InvalidDBInstanceState, and the rest of the run goes on', async () => {
    const account = newAccountId()
    const env = uniqueValue('refuse')
    const rds = await rdsFor(account, region)
    const [a, bad, c] = [await seedDbInstance(rds, { env }), await seedDbInstance(rds, { env }), await seedDbInstance(rds, { env })]
    await createRule({ name: `refuse-${env}`, accountId: account, filters: `tag:env=${env}`, resourceTypes: ['rds'] })
    // moto stops any available instance; the refusal of one is injected on the client's calls.
    const entry = await run(`refuse-${env}`, {
      rds: (_a, r, creds) => refusing(motoRds(r, creds), (command, input) => command === 'StopDBInstanceCommand' && input.DBInstanceIdentifier === bad
        ? awsError('InvalidDBInstanceState', 'DB instance is not in available state (storage-full)')
        : undefined),
    })
    const t = byId(entry.targets)
    expect(entry.status).toBe('partial')
    expect(t[bad]).toMatchObject({ outcome: 'failed', reason: 'RDS refused to stop it', error: expect.stringContaining('InvalidDBInstanceState') })
    expect(t[a]).toMatchObject({ outcome: 'stopped' })
    expect(t[c]).toMatchObject({ outcome: 'stopped' })
    expect(await dbStatus(rds, bad)).toBe('available')
  })
})
