// Bounded concurrency: at most N account-regions worked on at once, however many runs share the limiter.

/** Runs functions with at most `limit` of them in flight; the rest wait their turn in call order. */
export type Limiter = <T>(fn: () => Promise<T>) => Promise<T>

/** Creates a limiter; share one across runs to bound a whole process (e.g. 500 accounts firing at once). */
export function createLimiter(limit: number): Limiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency must be a whole number of at least 1 (got ${limit})`)
  let active = 0
  const waiting: (() => void)[] = []
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active < limit) active++
    // A finishing call hands its slot straight to the next waiter, so no newcomer can slip in between.
    else await new Promise<void>(resolve => waiting.push(resolve))
    try {
      return await fn()
    }
    finally {
      const next = waiting.shift()
      if (next) next()
      else active--
    }
  }
}

/** Maps items through `fn` with at most `limit` calls in flight; answers the results in the items' order. */
export function mapWithConcurrency<T, R>(items: readonly T[], limit: number | Limiter, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const run = typeof limit === 'number' ? createLimiter(limit) : limit
  return Promise.all(items.map((item, i) => run(() => fn(item, i))))
}
