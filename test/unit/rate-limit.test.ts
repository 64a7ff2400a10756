import { describe, expect, it } from 'vitest'
import { bucketState, emissionInterval, takeToken, tolerance } from '../../server/utils/keys/rate-limit'
import type { BucketPolicy } from '../../server/utils/keys/rate-limit'

const S = 1_000_000 // microseconds per second

/** Runs requests at the given times (µs) through the pure bucket; answers which were allowed. */
function run(policy: BucketPolicy, times: number[]): boolean[] {
  let tat: number | undefined
  return times.map((now) => {
    const result = takeToken(tat, now, policy)
    tat = result.tat
    return result.state.allowed
  })
}

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

  it('allows a full burst at once, then refuses', () => {
    const allowed = run({ rate: 5, burst: 10 }, Array.from({ length: 12 }, () => 1000 * S))
    expect(allowed).toEqual([...Array(10).fill(true), false, false])
  })

  it('refills one request per interval after a burst', () => {
    const t0 = 1000 * S
    const burst = Array.from({ length: 10 }, () => t0)
    const later = [t0 + 199_999, t0 + 200_000, t0 + 200_001, t0 + 400_000]
    expect(run({ rate: 5, burst: 10 }, [...burst, ...later]).slice(10)).toEqual([false, true, false, true])
  })

  it('accepts the sustained rate plus the burst over a long, hammered span', () => {
    const policy = { rate: 20, burst: 5 }
    // One attempt every millisecond for 10 s.
    const times = Array.from({ length: 10_000 }, (_, i) => 1000 * S + i * 1000)
    const accepted = run(policy, times).filter(Boolean).length
    expect(accepted).toBe(5 + 20 * 10 - 1)
  })

  it('never stores more than the burst after a quiet spell', () => {
    const t0 = 1000 * S
    const allowed = run({ rate: 10, burst: 3 }, [t0, t0 + 3600 * S, t0 + 3600 * S, t0 + 3600 * S, t0 + 3600 * S])
    expect(allowed).toEqual([true, true, true, true, false])
  })

  it('answers remaining, reset and retry-after for the headers', () => {
    const policy = { rate: 5, burst: 10 }
    const now = 1000 * S
    const first = takeToken(undefined, now, policy)
    expect(first.state).toEqual({ allowed: true, limit: 10, remaining: 9, resetSeconds: 1, retryAfterSeconds: 0 })
    let tat = first.tat
    for (let i = 0; i < 9; i++) tat = takeToken(tat, now, policy).tat
    expect(bucketState(true, tat, now, policy)).toMatchObject({ remaining: 0, resetSeconds: 2 })
    const refused = takeToken(tat, now, policy)
    expect(refused.state).toMatchObject({ allowed: false, remaining: 0, retryAfterSeconds: 1 })
    expect(refused.tat).toBe(tat)
  })

  it('waits whole seconds before a slow bucket allows again', () => {
    const policy = { rate: 0.1, burst: 1 }
    const now = 1000 * S
    const { tat } = takeToken(undefined, now, policy)
    expect(takeToken(tat, now + S, policy).state).toMatchObject({ allowed: false, retryAfterSeconds: 9 })
  })
})
