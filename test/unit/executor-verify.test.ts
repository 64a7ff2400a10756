// Verification: polling until each instance reaches its target state, and what an unfinished one counts as.
import { describe, expect, it } from 'vitest'
import { KMS_REASON, verifyStates } from '../../server/utils/executor/verify'
import type { DescribeStates, VerifyOptions } from '../../server/utils/executor/verify'

/** A describe that answers the next state of each instance per read (the last one repeats). */
function scripted(script: Record<string, string[]>) {
  let reads = 0
  const describe: DescribeStates = async (ids) => {
    const n = reads++
    return Object.fromEntries(ids.filter(id => script[id]).map(id => [id, script[id]![Math.min(n, script[id]!.length - 1)]!]))
  }
  return { describe, reads: () => reads }
}

/** A fake clock that advances only when the verifier sleeps. */
function options(action: 'start' | 'stop', timeoutMs = 10_000, intervalMs = 1000): VerifyOptions & { slept: number[] } {
  let now = 0
  const slept: number[] = []
  return {
    action, timeoutMs, intervalMs, slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms)
      now += ms
    },
  }
}

describe('verifyStates', () => {
  it('polls until every instance runs', async () => {
    const { describe, reads } = scripted({ 'i-a': ['pending', 'running'], 'i-b': ['pending', 'pending', 'running'] })
    const o = options('start')
    const result = await verifyStates(['i-a', 'i-b'], {}, describe, o)
    expect(result).toEqual([
      { instanceId: 'i-a', state: 'running', reached: true },
      { instanceId: 'i-b', state: 'running', reached: true },
    ])
    expect(reads()).toBe(3)
    expect(o.slept).toEqual([1000, 1000])
  })

  it('fails a started instance that goes back to stopped, naming the KMS cause', async () => {
    const { describe } = scripted({ 'i-a': ['pending', 'stopped'] })
    const [v] = await verifyStates(['i-a'], { 'i-a': 'pending' }, describe, options('start'))
    expect(v).toEqual({ instanceId: 'i-a', state: 'stopped', reached: false, reason: KMS_REASON })
  })

  it('does not take one stale "stopped" read right after the start for a failure', async () => {
    const { describe } = scripted({ 'i-a': ['stopped', 'pending', 'running'] })
    const [v] = await verifyStates(['i-a'], {}, describe, options('start'))
    expect(v).toMatchObject({ state: 'running', reached: true })
  })

  it('fails a start still stopped after repeated reads, without waiting for the timeout', async () => {
    const { describe, reads } = scripted({ 'i-a': ['stopped'] })
    const [v] = await verifyStates(['i-a'], {}, describe, options('start', 60_000))
    expect(v).toMatchObject({ reached: false, reason: KMS_REASON })
    expect(reads()).toBe(3)
  })

  it('fails a start still pending when the wait is over: only running counts as started', async () => {
    const { describe } = scripted({ 'i-a': ['pending'] })
    const o = options('start', 3000, 1000)
    const [v] = await verifyStates(['i-a'], {}, describe, o)
    expect(v).toEqual({ instanceId: 'i-a', state: 'pending', reached: false, reason: 'not running when the wait of 3s is over (last seen pending)' })
    expect(o.slept.reduce((a, b) => a + b)).toBe(3000)
  })

  it('counts a stop still stopping at the end of the wait as stopped, saying it is not confirmed', async () => {
    const { describe } = scripted({ 'i-a': ['stopping'] })
    const [v] = await verifyStates(['i-a'], {}, describe, options('stop', 2000))
    expect(v).toMatchObject({ state: 'stopping', reached: true, reason: 'still stopping when the wait of 2s is over: EC2 accepted the stop, not yet confirmed' })
  })

  it('fails an instance terminated or gone meanwhile', async () => {
    const { describe } = scripted({ 'i-a': ['terminated'] })
    const result = await verifyStates(['i-a', 'i-gone'], {}, describe, options('stop'))
    expect(result).toEqual([
      { instanceId: 'i-a', state: 'terminated', reached: false, reason: 'was terminated meanwhile' },
      { instanceId: 'i-gone', state: undefined, reached: false, reason: 'no longer exists' },
    ])
  })

  it('reads once even with no wait at all', async () => {
    const { describe, reads } = scripted({ 'i-a': ['stopped'] })
    const [v] = await verifyStates(['i-a'], {}, describe, options('stop', 0))
    expect(v!.reached).toBe(true)
    expect(reads()).toBe(1)
  })

  it('judges by the states the call answered when the states cannot be read', async () => {
    const failing: DescribeStates = async () => {
      throw Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' })
    }
    const [start] = await verifyStates(['i-a'], { 'i-a': 'pending' }, failing, options('start'))
    const [stop] = await verifyStates(['i-b'], { 'i-b': 'stopping' }, failing, options('stop'))
    expect(start).toMatchObject({ reached: false, reason: expect.stringContaining('not running when the states could not be read (UnauthorizedOperation') })
    expect(stop).toMatchObject({ reached: true, reason: expect.stringContaining('still stopping when the states could not be read') })
  })
})
