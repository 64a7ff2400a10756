// Throttling: which errors are retried, how long the backoff waits, and when it gives up.
import { describe, expect, it, vi } from 'vitest'
import { backoffDelay, isThrottlingError, withThrottlingRetry } from '../../server/utils/aws/retry'

const error = (name: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(name), { name, ...extra })

describe('isThrottlingError', () => {
  it.each([
    [error('RequestLimitExceeded'), true],
    [error('Throttling'), true],
    [error('ThrottlingException'), true],
    [error('SomethingElse', { $retryable: { throttling: true } }), true],
    [error('SomethingElse', { $metadata: { httpStatusCode: 429 } }), true],
    [error('IncorrectInstanceState', { $metadata: { httpStatusCode: 400 } }), false],
    [error('AccessDenied'), false],
    [undefined, false],
  ])('%s -> %s', (e, expected) => {
    expect(isThrottlingError(e)).toBe(expected)
  })
})

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, jittered below it', () => {
    const top = { baseMs: 100, maxMs: 1000, random: () => 0.999999 }
    expect([0, 1, 2, 3, 4, 10].map(r => backoffDelay(r, top))).toEqual([99, 199, 399, 799, 999, 999])
    expect(backoffDelay(3, { ...top, random: () => 0 })).toBe(0)
    expect(backoffDelay(3, { ...top, random: () => 0.5 })).toBe(400)
  })
})

describe('withThrottlingRetry', () => {
  it('retries throttled calls with growing waits until one succeeds', async () => {
    const sleeps: number[] = []
    let calls = 0
    const result = await withThrottlingRetry(async () => {
      if (++calls < 4) throw error('RequestLimitExceeded')
      return 'done'
    }, { sleep: async ms => void sleeps.push(ms), random: () => 0.5, baseMs: 100, maxMs: 10_000 })
    expect(result).toBe('done')
    expect(calls).toBe(4)
    expect(sleeps).toEqual([50, 100, 200])
  })

  it('gives up after the last attempt with the throttling error', async () => {
    let calls = 0
    const attempt = withThrottlingRetry(async () => {
      calls++
      throw error('Throttling')
    }, { attempts: 3, sleep: async () => {} })
    await expect(attempt).rejects.toMatchObject({ name: 'Throttling' })
    expect(calls).toBe(3)
  })

  it('does not retry other errors', async () => {
    let calls = 0
    const attempt = withThrottlingRetry(async () => {
      calls++
      throw error('UnauthorizedOperation')
    }, { sleep: async () => {} })
    await expect(attempt).rejects.toMatchObject({ name: 'UnauthorizedOperation' })
    expect(calls).toBe(1)
  })

  it('waits with real timers by default', async () => {
    vi.useFakeTimers()
    try {
      let calls = 0
      const attempt = withThrottlingRetry(async () => {
        if (++calls < 2) throw error('RequestLimitExceeded')
        return calls
      }, { random: () => 0.5, baseMs: 1000 })
      await vi.advanceTimersByTimeAsync(499)
      expect(calls).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(await attempt).toBe(2)
    }
    finally {
      vi.useRealTimers()
    }
  })
})
