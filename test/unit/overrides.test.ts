// Per-instance overrides: a run leaves an overridden instance alone and says why (the API's override with its key and
// reason, or the instance's skip-until tag); the later end wins; the opt-out tag's reason comes first; an unreadable tag
// is no override and says so; a past one means nothing; and POST /api/overrides takes only an end later than now.
import { DescribeInstancesCommand, EC2Client, StopInstancesCommand } from '@aws-sdk/client-ec2'
import type { Instance } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { overrideInputSchema } from '../../shared/schemas/override'
import type { Override } from '../../shared/schemas/override'
import type { Rule } from '../../shared/schemas/rule'
import { LogExists, LogNotFound } from '../../server/utils/errors'
import { classifyInstance } from '../../server/utils/executor/find'
import type { FoundInstance } from '../../server/utils/executor/find'
import { overrideOf, skipUntilOf } from '../../server/utils/executor/overrides'
import { runRule } from '../../server/utils/executor/run'
import { fieldIssues } from '../../server/utils/http/handler'
import { revertKeyOfSchedule, revertScheduleName } from '../../server/utils/schedules/reverts'

const NOW = new Date('2026-12-21T09:00:00Z')
const TAG = 'ouroboros:skip-until'

const instance = (tags: Record<string, string> = {}, id = 'i-0abc0abc0abc0abc0'): FoundInstance =>
  ({ instanceId: id, region: 'eu-west-1', state: 'running', tags })

const apiOverride = (until: string, extra: Partial<Override> = {}): Override => ({
  id: '7b0c8f8e-2f7c-4f55-9d5e-5d1f4c0e9a11', accountId: '123456789012', region: 'eu-west-1', instanceId: 'i-0abc0abc0abc0abc0',
  until, reason: 'release testing', createdAt: NOW.toISOString(), createdBy: { keyId: 'k1', keyName: 'ops' }, ...extra,
})

const options = { action: 'stop' as const, hibernate: false, optOutTag: { key: 'ouroboros:skip', value: 'true' } }

describe('the skip-until tag\'s value', () => {
  it.each([
    ['an instant in UTC', '2026-12-24T18:00:00Z', 'UTC', '2026-12-24T18:00:00.000Z'],
    ['an instant with an offset', '2026-12-24T19:00:00+01:00', 'UTC', '2026-12-24T18:00:00.000Z'],
    ['a date: the end of that day in Berlin', '2026-12-24', 'Europe/Berlin', '2026-12-24T23:00:00.000Z'],
    ['a date: the end of that day in Los Angeles', '2026-12-24', 'America/Los_Angeles', '2026-12-25T08:00:00.000Z'],
    // Santiago springs forward at midnight: 2026-09-06 has no 00:00, its day starts at 01:00.
    ['a date whose next midnight does not exist', '2026-09-05', 'America/Santiago', '2026-09-06T04:00:00.000Z'],
  ])('reads %s', (_label, value, zone, expected) => {
    expect(skipUntilOf(value, zone)?.toISOString()).toBe(expected)
  })

  it.each(['next friday', '2026-12-24T18:00', '24.12.2026', '2026-02-30', ''])('reads \'%s\' as nothing', (value) => {
    expect(skipUntilOf(value, 'UTC')).toBeNull()
  })
})

describe('the override of an instance', () => {
  it('says the API override\'s end, its key and its reason', () => {
    const { override } = overrideOf(instance(), [apiOverride('2026-12-24T18:00:00.000Z')], TAG, 'UTC', NOW)
    expect(override).toMatchObject({ until: '2026-12-24T18:00:00.000Z', reason: 'override until 2026-12-24T18:00Z by key \'ops\': release testing', source: { kind: 'api', keyName: 'ops' } })
  })

  it('takes the one that ends later, the tag or the API\'s', () => {
    const later = overrideOf(instance({ [TAG]: '2026-12-26T00:00:00Z' }), [apiOverride('2026-12-24T18:00:00.000Z')], TAG, 'UTC', NOW)
    expect(later.override).toMatchObject({ until: '2026-12-26T00:00:00.000Z', reason: `tag ${TAG}=2026-12-26T00:00:00Z`, source: { kind: 'tag' } })
    const earlier = overrideOf(instance({ [TAG]: '2026-12-22' }), [apiOverride('2026-12-24T18:00:00.000Z')], TAG, 'Europe/Berlin', NOW)
    expect(earlier.override?.source.kind).toBe('api')
  })

  it('ignores a tag in the past, an override of another instance, and one that has ended', () => {
    const found = overrideOf(instance({ [TAG]: '2026-12-20' }), [
      apiOverride('2026-12-24T18:00:00.000Z', { instanceId: 'i-0def0def0def0def0' }),
      apiOverride('2026-12-21T08:00:00.000Z'),
    ], TAG, 'UTC', NOW)
    expect(found).toEqual({})
  })

  it('says that an unreadable tag is not an override, and reads no tag without a tag key', () => {
    expect(overrideOf(instance({ [TAG]: 'friday' }), [], TAG, 'UTC', NOW)).toEqual({ note: expect.stringContaining(`${TAG}='friday' is neither`) })
    expect(overrideOf(instance({ [TAG]: '2026-12-24' }), [], undefined, 'UTC', NOW)).toEqual({})
  })

  it('gives way to the opt-out tag, whose reason the run shows', () => {
    const optedOut = instance({ 'ouroboros:skip': 'true' })
    const decision = classifyInstance(optedOut, options, overrideOf(optedOut, [apiOverride('2026-12-24T18:00:00.000Z')], TAG, 'UTC', NOW))
    expect(decision).toEqual({ act: false, reason: 'opted out with the tag ouroboros:skip=true' })
  })

  it('skips an overridden instance even when it is already in the target state, so its end can revert it', () => {
    const stopped = { ...instance({ [TAG]: '2026-12-24T18:00:00Z' }), state: 'stopped' }
    expect(classifyInstance(stopped, options, overrideOf(stopped, [], TAG, 'UTC', NOW))).toMatchObject({ act: false, override: { until: '2026-12-24T18:00:00.000Z' } })
  })

  it('acts on an instance with an unreadable tag, saying the tag was ignored', () => {
    const odd = instance({ [TAG]: 'soon' })
    expect(classifyInstance(odd, options, overrideOf(odd, [], TAG, 'UTC', NOW))).toEqual({ act: true, hibernate: false, note: expect.stringContaining('not an override') })
  })
})

