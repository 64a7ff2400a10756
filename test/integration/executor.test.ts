// The executor against moto's EC2 and STS, with the embedded store for rules and logs.
// Each test uses fresh accounts (moto switches account on AssumeRole) or unique tag values, so tests never see each other's instances.
import { StopInstancesCommand, TerminateInstancesCommand } from '@aws-sdk/client-ec2'
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import type { EC2Client } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExecutionPreview } from '../../shared/schemas/execution'
import type { LogTarget } from '../../shared/schemas/log'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { RuleInput } from '../../shared/schemas/rule'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import type { CredentialsResolver } from '../../server/utils/executor/credentials'
import { executeRule, previewInstances, runRule } from '../../server/utils/executor/run'
import type { Ec2ClientFactory, ExecutorDeps } from '../../server/utils/executor/run'
import { ec2DescribeStates, KMS_REASON } from '../../server/utils/executor/verify'
import { createLogsRepository } from '../../server/utils/logs'
import type { LogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import {
  awsError,
  createSubnet,
  ec2For,
  hookCalls,
  MEMBER_ROLE,
  motoEc2,
  motoSts,
  newAccountId,
  OWN_ACCOUNT,
  recordCalls,
  seedInstances,
  statesOf,
  uniqueValue,
} from './helpers/ec2'
import type { SeenCall } from './helpers/ec2'
import { embeddedStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

let store: TestStore
let rules: RulesRepository
let logs: LogsRepository
let resolver: CredentialsResolver

const EXTERNAL_ID = 'ouroboros-test-external-id'
const quiet = { info: () => {}, warn: () => {} }
const noWait = async () => {}

beforeAll(async () => {
  store = await embeddedStore()
  rules = createRulesRepository(store.store.doc, store.tables.rules)
  logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
  resolver = createCredentialsResolver({ sts: motoSts(), memberRoleName: MEMBER_ROLE, externalId: EXTERNAL_ID, region: 'us-east-1' })
})
afterAll(async () => store?.cleanup())

const plainFactory: Ec2ClientFactory = (_accountId, region, credentials) => motoEc2(region, credentials)

function deps(overrides: Partial<ExecutorDeps> = {}): ExecutorDeps {
  return {
    rules,
    logs,
    execution: {
      memberRoleName: MEMBER_ROLE,
      externalId: EXTERNAL_ID,
      optOutTag: { key: 'ouroboros:skip', value: 'true' },
      batchSize: 3,
      concurrency: 4,
      verifyTimeoutSeconds: 2,
    },
    region: 'us-east-1',
    credentials: resolver,
    ec2: plainFactory,
    verifyIntervalMs: 20,
    backoff: { sleep: noWait },
    logger: quiet,
    ...overrides,
  }
}

async function createRule(overrides: Partial<RuleInput> & { name: string, accountId: string }, regions = ['us-east-1']) {
  const draft = RuleInputSchema.parse({ action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', ...overrides })
  return rules.create({ ...draft, regions: draft.regions ?? regions })
}

const byId = (targets: LogTarget[]) => Object.fromEntries(targets.map(t => [t.instanceId, t]))
const ids = (preview: ExecutionPreview) => preview.targets.map(t => t.instanceId).sort()

describe('finding instances by filter', () => {
  const account = newAccountId()
  const region = 'us-east-1'
  let ec2: EC2Client
  let vpcId: string
  let subnetId: string
  let x1 = ''
  let x2 = ''
  let x3 = ''

  beforeAll(async () => {
    ec2 = await ec2For(account, region)
    ;({ vpcId, subnetId } = await createSubnet(ec2, 'us-east-1b'))
    x1 = (await seedInstances(ec2, { tags: { Name: 'x1', team: 'a' }, instanceType: 't3.micro' }))[0]!
    x2 = (await seedInstances(ec2, { tags: { Name: 'x2', team: 'b', special: '' }, instanceType: 't3.small', subnetId, privateIpAddress: '10.0.1.10' }))[0]!
    x3 = (await seedInstances(ec2, { tags: { Name: 'x3', team: 'b' }, instanceType: 't3.micro', availabilityZone: 'us-east-1c' }))[0]!
  })

  const preview = (filters: RuleInput['filters']) => previewInstances(deps(), {
    ruleName: 'filters',
    accountId: account,
    regions: [region],
    action: 'stop',
    hibernate: false,
    filters: RuleInputSchema.parse({ name: 'f', accountId: account, action: 'stop', scheduleExpression: 'rate(1 hour)', filters }).filters,
  })

  // Lazy: the ids exist only once beforeAll has seeded them.
  const cases: [string, () => RuleInput['filters'], () => string[]][] = [
    ['instance-id', () => [{ key: 'instance-id', values: [x2] }], () => [x2]],
    ['tag:KEY', () => 'tag:Name=x1', () => [x1]],
    ['tag:KEY shared by two', () => 'tag:team=b', () => [x2, x3]],
    ['tag-key', () => 'tag-key=special', () => [x2]],
    ['private-ip-address', () => 'private-ip-address=10.0.1.10', () => [x2]],
    ['vpc-id', () => `vpc-id=${vpcId}`, () => [x2]],
    ['subnet-id', () => `subnet-id=${subnetId}`, () => [x2]],
    ['instance-type', () => 'instance-type=t3.micro', () => [x1, x3]],
    ['availability-zone', () => 'availability-zone=us-east-1c', () => [x3]],
    ['several keys, which AND', () => 'tag:team=b,instance-type=t3.micro', () => [x3]],
    ['a repeated key, whose values OR', () => 'tag:Name=x1,tag:Name=x3', () => [x1, x3]],
    ['a tag wildcard', () => 'tag:Name=x*', () => [x1, x2, x3]],
  ]

  it.each(cases)('selects exactly the instances that %s names', async (_label, filters, expected) => {
    const result = await preview(filters())
    expect(result.errors).toEqual([])
    expect(ids(result)).toEqual([...expected()].sort())
    expect(result.targets.every(t => t.outcome === 'would-stop')).toBe(true)
  })

  it('stops only the instances that match every filter, and logs each with its states', async () => {
    await createRule({ name: 'filters-stop', accountId: account, filters: 'tag:team=b,instance-type=t3.micro' })
    const entry = await runRule(deps(), { rule: 'filters-stop', trigger: 'manual', dryRun: false })
    expect(entry).toMatchObject({ status: 'succeeded', counts: { total: 1, acted: 1, skipped: 0, failed: 0 }, accountId: account })
    expect(entry.targets).toEqual([{ instanceId: x3, region, name: 'x3', instanceType: 't3.micro', stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' }])
    expect(await statesOf(ec2, [x1, x2, x3])).toEqual({ [x1]: 'running', [x2]: 'running', [x3]: 'stopped' })
    expect(await logs.get(entry.eventId)).toEqual(entry)
  })
})

describe('running a rule in the own account', () => {
  it('starts stopped instances and reports them started only once they run', async () => {
    const tag = uniqueValue('start')
    const ec2 = motoEc2('us-east-1')
    const stopped = await seedInstances(ec2, { count: 4, tags: { app: tag }, stopped: true })
    const [running] = await seedInstances(ec2, { tags: { app: tag } })
    await createRule({ name: `start-${tag}`, accountId: OWN_ACCOUNT, action: 'start', filters: `tag:app=${tag}` })

    const entry = await runRule(deps(), { rule: `start-${tag}`, trigger: 'schedule', executionId: uniqueValue('exec'), scheduledTime: '2026-11-25T08:00:00Z', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', trigger: 'schedule', scheduledTime: '2026-11-25T08:00:00Z', counts: { total: 5, acted: 4, skipped: 1, failed: 0 } })
    const targets = byId(entry.targets)
    for (const id of stopped) expect(targets[id]).toMatchObject({ outcome: 'started', stateBefore: 'stopped', stateAfter: 'running' })
    expect(targets[running!]).toMatchObject({ outcome: 'skipped', reason: 'already running' })
    expect(Object.values(await statesOf(ec2, stopped))).toEqual(['running', 'running', 'running', 'running'])
  })

  it('skips instances already stopped, opted out, or in an Auto Scaling group, and says why', async () => {
    const tag = uniqueValue('skip')
    const ec2 = motoEc2('us-east-1')
    const [plain] = await seedInstances(ec2, { tags: { app: tag } })
    const [already] = await seedInstances(ec2, { tags: { app: tag }, stopped: true })
    const [optedOut] = await seedInstances(ec2, { tags: { 'app': tag, 'ouroboros:skip': 'true' } })
    const [asg] = await seedInstances(ec2, { tags: { 'app': tag, 'aws:autoscaling:groupName': 'web-asg' } })
    await createRule({ name: `skip-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })

    const entry = await runRule(deps(), { rule: `skip-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', counts: { total: 4, acted: 1, skipped: 3, failed: 0 } })
    const targets = byId(entry.targets)
    expect(targets[plain!]!.outcome).toBe('stopped')
    expect(targets[already!]).toMatchObject({ outcome: 'skipped', reason: 'already stopped' })
    expect(targets[optedOut!]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('ouroboros:skip=true') })
    expect(targets[asg!]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('web-asg') })
    expect(await statesOf(ec2, [optedOut!, asg!])).toEqual({ [optedOut!]: 'running', [asg!]: 'running' })
  })

  it('logs nothing-to-do when every instance is already in the target state', async () => {
    const tag = uniqueValue('idle')
    await seedInstances(motoEc2('us-east-1'), { count: 2, tags: { app: tag }, stopped: true })
    await createRule({ name: `idle-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })
    const entry = await runRule(deps(), { rule: `idle-${tag}`, trigger: 'manual', dryRun: false })
    expect(entry).toMatchObject({ status: 'nothing-to-do', counts: { total: 2, acted: 0, skipped: 2, failed: 0 } })
  })

  it('hibernates when the rule asks, and stops normally the instances EC2 refuses to hibernate', async () => {
    const tag = uniqueValue('hib')
    const ec2 = motoEc2('us-east-1')
    const [ok1, refused, ok2] = await seedInstances(ec2, { count: 3, tags: { app: tag } })
    await createRule({ name: `hib-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}`, hibernate: true })
    const calls: SeenCall[] = []
    // moto ignores Hibernate, so EC2's refusal for one instance is played here.
    const factory: Ec2ClientFactory = (_a, region, credentials) => hookCalls(motoEc2(region, credentials), async (call, send) => {
      calls.push(call)
      const input = call.input as { InstanceIds?: string[], Hibernate?: boolean }
      if (call.command === 'StopInstancesCommand' && input.Hibernate && input.InstanceIds?.includes(refused!)) {
        throw awsError('UnsupportedHibernationConfiguration', `The instance '${refused}' does not have hibernation configured.`)
      }
      return send()
    })

    const entry = await runRule(deps({ ec2: factory }), { rule: `hib-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', counts: { acted: 3, failed: 0 } })
    const targets = byId(entry.targets)
    expect(targets[ok1!]!.outcome).toBe('hibernated')
    expect(targets[ok2!]!.outcome).toBe('hibernated')
    expect(targets[refused!]).toMatchObject({ outcome: 'stopped', reason: expect.stringContaining('stopped without hibernating') })
    const plainStops = calls.filter(c => c.command === 'StopInstancesCommand' && !c.input.Hibernate)
    expect(plainStops.map(c => c.input.InstanceIds)).toEqual([[refused]])
  })

  it('isolates the one instance EC2 refuses by splitting the batch, and acts on the rest', async () => {
    const tag = uniqueValue('bisect')
    const ec2 = motoEc2('us-east-1')
    const seeded = await seedInstances(ec2, { count: 6, tags: { app: tag } })
    const bad = seeded[4]!
    await createRule({ name: `bisect-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })
    const factory: Ec2ClientFactory = (_a, region, credentials) => hookCalls(motoEc2(region, credentials), async (call, send) => {
      const input = call.input as { InstanceIds?: string[] }
      if (call.command === 'StopInstancesCommand' && input.InstanceIds?.includes(bad)) {
        throw awsError('IncorrectInstanceState', `The instance '${bad}' is not in a state from which it can be stopped.`)
      }
      return send()
    })

    const entry = await runRule(deps({ ec2: factory }), { rule: `bisect-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'partial', counts: { total: 6, acted: 5, failed: 1 } })
    expect(byId(entry.targets)[bad]).toMatchObject({ outcome: 'failed', error: expect.stringContaining('IncorrectInstanceState') })
    expect(entry.message).toContain('1 of 6 instances could not be acted on')
    const states = await statesOf(ec2, seeded)
    expect(seeded.filter(id => states[id] === 'stopped')).toEqual(seeded.filter(id => id !== bad))
  })
})

describe('several accounts', () => {
  it('acts on another account\'s instances through the assumed member role, once per run for all its regions', async () => {
    const account = newAccountId()
    const tag = uniqueValue('xacct')
    const [east] = await seedInstances(await ec2For(account, 'us-east-1'), { tags: { app: tag } })
    const [west] = await seedInstances(await ec2For(account, 'eu-west-1'), { tags: { app: tag } })
    // Same tag in the own account: it must stay untouched.
    const [mine] = await seedInstances(motoEc2('us-east-1'), { tags: { app: tag } })
    await createRule({ name: `xacct-${tag}`, accountId: account, filters: `tag:app=${tag}` }, ['us-east-1', 'eu-west-1'])
    const stsCalls: SeenCall[] = []
    const sts = recordCalls(motoSts(), stsCalls)
    const credentials = createCredentialsResolver({ sts, memberRoleName: MEMBER_ROLE, externalId: EXTERNAL_ID, region: 'us-east-1' })

    const entry = await runRule(deps({ credentials }), { rule: `xacct-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', accountId: account, regions: ['us-east-1', 'eu-west-1'], counts: { acted: 2 } })
    expect(byId(entry.targets)[east!]).toMatchObject({ region: 'us-east-1', outcome: 'stopped' })
    expect(byId(entry.targets)[west!]).toMatchObject({ region: 'eu-west-1', outcome: 'stopped' })
    expect(await statesOf(await ec2For(account, 'us-east-1'), [east!])).toEqual({ [east!]: 'stopped' })
    expect(await statesOf(await ec2For(account, 'eu-west-1'), [west!])).toEqual({ [west!]: 'stopped' })
    expect(await statesOf(motoEc2('us-east-1'), [mine!])).toEqual({ [mine!]: 'running' })
    const assumed = stsCalls.filter(c => c.command === 'AssumeRoleCommand')
    expect(assumed).toHaveLength(1)
    expect(assumed[0]!.input).toMatchObject({
      RoleArn: `arn:aws:iam::${account}:role/${MEMBER_ROLE}`,
      RoleSessionName: `ouroboros-xacct-${tag}`.slice(0, 64),
      ExternalId: EXTERNAL_ID,
    })
  })

  it('fails only the account whose role cannot be assumed, and logs why', async () => {
    const good = newAccountId()
    const denied = newAccountId()
    const tag = uniqueValue('deny')
    const [goodId] = await seedInstances(await ec2For(good, 'us-east-1'), { tags: { app: tag } })
    const [deniedId] = await seedInstances(await ec2For(denied, 'us-east-1'), { tags: { app: tag } })
    await createRule({ name: `good-${tag}`, accountId: good, filters: `tag:app=${tag}` })
    await createRule({ name: `denied-${tag}`, accountId: denied, filters: `tag:app=${tag}` }, ['us-east-1', 'eu-west-1'])
    // The denied account's trust policy refuses us: played with a mock; the other account goes to moto.
    const real = motoSts()
    const sts = motoSts()
    const mock = mockClient(sts)
    mock.on(GetCallerIdentityCommand).callsFake(input => real.send(new GetCallerIdentityCommand(input)))
    mock.on(AssumeRoleCommand).callsFake(input => real.send(new AssumeRoleCommand(input)))
    mock.on(AssumeRoleCommand, { RoleArn: `arn:aws:iam::${denied}:role/${MEMBER_ROLE}` })
      .rejects(awsError('AccessDenied', `User: arn:aws:sts::${OWN_ACCOUNT}:assumed-role/ouroboros/x is not authorized to perform: sts:AssumeRole`, 403))
    const shared = deps({ credentials: createCredentialsResolver({ sts, memberRoleName: MEMBER_ROLE, externalId: '', region: 'us-east-1' }) })

    const [goodRun, deniedRun] = await Promise.all([
      runRule(shared, { rule: `good-${tag}`, trigger: 'manual', dryRun: false }),
      runRule(shared, { rule: `denied-${tag}`, trigger: 'manual', dryRun: false }),
    ])

    expect(goodRun).toMatchObject({ status: 'succeeded', counts: { acted: 1 } })
    expect(deniedRun).toMatchObject({ status: 'failed', counts: { total: 0, acted: 0 } })
    expect(deniedRun.message).toContain(`could not assume arn:aws:iam::${denied}:role/${MEMBER_ROLE}`)
    expect(deniedRun.message).toContain('AccessDenied')
    expect(deniedRun.errors?.map(e => e.region)).toEqual(['us-east-1', 'eu-west-1'])
    expect(await statesOf(await ec2For(good, 'us-east-1'), [goodId!])).toEqual({ [goodId!]: 'stopped' })
    expect(await statesOf(await ec2For(denied, 'us-east-1'), [deniedId!])).toEqual({ [deniedId!]: 'running' })
    expect(await logs.get(deniedRun.eventId)).toEqual(deniedRun)
  })

  it('keeps working the other regions when one region fails', async () => {
    const account = newAccountId()
    const tag = uniqueValue('region')
    const [east] = await seedInstances(await ec2For(account, 'us-east-1'), { tags: { app: tag } })
    await createRule({ name: `region-${tag}`, accountId: account, filters: `tag:app=${tag}` }, ['us-east-1', 'ap-southeast-4'])
    // An opt-in region the account has not enabled answers every call with OptInRequired.
    const factory: Ec2ClientFactory = (_a, region, credentials) => region === 'ap-southeast-4'
      ? hookCalls(motoEc2(region, credentials), async () => {
          throw awsError('OptInRequired', 'You are not subscribed to this service in ap-southeast-4.', 401)
        })
      : motoEc2(region, credentials)

    const entry = await runRule(deps({ ec2: factory }), { rule: `region-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'partial', counts: { acted: 1, failed: 0 } })
    expect(entry.errors).toEqual([{ region: 'ap-southeast-4', message: expect.stringContaining('OptInRequired') }])
    expect(entry.message).toContain('ap-southeast-4: OptInRequired')
    expect(byId(entry.targets)[east!]!.outcome).toBe('stopped')
  })
})

describe('delivery, throttling and verification', () => {
  it('does nothing more for a redelivered executionId, and answers the same log', async () => {
    const tag = uniqueValue('redeliver')
    await seedInstances(motoEc2('us-east-1'), { count: 2, tags: { app: tag } })
    await createRule({ name: `redeliver-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })
    const calls: SeenCall[] = []
    const factory: Ec2ClientFactory = (_a, region, credentials) => recordCalls(motoEc2(region, credentials), calls)
    const payload = { rule: `redeliver-${tag}`, executionId: uniqueValue('exec'), trigger: 'schedule' as const, dryRun: false }

    const first = await runRule(deps({ ec2: factory }), payload)
    const callsOfFirst = calls.length
    const second = await runRule(deps({ ec2: factory }), payload)

    expect(first).toMatchObject({ eventId: payload.executionId, status: 'succeeded', counts: { acted: 2 } })
    expect(calls.filter(c => c.command === 'StopInstancesCommand')).toHaveLength(1)
    expect(second).toEqual(first)
    // Not even a DescribeInstances: the redelivery is recognised before EC2 is asked anything.
    expect(calls).toHaveLength(callsOfFirst)
    expect((await logs.list({ limit: 10, rule: payload.rule })).items).toHaveLength(1)
  })

  it('acts and logs once when the same executionId is delivered twice at the same time', async () => {
    const tag = uniqueValue('race')
    await seedInstances(motoEc2('us-east-1'), { count: 2, tags: { app: tag } })
    await createRule({ name: `race-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })
    const payload = { rule: `race-${tag}`, executionId: uniqueValue('exec'), trigger: 'schedule' as const, dryRun: false }

    const calls: SeenCall[] = []
    const factory: Ec2ClientFactory = (_a, region, credentials) => recordCalls(motoEc2(region, credentials), calls)

    const [a, b] = await Promise.all([runRule(deps({ ec2: factory }), payload), runRule(deps({ ec2: factory }), payload)])

    expect(a).toEqual(b)
    expect(a).toMatchObject({ status: 'succeeded', counts: { acted: 2 } })
    expect((await logs.list({ limit: 10, rule: payload.rule })).items).toHaveLength(1)
    // The claim let one delivery act: one finding read and one stop, not two of each.
    expect(calls.filter(c => c.command === 'StopInstancesCommand')).toHaveLength(1)
    expect(calls.filter(c => c.command === 'DescribeInstancesCommand' && !c.input.InstanceIds)).toHaveLength(1)
  })

  it('brings every instance to the target state when a fifth of EC2 calls are throttled', async () => {
    const tag = uniqueValue('throttle')
    const ec2 = motoEc2('us-east-1')
    const seeded = await seedInstances(ec2, { count: 12, tags: { app: tag } })
    await createRule({ name: `throttle-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })
    let count = 0
    let throttled = 0
    const factory: Ec2ClientFactory = (_a, region, credentials) => hookCalls(motoEc2(region, credentials), async (_call, send) => {
      if (++count % 5 === 0) {
        throttled++
        throw awsError('RequestLimitExceeded', 'Request limit exceeded.', 503)
      }
      return send()
    })
    const sleeps: number[] = []
    const backoff = { sleep: async (ms: number) => void sleeps.push(ms), baseMs: 100 }

    const entry = await runRule(deps({ ec2: factory, backoff }), { rule: `throttle-${tag}`, trigger: 'manual', dryRun: false })

    expect(throttled).toBeGreaterThan(0)
    expect(sleeps).toHaveLength(throttled)
    expect(entry).toMatchObject({ status: 'succeeded', counts: { total: 12, acted: 12, failed: 0 } })
    expect(Object.values(await statesOf(ec2, seeded))).toEqual(Array(12).fill('stopped'))
  })

  it('reports a started instance that falls back to stopped as failed, never as started', async () => {
    const tag = uniqueValue('kms')
    const ec2 = motoEc2('us-east-1')
    const [healthy, encrypted] = await seedInstances(ec2, { count: 2, tags: { app: tag }, stopped: true })
    await createRule({ name: `kms-${tag}`, accountId: OWN_ACCOUNT, action: 'start', filters: `tag:app=${tag}` })
    // EC2 accepts the start and the instance goes pending -> stopped: played by rewriting the verification reads.
    const factory: Ec2ClientFactory = (_a, region, credentials) => hookCalls(motoEc2(region, credentials), async (call, send) => {
      const out = await send()
      if (call.command === 'DescribeInstancesCommand' && (call.input.InstanceIds as string[] | undefined)?.includes(encrypted!)) {
        // The verification asks only for instances not yet running, so EC2 would answer this one, stopped.
        type Reservations = { Instances?: { InstanceId?: string, State?: { Name?: string } }[] }[]
        const reservations = (out.Reservations ?? []) as Reservations
        const listed = reservations.flatMap(r => r.Instances ?? []).find(i => i.InstanceId === encrypted)
        if (listed) listed.State = { Name: 'stopped' }
        else out.Reservations = [...reservations, { Instances: [{ InstanceId: encrypted, State: { Name: 'stopped' } }] }]
      }
      return out
    })

    const entry = await runRule(deps({ ec2: factory }), { rule: `kms-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'partial', counts: { acted: 1, failed: 1 } })
    expect(byId(entry.targets)[healthy!]).toMatchObject({ outcome: 'started', stateAfter: 'running' })
    expect(byId(entry.targets)[encrypted!]).toMatchObject({ outcome: 'failed', stateAfter: 'stopped', reason: KMS_REASON })
    expect(byId(entry.targets)[encrypted!]!.reason).toContain('kms:CreateGrant')
  })
})

describe('reading the states to verify', () => {
  it('asks EC2 only for the instances not yet in the target state, and reads the others as settled', async () => {
    const tag = uniqueValue('settled')
    const ec2 = motoEc2('us-east-1')
    const [a, b, c, d] = await seedInstances(ec2, { count: 4, tags: { app: tag } })
    await ec2.send(new StopInstancesCommand({ InstanceIds: [a!, b!] }))
    await ec2.send(new TerminateInstancesCommand({ InstanceIds: [d!] }))
    const answered: string[][] = []
    const client = hookCalls(motoEc2('us-east-1'), async (_call, send) => {
      const out = await send()
      answered.push(((out.Reservations ?? []) as { Instances?: { InstanceId?: string }[] }[]).flatMap(r => r.Instances ?? []).map(i => i.InstanceId!))
      return out
    })

    const states = await ec2DescribeStates(client, undefined, 'stopped')([a!, b!, c!, d!])

    expect(states).toEqual({ [a!]: 'stopped', [b!]: 'stopped', [c!]: 'running', [d!]: 'terminated' })
    // One call, and the two stopped instances were not in its answer.
    expect(answered).toHaveLength(1)
    expect([...answered[0]!].sort()).toEqual([c!, d!].sort())
  })

  it('falls back to reading every state when an id no longer exists, which it leaves out', async () => {
    const tag = uniqueValue('gone')
    const ec2 = motoEc2('us-east-1')
    const [a, b] = await seedInstances(ec2, { count: 2, tags: { app: tag } })
    await ec2.send(new StopInstancesCommand({ InstanceIds: [a!] }))
    const unknown = 'i-0123456789abcdef0'

    const states = await ec2DescribeStates(ec2, undefined, 'stopped')([a!, b!, unknown])

    expect(states).toEqual({ [a!]: 'stopped', [b!]: 'running' })
  })
})

describe('runs that act on nothing', () => {
  it('dry-runs a rule: answers what it would do, acts on nothing and logs nothing', async () => {
    const tag = uniqueValue('dry')
    const ec2 = motoEc2('us-east-1')
    const [running] = await seedInstances(ec2, { tags: { app: tag } })
    const [stopped] = await seedInstances(ec2, { tags: { app: tag }, stopped: true })
    await createRule({ name: `dry-${tag}`, accountId: OWN_ACCOUNT, filters: `tag:app=${tag}` })
    const calls: SeenCall[] = []
    const factory: Ec2ClientFactory = (_a, region, credentials) => recordCalls(motoEc2(region, credentials), calls)

    const result = await executeRule(deps({ ec2: factory }), { rule: `dry-${tag}`, trigger: 'manual', dryRun: true }) as ExecutionPreview

    expect(result).toMatchObject({ dryRun: true, ruleName: `dry-${tag}`, counts: { total: 2, wouldAct: 1, skipped: 1 } })
    expect(result.targets.find(t => t.instanceId === running)).toMatchObject({ outcome: 'would-stop', state: 'running' })
    expect(result.targets.find(t => t.instanceId === stopped)).toMatchObject({ outcome: 'skipped', reason: 'already stopped' })
    expect(calls.map(c => c.command)).toEqual(['DescribeInstancesCommand'])
    expect(await statesOf(ec2, [running!])).toEqual({ [running!]: 'running' })
    expect((await logs.list({ limit: 10, rule: `dry-${tag}` })).items).toEqual([])
  })

  it('logs a run of a rule deleted before it ran as failed, saying so', async () => {
    const name = `gone-${uniqueValue()}`
    await createRule({ name, accountId: OWN_ACCOUNT, allInstances: true })
    await rules.remove(name)
    const executionId = uniqueValue('exec')

    const entry = await runRule(deps(), { rule: name, executionId, trigger: 'schedule', dryRun: false })

    expect(entry).toMatchObject({ eventId: executionId, ruleName: name, status: 'failed', action: 'unknown', accountId: '', targets: [] })
    expect(entry.message).toContain('no longer exists')
    expect(await logs.get(executionId)).toEqual(entry)
  })
})
