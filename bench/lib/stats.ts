// Timing helpers: run an operation many times and answer percentiles in milliseconds.

export interface Timing {
  reps: number
  p50: number
  p95: number
  min: number
  max: number
}

/** The nearest-rank percentile of sorted samples. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples')
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

export interface TimeOptions {
  warmup: number
  /** Repetitions to time, at least `minReps` and at most `reps`: stop early once `budgetMs` is spent. */
  reps: number
  minReps?: number
  budgetMs?: number
}

/** Times `fn` sequentially after `warmup` untimed calls. */
export async function time(fn: () => Promise<unknown>, { warmup, reps, minReps = reps, budgetMs = Infinity }: TimeOptions): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await fn()
  const samples: number[] = []
  const start = performance.now()
  while (samples.length < reps && (samples.length < minReps || performance.now() - start < budgetMs)) {
    const t0 = performance.now()
    await fn()
    samples.push(performance.now() - t0)
  }
  samples.sort((a, b) => a - b)
  return { reps: samples.length, p50: percentile(samples, 50), p95: percentile(samples, 95), min: samples[0]!, max: samples.at(-1)! }
}

/** Milliseconds, rounded for a table: 3 significant digits. */
export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)
}