describe('a run over overridden instances', () => {
  const running = (id: string, tags: Record<string, string> = {}): Instance =>
    ({ InstanceId: id, State: { Name: 'running' }, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })

  it('stops the others and skips the overridden ones with their reasons, reading the overrides once per region, and tells override.created of the tag', async () => {
    const ec2 = new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    const mock = mockClient(ec2)
    mock.on(DescribeInstancesCommand).callsFake(input => (input.InstanceIds
      ? { Reservations: [{ Instances: input.InstanceIds.map((id: string) => ({ InstanceId: id, State: { Name: 'stopped' } })) }] }
      : { Reservations: [{ Instances: [running('i-0abc0abc0abc0abc0'), running('i-0000000000000000b', { [TAG]: '2026-12-22' }), running('i-0000000000000000c')] }] }))
    mock.on(StopInstancesCommand).callsFake(input => ({ StoppingInstances: input.InstanceIds.map((id: string) => ({ InstanceId: id, CurrentState: { Name: 'stopping' } })) }))
    const reads: string[] = []
    const notices: unknown[] = []
    const logs = new Map<string, LogEntry>()
    const rule: Rule = {
      name: 'web-stop', accountIds: ['123456789012'], organizationalUnits: [], excludeAccountIds: [], regions: ['eu-west-1'], action: 'stop', hibernate: false, filters: [{ key: 'tag:app', values: ['web'] }],
      allInstances: false, scheduleExpression: 'cron(0 19 * * ? *)', timezone: 'Europe/Berlin', enabled: true, createdAt: 'c', updatedAt: 'u', version: 1,
    }
    const entry = await runRule({
      rules: { get: async () => rule },
      logs: {
        get: async id => logs.get(id) ?? Promise.reject(new LogNotFound(id)),
        put: async (e) => {
          if (logs.has(e.eventId)) throw new LogExists(e.eventId)
          logs.set(e.eventId, e)
        },
        claim: async () => true,
        release: async () => {},
      },
      overrides: {
        activeIn: async (accountId, region) => {
          reads.push(`${accountId}#${region}`)
          return [apiOverride('2026-12-24T18:00:00.000Z')]
        },
      },
      execution: { memberRoleName: 'R', externalId: '', optOutTag: { key: 'skip', value: 'true' }, overrideTag: TAG, batchSize: 100, concurrency: 2, verifyTimeoutSeconds: 1 },
      region: 'eu-west-1',
      credentials: { ownAccountId: async () => '123456789012', forAccount: async accountId => ({ accountId, own: true }) },
      ec2: () => ec2,
      now: () => NOW,
      sleep: async () => {},
      // Reverts recorded as asked; the tag's override is notified, the API's is not (its route notifies it).
      reverts: { repository: { record: async (r: unknown) => r } as never, timers: { put: async () => {} } as never },
      notifyTagOverride: async (source, target, ruleName) => {
        notices.push({ source, target, rule: ruleName })
      },
    }, { rule: 'web-stop', trigger: 'schedule', dryRun: false, executionId: 'e1', scheduledTime: NOW.toISOString() })
    expect(notices).toEqual([{ source: expect.objectContaining({ kind: 'tag', tag: TAG, value: '2026-12-22' }), target: { accountId: '123456789012', region: 'eu-west-1', instanceId: 'i-0000000000000000b' }, rule: 'web-stop' }])
    expect(reads).toEqual(['123456789012#eu-west-1'])
    expect(entry.counts).toEqual({ total: 3, acted: 1, skipped: 2, failed: 0 })
    const byId = Object.fromEntries(entry.targets.map(t => [t.instanceId, t]))
    expect(byId['i-0abc0abc0abc0abc0']).toMatchObject({ outcome: 'skipped', reason: 'override until 2026-12-24T18:00Z by key \'ops\': release testing' })
    expect(byId['i-0000000000000000b']).toMatchObject({ outcome: 'skipped', reason: `tag ${TAG}=2026-12-22 (until the end of that day in Europe/Berlin, 2026-12-22T23:00Z)` })
    expect(byId['i-0000000000000000c']).toMatchObject({ outcome: 'stopped' })
    expect(mock.commandCalls(StopInstancesCommand).map(c => c.args[0].input.InstanceIds)).toEqual([['i-0000000000000000c']])
  })
})

