// Access-control errors: small named classes, mapped to statuses in server/utils/http/handler.ts.

/** A valid key without the scope the route needs: 403. */
export class Forbidden extends Error {
  override name = 'Forbidden'
  constructor(message = 'this API key has the read scope: changing anything needs a key with the admin scope') {
    super(message)
  }
}

/** Too many requests (a key's rate limit, or an address's failed authentications): 429 with Retry-After. */
export class RateLimited extends Error {
  override name = 'RateLimited'
  constructor(message: string, readonly retryAfterSeconds: number) {
    super(message)
  }
}

/** A key's quota for the current day or month is used up: 429, with when it resets. */
export class QuotaExceeded extends Error {
  override name = 'QuotaExceeded'
  constructor(readonly limit: number, readonly period: string, readonly resetsAt: Date) {
    super(`this API key's quota of ${limit} requests per ${period} is used up: it resets at ${resetsAt.toISOString()} (the start of the next ${period}, UTC)`)
  }

  /** Whole seconds until the quota resets, at least 1: the Retry-After of the answer. */
  retryAfterSeconds(now = Date.now()): number {
    return Math.max(1, Math.ceil((this.resetsAt.getTime() - now) / 1000))
  }
}

export class KeyNotFound extends Error {
  override name = 'KeyNotFound'
  constructor(readonly id: string) {
    super(`API key '${id}' does not exist`)
  }
}

export class KeyExists extends Error {
  override name = 'KeyExists'
  constructor(readonly id: string) {
    super(`an API key with id '${id}' already exists`)
  }
}
