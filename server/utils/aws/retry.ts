// Throttling: recognise AWS's "slow down" answers and retry them with jittered exponential backoff.
// The SDK already retries (adaptive mode); this outer loop is for bursts that outlast its attempts,
// so that a throttled call delays a run instead of dropping instances from it.

// Error codes AWS services use for throttling; EC2 answers RequestLimitExceeded, STS Throttling.
const THROTTLING_CODES = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'SlowDown',
])

/** True for an error that means "too many requests": retry later, the request itself was fine. */
export function isThrottlingError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const e = error as { name?: string, Code?: string, $retryable?: { throttling?: boolean }, $metadata?: { httpStatusCode?: number } }
  return THROTTLING_CODES.has(e.name ?? '')
    || THROTTLING_CODES.has(e.Code ?? '')
    || e.$retryable?.throttling === true
    || e.$metadata?.httpStatusCode === 429
}

export interface BackoffOptions {
  /** Attempts in all, the first included. */
  attempts: number
  baseMs: number
  maxMs: number
  sleep: (ms: number) => Promise<void>
  /** A number in [0, 1); Math.random unless a test injects one. */
  random: () => number
}

export const DEFAULT_BACKOFF: BackoffOptions = {
  attempts: 8,
  baseMs: 250,
  maxMs: 20_000,
  sleep: ms => new Promise(resolve => setTimeout(resolve, ms)),
  random: Math.random,
}

/** The wait before retry number `retry` (0-based): "full jitter", a random time up to the capped exponential. */
export function backoffDelay(retry: number, options: Pick<BackoffOptions, 'baseMs' | 'maxMs' | 'random'>): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** retry)
  return Math.floor(options.random() * ceiling)
}

/**
 * Calls `fn`, retrying it while it fails with a throttling error, up to `attempts` times in all.
 * Any other error, or the last throttling error, is thrown as is.
 */
export async function withThrottlingRetry<T>(fn: () => Promise<T>, options: Partial<BackoffOptions> = {}): Promise<T> {
  const o = { ...DEFAULT_BACKOFF, ...options }
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn()
    }
    catch (error) {
      if (!isThrottlingError(error) || attempt + 1 >= o.attempts) throw error
      await o.sleep(backoffDelay(attempt, o))
    }
  }
}
