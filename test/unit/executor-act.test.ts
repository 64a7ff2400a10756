// Acting in batches: batch sizes, bisecting a failed batch down to the bad instance, and the hibernation fallback.
import { EC2Client, StartInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { actInBatches, chunked, ec2ActCall, isHibernationError } from '../../server/utils/executor/act'
import type { ActCall, ActItem } from '../../server/utils/executor/act'

function awsError(code: string, message = code, status = 400): Error {
  return Object.assign(new Error(message), { name: code, $metadata: { httpStatusCode: status } })
}

const items = (n: number, hibernate = false): ActItem[] => Array.from({ length: n }, (_, i) => ({ instanceId: `i-${i}`, hibernate }))

/** A fake Start/Stop call that refuses any batch holding one of `bad`, and records every call. */
function fakeCall(bad: string[] = [], error = (id: string) => awsError('IncorrectInstanceState', `instance ${id} is in the wrong state`)) {
  const calls: { ids: string[], hibernate: boolean }[] = []
  const call: ActCall = async (ids, hibernate) => {
    calls.push({ ids, hibernate })
    const culprit = ids.find(id => bad.includes(id))
    if (culprit) throw error(culprit)
    return Object.fromEntries(ids.map(id => [id, 'stopping']))
  }
  return { call, calls }
}

describe('chunked', () => {
  it.each([
    [0, 3, []],
    [5, 5, [5]],
    [7, 3, [3, 3, 1]],
    [1, 1000, [1]],
  ])('splits %i items into chunks of %i', (n, size, sizes) => {
    expect(chunked(Array.from({ length: n }, (_, i) => i), size).map(c => c.length)).toEqual(sizes)
  })
})

describe('actInBatches', () => {
  it('sends one call per batch of batchSize and accepts every instance', async () => {
    const { call, calls } = fakeCall()
    const outcomes = await actInBatches(items(7), 3, call)
    expect(calls.map(c => c.ids.length)).toEqual([3, 3, 1])
    expect(outcomes.every(o => o.accepted && o.state === 'stopping')).toBe(true)
    expect(outcomes.map(o => o.instanceId)).toEqual(items(7).map(i => i.instanceId))
  })

  it('splits a failed batch in halves until the one bad instance fails alone', async () => {
    const { call, calls } = fakeCall(['i-5'])
    const outcomes = await actInBatches(items(8), 8, call)
    expect(outcomes.filter(o => !o.accepted)).toEqual([
      { instanceId: 'i-5', accepted: false, error: 'IncorrectInstanceState: instance i-5 is in the wrong state' },
    ])
    expect(outcomes.filter(o => o.accepted)).toHaveLength(7)
    // 8 -> 4 ok + 4 -> 2 -> 1 ok + 1 bad, then the other 2: a bad instance costs about 2·log2(batch) calls, not one per instance.
    expect(calls.map(c => c.ids)).toEqual([
      ['i-0', 'i-1', 'i-2', 'i-3', 'i-4', 'i-5', 'i-6', 'i-7'],
      ['i-0', 'i-1', 'i-2', 'i-3'],
      ['i-4', 'i-5', 'i-6', 'i-7'],
      ['i-4', 'i-5'],
      ['i-4'],
      ['i-5'],
      ['i-6', 'i-7'],
    ])
  })

  it('fails each of several bad instances on its own', async () => {
    const { call } = fakeCall(['i-0', 'i-6'])
    const outcomes = await actInBatches(items(7), 7, call)
    expect(outcomes.filter(o => !o.accepted).map(o => o.instanceId)).toEqual(['i-0', 'i-6'])
  })

  it('does not split a batch that was throttled beyond its retries: every instance in it fails, none is dropped', async () => {
    const { call, calls } = fakeCall(['i-1'], () => awsError('RequestLimitExceeded', 'Request limit exceeded.', 503))
    const outcomes = await actInBatches(items(4), 2, call)
    expect(calls).toHaveLength(2)
    expect(outcomes.map(o => o.accepted)).toEqual([false, false, true, true])
    expect(outcomes[0]).toMatchObject({ error: 'RequestLimitExceeded: Request limit exceeded.' })
  })

  it('does not split a batch on an error about the caller, which would fail every half alike', async () => {
    const { call, calls } = fakeCall(['i-0'], () => awsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401))
    const outcomes = await actInBatches(items(4), 4, call)
    expect(calls).toHaveLength(1)
    expect(outcomes.every(o => !o.accepted)).toBe(true)
  })

  it('stops normally, and says so, an instance that EC2 refuses to hibernate', async () => {
    const calls: { ids: string[], hibernate: boolean }[] = []
    const call: ActCall = async (ids, hibernate) => {
      calls.push({ ids, hibernate })
      if (hibernate && ids.includes('i-2')) throw awsError('UnsupportedHibernationConfiguration', 'instance i-2 does not support hibernation')
      return Object.fromEntries(ids.map(id => [id, 'stopping']))
    }
    const outcomes = await actInBatches(items(4, true), 4, call)
    expect(outcomes.filter(o => o.accepted && o.hibernate).map(o => o.instanceId)).toEqual(['i-0', 'i-1', 'i-3'])
    expect(outcomes[2]).toMatchObject({ accepted: true, hibernate: false, note: expect.stringContaining('stopped without hibernating') })
    expect(calls.filter(c => !c.hibernate)).toEqual([{ ids: ['i-2'], hibernate: false }])
  })

  it('never mixes hibernating and plain stops in one call, and keeps notes decided before acting', async () => {
    const { call, calls } = fakeCall()
    const outcomes = await actInBatches([
      { instanceId: 'i-a', hibernate: true },
      { instanceId: 'i-b', hibernate: false, note: 'hibernation is not configured' },
      { instanceId: 'i-c', hibernate: true },
    ], 10, call)
    expect(calls).toEqual([{ ids: ['i-b'], hibernate: false }, { ids: ['i-a', 'i-c'], hibernate: true }])
    expect(outcomes.map(o => o.instanceId)).toEqual(['i-a', 'i-b', 'i-c'])
    expect(outcomes[1]).toMatchObject({ note: 'hibernation is not configured' })
  })
})

