// The token bucket as it runs: the limiter's own code against a stand-in limits table that is atomic per item,
// first one request at a time, then under every order in which concurrent requests can reach the table.
import { describe, expect, it, vi } from 'vitest'
import { createRateLimiter, emissionInterval, tolerance } from '../../server/utils/access/rate-limit'
import type { BucketPolicy, BucketState } from '../../server/utils/access/rate-limit'
import { everyInterleaving, limitsStore } from '../helpers/limits-store'

const S = 1_000_000 // microseconds per second
const ms = (micros: number) => micros / 1000

/** Runs requests at the given times (µs), one after the other, through one limiter; answers each answer. */
async function run(policy: BucketPolicy, times: number[]): Promise<BucketState[]> {
  const limiter = createRateLimiter(limitsStore().doc, 'limits')
  const answers: BucketState[] = []
  for (const now of times) answers.push(await limiter.take('key', policy, ms(now)))
  return answers
}
const allowed = async (policy: BucketPolicy, times: number[]) => (await run(policy, times)).map(a => a.allowed)

describe('token bucket arithmetic (GCRA)', () => {
  it.each([
    [{ rate: 5, burst: 10 }, 200_000, 1_800_000],
    [{ rate: 1, burst: 1 }, 1_000_000, 0],
    [{ rate: 0.5, burst: 2 }, 2_000_000, 2_000_000],
    [{ rate: 3, burst: 3 }, 333_333, 666_666],
  ])('derives the interval and the tolerance of %j', (policy, interval, tol) => {
    expect(emissionInterval(policy)).toBe(interval)
    expect(tolerance(policy)).toBe(tol)
  })

  it('allows a full burst at once, then refuses', async () => {
    expect(await allowed({ rate: 5, burst: 10 }, Array.from({ length: 12 }, () => 1000 * S))).toEqual([...Array(10).fill(true), false, false])
  })

  it('refills one request per interval after a burst', async () => {
    const t0 = 1000 * S
    const burst = Array.from({ length: 10 }, () => t0)
    const later = [t0 + 199_999, t0 + 200_000, t0 + 200_001, t0 + 400_000]
    expect((await allowed({ rate: 5, burst: 10 }, [...burst, ...later])).slice(10)).toEqual([false, true, false, true])
  })

  it('accepts the sustained rate plus the burst over a long, hammered span', async () => {
    const policy = { rate: 20, burst: 5 }
    // One attempt every millisecond for 10 s.
    const times = Array.from({ length: 10_000 }, (_, i) => 1000 * S + i * 1000)
    expect((await allowed(policy, times)).filter(Boolean).length).toBe(5 + 20 * 10 - 1)
  })

  it('never stores more than the burst after a quiet spell', async () => {
    const t0 = 1000 * S
    expect(await allowed({ rate: 10, burst: 3 }, [t0, t0 + 3600 * S, t0 + 3600 * S, t0 + 3600 * S, t0 + 3600 * S])).toEqual([true, true, true, true, false])
  })

  it('answers remaining, reset and retry-after for the headers', async () => {
    const now = 1000 * S
    const answers = await run({ rate: 5, burst: 10 }, Array.from({ length: 11 }, () => now))
    expect(answers[0]).toEqual({ allowed: true, limit: 10, remaining: 9, resetSeconds: 1, retryAfterSeconds: 0 })
    expect(answers[9]).toMatchObject({ allowed: true, remaining: 0, resetSeconds: 2 })
    expect(answers[10]).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 })
  })

  it('waits whole seconds before a slow bucket allows again', async () => {
    const now = 1000 * S
    const [, second] = await run({ rate: 0.1, burst: 1 }, [now, now + S])
    expect(second).toMatchObject({ allowed: false, retryAfterSeconds: 9 })
  })
})

describe('token bucket under every interleaving of concurrent requests', () => {
  const t0 = ms(1000 * S)
  // Hundreds of orders each: a generous timeout, so a busy machine is slower but never fails.
  vi.setConfig({ testTimeout: 60_000 })

  const fourAtOnce = (store: ReturnType<typeof limitsStore>) => {
    const limiter = createRateLimiter(store.doc, 'limits')
    return { start: async () => (await Promise.all([1, 2, 3, 4].map(() => limiter.take('k', { rate: 5, burst: 3 }, t0)))).filter(a => a.allowed).length }
  }

  it('lets exactly the burst through at one instant, in every order the table sees the writes', async () => {
    const outcomes = await everyInterleaving(fourAtOnce)
    expect(outcomes.length).toBeGreaterThan(100)
    expect(new Set(outcomes)).toEqual(new Set([3]))
  })

  it('lets one too many through when the table checks and writes in two steps, as moto does', async () => {
    // The cause of the moto-only failures of issue 11: moto's UpdateItem has no lock between condition and write.
    const outcomes = await everyInterleaving(fourAtOnce, { split: true })
    expect(outcomes).toContain(3)
    expect(Math.max(...outcomes)).toBe(4)
  })

  it('shares one bucket exactly between two processes, whatever each has seen before', async () => {
    const policy = { rate: 5, burst: 3 }
    const interval = ms(emissionInterval(policy))
    const outcomes = await everyInterleaving((store) => {
      const [a, b] = [createRateLimiter(store.doc, 'limits'), createRateLimiter(store.doc, 'limits')]
      return {
        start: async () => {
          // Before: someone took two of three tokens, and process a takes the third; one interval later one is back.
          store.items.set('rate#k', { pk: 'rate#k', tat: (t0 + 2 * interval) * 1000, expiresAt: 0 })
          await a.take('k', policy, t0)
          const answers = await Promise.all([a, b, b].map(l => l.take('k', policy, t0 + interval)))
          return answers.filter(x => x.allowed).length
        },
      }
    })
    expect(outcomes.length).toBeGreaterThan(100)
    expect(new Set(outcomes)).toEqual(new Set([1]))
  })

  it('gives a full bucket back exactly once after a quiet spell, when a process still remembers it empty', async () => {
    const policy = { rate: 5, burst: 2 }
    const outcomes = await everyInterleaving((store) => {
      const [a, b] = [createRateLimiter(store.doc, 'limits'), createRateLimiter(store.doc, 'limits')]
      return {
        start: async () => {
          // Process a empties the bucket at t0 and remembers it so; an hour later both race for the refilled one.
          await a.take('k', policy, t0)
          await a.take('k', policy, t0)
          const later = t0 + 3_600_000
          const answers = await Promise.all([a, b, a, b].map(l => l.take('k', policy, later)))
          return answers.filter(x => x.allowed).length
        },
      }
    })
    expect(outcomes.length).toBeGreaterThan(100)
    expect(new Set(outcomes)).toEqual(new Set([2]))
  })
})
