// Classifying instances: which are acted on and which are skipped, with the reason a person reads.
import { describe, expect, it } from 'vitest'
import { classifyInstance, toEc2Filters, toFoundInstance } from '../../server/utils/executor/find'
import type { FoundInstance } from '../../server/utils/executor/find'

const optOutTag = { key: 'ouroboros:skip', value: 'true' }
const instance = (state: string, tags: Record<string, string> = {}, hibernationConfigured?: boolean): FoundInstance =>
  ({ instanceId: 'i-1', region: 'us-east-1', state, tags, hibernationConfigured })

describe('classifyInstance', () => {
  it.each([
    ['stop', 'running', {}, { act: true, hibernate: false }],
    ['stop', 'pending', {}, { act: true, hibernate: false }],
    ['stop', 'stopped', {}, { act: false, reason: 'already stopped' }],
    ['stop', 'stopping', {}, { act: false, reason: 'already stopping' }],
    ['start', 'stopped', {}, { act: true, hibernate: false }],
    ['start', 'stopping', {}, { act: true, hibernate: false }],
    ['start', 'running', {}, { act: false, reason: 'already running' }],
    ['start', 'pending', {}, { act: false, reason: 'already starting (pending)' }],
    ['stop', 'running', { 'ouroboros:skip': 'true' }, { act: false, reason: 'opted out with the tag ouroboros:skip=true' }],
    ['start', 'stopped', { 'ouroboros:skip': 'TRUE' }, { act: false, reason: 'opted out with the tag ouroboros:skip=TRUE' }],
    ['stop', 'running', { 'ouroboros:skip': 'false' }, { act: true, hibernate: false }],
    ['stop', 'running', { 'aws:autoscaling:groupName': 'web' }, { act: false, reason: expect.stringContaining('Auto Scaling group \'web\'') }],
  ] as const)('%s of a %s instance tagged %o: %o', (action, state, tags, expected) => {
    expect(classifyInstance(instance(state, { ...tags }), { action, hibernate: false, optOutTag })).toEqual(expected)
  })

  it('prefers the opt-out reason over the instance being already stopped', () => {
    expect(classifyInstance(instance('stopped', { 'ouroboros:skip': 'true' }), { action: 'stop', hibernate: false, optOutTag }))
      .toMatchObject({ act: false, reason: expect.stringContaining('opted out') })
  })

  it('hibernates on a stop unless EC2 says hibernation is not configured', () => {
    const options = { action: 'stop' as const, hibernate: true, optOutTag }
    expect(classifyInstance(instance('running', {}, true), options)).toEqual({ act: true, hibernate: true })
    expect(classifyInstance(instance('running', {}, undefined), options)).toEqual({ act: true, hibernate: true })
    expect(classifyInstance(instance('running', {}, false), options))
      .toEqual({ act: true, hibernate: false, note: 'hibernation is not configured on this instance: stopped without hibernating' })
  })
})

describe('toEc2Filters', () => {
  it('passes the rule\'s keys through and asks for the states a run can report, never terminated ones', () => {
    const filters = toEc2Filters([{ key: 'tag:Name', values: ['web', 'api'] }, { key: 'tag-key', values: ['env'] }], 'stop')
    expect(filters).toEqual([
      { Name: 'tag:Name', Values: ['web', 'api'] },
      { Name: 'tag-key', Values: ['env'] },
      { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
    ])
    expect(toEc2Filters([], 'start').at(-1)!.Values).not.toContain('terminated')
  })
})

describe('toFoundInstance', () => {
  it('keeps the id, state, Name tag, tags and hibernation setting', () => {
    expect(toFoundInstance({
      InstanceId: 'i-9',
      State: { Name: 'running' },
      Tags: [{ Key: 'Name', Value: 'web-1' }, { Key: 'env', Value: 'prod' }],
      HibernationOptions: { Configured: false },
    }, 'eu-west-1')).toEqual({ instanceId: 'i-9', region: 'eu-west-1', name: 'web-1', state: 'running', tags: { Name: 'web-1', env: 'prod' }, hibernationConfigured: false })
  })
})