describe('isHibernationError', () => {
  it.each([
    [awsError('UnsupportedHibernationConfiguration', 'x'), true],
    [awsError('UnsupportedOperation', 'The instance i-1 is not enabled for hibernation.'), true],
    [awsError('IncorrectInstanceState', 'The instance is not in a state from which it can be stopped.'), false],
  ])('recognises %s', (error, expected) => {
    expect(isHibernationError(error)).toBe(expected)
  })
})

describe('ec2ActCall', () => {
  it('sends StopInstances with Hibernate only when asked, and StartInstances for a start', async () => {
    const ec2 = new EC2Client({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
    const mock = mockClient(ec2)
    mock.on(StopInstancesCommand).resolves({ StoppingInstances: [{ InstanceId: 'i-1', CurrentState: { Name: 'stopping' } }] })
    mock.on(StartInstancesCommand).resolves({ StartingInstances: [{ InstanceId: 'i-1', CurrentState: { Name: 'pending' } }] })

    expect(await ec2ActCall(ec2, 'stop')(['i-1'], true)).toEqual({ 'i-1': 'stopping' })
    await ec2ActCall(ec2, 'stop')(['i-1'], false)
    expect(await ec2ActCall(ec2, 'start')(['i-1'], false)).toEqual({ 'i-1': 'pending' })

    expect(mock.commandCalls(StopInstancesCommand).map(c => c.args[0].input)).toEqual([
      { InstanceIds: ['i-1'], Hibernate: true },
      { InstanceIds: ['i-1'] },
    ])
    expect(mock.commandCalls(StartInstancesCommand)).toHaveLength(1)
  })
})
