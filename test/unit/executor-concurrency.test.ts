// Bounded concurrency: never more than N in flight, results in order, a failure stays its own.
import { describe, expect, it } from 'vitest'
import { createLimiter, mapWithConcurrency } from '../../server/utils/concurrency'

const tick = () => new Promise(resolve => setTimeout(resolve, 1))

describe('mapWithConcurrency', () => {
  it('keeps at most `limit` calls in flight and answers results in the items\' order', async () => {
    let active = 0
    let peak = 0
    const results = await mapWithConcurrency(Array.from({ length: 20 }, (_, i) => i), 3, async (n) => {
      active++
      peak = Math.max(peak, active)
      await tick()
      active--
      return n * 2
    })
    expect(peak).toBe(3)
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i * 2))
  })

  it('bounds several callers together when they share one limiter', async () => {
    const limiter = createLimiter(2)
    let active = 0
    let peak = 0
    const work = async () => {
      active++
      peak = Math.max(peak, active)
      await tick()
      active--
    }
    await Promise.all([mapWithConcurrency([1, 2, 3], limiter, work), mapWithConcurrency([4, 5, 6], limiter, work)])
    expect(peak).toBe(2)
  })

  it('frees the slot of a call that fails', async () => {
    const limiter = createLimiter(1)
    await expect(limiter(async () => {
      throw new Error('boom')
    })).rejects.toThrow('boom')
    expect(await limiter(async () => 'next')).toBe('next')
  })

  it('refuses a limit below 1', () => {
    expect(() => createLimiter(0)).toThrow(RangeError)
  })
})