describe('POST /api/overrides\'s input', () => {
  const schema = overrideInputSchema(() => NOW)
  const valid = { accountId: '123456789012', region: 'eu-west-1', instanceId: 'i-0abc0abc0abc0abc0', until: '2026-12-24T19:00:00+01:00', reason: ' release testing ' }

  it('takes an end later than now, answered in UTC, and trims the reason', () => {
    expect(schema.parse(valid)).toEqual({ ...valid, until: '2026-12-24T18:00:00.000Z', reason: 'release testing' })
  })

  it.each([
    ['an end in the past', { until: '2026-12-20T18:00:00Z' }, 'override.until.past', 'until'],
    ['an end that is no instant', { until: 'friday' }, 'override.until.iso', 'until'],
    ['an instance id that is none', { instanceId: 'web-1' }, 'override.instanceId.format', 'instanceId'],
    ['an unknown region', { region: 'mars-1' }, 'rule.regions.unknown', 'region'],
    ['a reason too long', { reason: 'x'.repeat(257) }, 'override.reason.tooLong', 'reason'],
    ['an RDS identifier that starts with a digit', { resourceType: 'rds', instanceId: '1orders' }, 'override.instanceId.rds', 'instanceId'],
    ['a cluster id with two hyphens in a row', { resourceType: 'aurora', instanceId: 'orders--cluster' }, 'override.instanceId.aurora', 'instanceId'],
    ['a group name with a #', { resourceType: 'asg', instanceId: 'web#1' }, 'override.instanceId.asg', 'instanceId'],
    ['no resource', { instanceId: ' ' }, 'override.instanceId.required', 'instanceId'],
    ['an unknown type', { resourceType: 'lambda' }, 'override.resourceType.choice', 'resourceType'],
  ])('refuses %s with its field\'s issue', (_label, change, code, path) => {
    const result = schema.safeParse({ ...valid, ...change })
    expect(result.success).toBe(false)
    expect(fieldIssues(result.error!)).toEqual([expect.objectContaining({ code, path })])
  })

  it.each([
    ['rds', 'orders-db'],
    ['aurora', 'Orders-Cluster-1'],
    ['asg', 'web servers (eu) v2.1'],
  ] as const)('takes a resource of type %s named %s, and leaves EC2\'s type out', (resourceType, instanceId) => {
    expect(schema.parse({ ...valid, resourceType, instanceId })).toMatchObject({ resourceType, instanceId })
    expect(schema.parse({ ...valid, resourceType: 'ec2' })).not.toHaveProperty('resourceType')
  })
})

describe('an override of another resource type', () => {
  it('keeps the resource of its own type only, as ids are unique only within one', () => {
    const db = { instanceId: 'orders', region: 'eu-west-1', tags: {} }
    const rdsOverride = apiOverride('2026-12-24T18:00:00.000Z', { instanceId: 'orders', resourceType: 'rds' })
    expect(overrideOf({ ...db, resourceType: 'rds' }, [rdsOverride], TAG, 'UTC', NOW).override).toMatchObject({ until: '2026-12-24T18:00:00.000Z' })
    expect(overrideOf({ ...db, resourceType: 'asg' }, [rdsOverride], TAG, 'UTC', NOW).override).toBeUndefined()
    expect(overrideOf(db, [rdsOverride], TAG, 'UTC', NOW).override).toBeUndefined()
  })

  it('names its revert\'s schedule as Scheduler allows, and back', () => {
    expect(revertScheduleName('revert#123456789012#eu-west-1#rds:orders')).toBe('rds.orders.123456789012.eu-west-1')
    expect(revertKeyOfSchedule('rds.orders.123456789012.eu-west-1')).toBe('revert#123456789012#eu-west-1#rds:orders')
    expect(revertKeyOfSchedule(revertScheduleName('revert#123456789012#eu-west-1#i-0abc0abc0abc0abc0'))).toBe('revert#123456789012#eu-west-1#i-0abc0abc0abc0abc0')
    // A group's name may hold what a schedule's may not, and be long: hashed.
    const hashed = revertScheduleName('revert#123456789012#eu-west-1#asg:web servers (eu)')
    expect(hashed).toMatch(/^asg\.h[0-9a-f]{40}$/)
    expect(revertScheduleName(`revert#123456789012#eu-west-1#asg:${'a'.repeat(60)}`)).toMatch(/^asg\.h[0-9a-f]{40}$/)
    expect(revertKeyOfSchedule(hashed)).toBeNull()
  })
})
