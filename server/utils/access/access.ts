// Who may call what: the x-api-key header of every /api request is authenticated, rate limited, scoped and
// counted against its quota here (server/middleware/api-access.ts calls enforceAccess), before any handler runs.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { getRequestHeader, setResponseHeader } from 'h3'
import type { H3Event } from 'h3'
import type { ServerConfig } from '../config'
import { Unauthorized } from '../errors'
import { createAuditRepository } from '../audit/repository'
import type { AuditRepository } from '../audit/repository'
import { createAuthFailureGuard } from './auth-failures'
import type { AuthFailureGuard } from './auth-failures'
import { Forbidden, QuotaExceeded, RateLimited } from '../keys/errors'
import { hashSecret, parseApiKey, secretMatches } from '../keys/hashing'
import { createQuotaCounter } from './quota'
import type { QuotaCounter } from './quota'
import { createRateLimiter } from './rate-limit'
import type { BucketState, RateLimiter } from './rate-limit'
import { createKeysRepository } from '../keys/repository'
import type { KeysRepository } from '../keys/repository'
import type { Quota, Scope } from '#shared/schemas/key'
import { clientIp, isReadMethod } from '../http/request'

/** Who made a request: a stored key, or the bootstrap key of NUXT_ADMIN_API_KEY (or its hash, NUXT_ADMIN_API_KEY_SHA256). */
export interface AccessIdentity {
  id: string
  name: string
  scope: Scope
  /** Stored keys have limits; the bootstrap key has none. */
  limits?: { rateLimit: number, burst: number, quota: Quota | null, lastUsedAt?: string }
}

declare module 'h3' {
  interface H3EventContext {
    /** Set by the API access middleware when the request carried a valid key. */
    auth?: AccessIdentity
  }
}

/** The one answer to a missing, malformed, unknown, revoked or wrong key: it tells nothing about which. */
export const UNAUTHORIZED_MESSAGE = 'a valid API key is required in the x-api-key header'

export const BOOTSTRAP_IDENTITY: AccessIdentity = { id: 'bootstrap', name: 'bootstrap key (NUXT_ADMIN_API_KEY)', scope: 'admin' }

/** What a route needs: nothing, any valid key, or an admin key. */
export type Need = 'none' | 'key' | 'admin'

/** What `method path` needs; `publicRead` false makes every read need a key. Health stays public for probes. */
export function requiredAccess(method: string, path: string, publicRead: boolean): Need {
  const p = path.split('?')[0]!.toLowerCase().replace(/\/+$/, '')
  // The health check and the API's own description are for anyone, even when reads need a key.
  if (p === '/api/health' || p === '/api/openapi.json') return 'none'
  if (!isReadMethod(method)) return 'admin'
  if (/^\/api\/(?:keys|audit)(?:\/|$)/.test(p)) return 'admin'
  if (/^\/api\/auth(?:\/|$)/.test(p)) return 'key'
  return publicRead ? 'none' : 'key'
}

export interface Access {
  keys: KeysRepository
  audit: AuditRepository
  limiter: RateLimiter
  quotas: QuotaCounter
  failures: AuthFailureGuard
  /**
   * The SHA-256 (hex) of each bootstrap key: NUXT_ADMIN_API_KEY_SHA256 as given, and NUXT_ADMIN_API_KEY hashed here,
   * so the plain key is compared the same way and kept in no other field.
   */
  bootstrapKeyHashes: string[]
  publicRead: boolean
  trustProxy: boolean
}

/** Builds the access services over the access tables (no Nitro needed: the CLI and the tests use this). */
export function createAccess(doc: DynamoDBDocumentClient, config: Pick<ServerConfig, 'accessTables' | 'access' | 'adminApiKey'> & Partial<Pick<ServerConfig, 'adminApiKeySha256'>>): Access {
  const { keys, limits, audit } = config.accessTables
  return {
    keys: createKeysRepository(doc, keys),
    audit: createAuditRepository(doc, audit),
    limiter: createRateLimiter(doc, limits),
    quotas: createQuotaCounter(doc, limits),
    failures: createAuthFailureGuard(doc, limits, { limit: config.access.authFailureLimit, windowSeconds: config.access.authFailureWindowSeconds }),
    bootstrapKeyHashes: [config.adminApiKeySha256 ?? '', config.adminApiKey ? hashSecret(config.adminApiKey) : ''].filter(Boolean),
    publicRead: config.access.publicRead,
    trustProxy: config.access.trustProxy,
  }
}

/** The identity of a presented key, or null for any key that is not valid now (same work either way). */
export async function authenticate(access: Access, presented: string): Promise<AccessIdentity | null> {
  // secretMatches hashes the presented key and compares in constant time, as for a stored key.
  if (access.bootstrapKeyHashes.some(hash => secretMatches(presented, hash))) return BOOTSTRAP_IDENTITY
  const parsed = parseApiKey(presented)
  const record = parsed ? await access.keys.get(parsed.id) : null
  const matches = secretMatches(parsed?.secret ?? presented, record?.hash)
  if (!record || !matches || record.revokedAt) return null
  const { id, name, scope, rateLimit, burst, quota, lastUsedAt } = record
  return { id, name, scope, limits: { rateLimit, burst, quota, lastUsedAt } }
}

function setRateHeaders(event: H3Event, bucket: BucketState) {
  setResponseHeader(event, 'X-RateLimit-Limit', bucket.limit)
  setResponseHeader(event, 'X-RateLimit-Remaining', bucket.remaining)
  setResponseHeader(event, 'X-RateLimit-Reset', bucket.resetSeconds)
}

function refuse(event: H3Event, message: string, retryAfterSeconds: number): never {
  setResponseHeader(event, 'Retry-After', retryAfterSeconds)
  throw new RateLimited(message, retryAfterSeconds)
}

/** Applies the key's token bucket and quota; sets the X-RateLimit-* and X-Quota-* headers. */
async function applyLimits(event: H3Event, access: Access, who: AccessIdentity, need: Need): Promise<void> {
  const limits = who.limits
  if (!limits) {
    if (need === 'admin' && who.scope !== 'admin') throw new Forbidden()
    return
  }
  // The clock is read at each step, not when the request arrived: a request that waited (a slow store, a busy
  // process) must not present an old time to a bucket that other processes have moved on since.
  const bucket = await access.limiter.take(who.id, { rate: limits.rateLimit, burst: limits.burst }, Date.now())
  setRateHeaders(event, bucket)
  if (!bucket.allowed) {
    refuse(event, `this API key's rate limit of ${limits.rateLimit} requests per second (bursts of ${limits.burst}) is exceeded: retry after ${bucket.retryAfterSeconds} s`, bucket.retryAfterSeconds)
  }
  // Scope after the bucket: a read key hammering admin routes is throttled like any other.
  if (need === 'admin' && who.scope !== 'admin') throw new Forbidden()
  if (limits.quota) {
    const now = Date.now()
    const quota = await access.quotas.consume(who.id, limits.quota, new Date(now))
    setResponseHeader(event, 'X-Quota-Limit', quota.limit)
    setResponseHeader(event, 'X-Quota-Remaining', quota.remaining)
    setResponseHeader(event, 'X-Quota-Reset', Math.max(0, Math.ceil((quota.resetsAt.getTime() - now) / 1000)))
    if (!quota.allowed) {
      const exceeded = new QuotaExceeded(quota.limit, limits.quota.period, quota.resetsAt)
      setResponseHeader(event, 'Retry-After', exceeded.retryAfterSeconds(now))
      throw exceeded
    }
  }
  // lastUsedAt is written at most once a minute per key.
  if (!limits.lastUsedAt || Date.parse(limits.lastUsedAt) < Date.now() - 60_000) await access.keys.touch(who.id)
}

/**
 * Authenticates and authorises one /api request: 401 for a missing or invalid key where one is needed, 429 for an
 * address with too many failed attempts, 429 over the key's rate limit or quota, 403 for a read key on an admin route.
 * A key presented on a public route is checked (and counted) too. Sets `event.context.auth`.
 */
export async function enforceAccess(event: H3Event, access: Access, path: string): Promise<void> {
  const need = requiredAccess(event.method, path, access.publicRead)
  const presented = getRequestHeader(event, 'x-api-key')
  if (!presented) {
    if (need === 'none') return
    throw new Unauthorized(UNAUTHORIZED_MESSAGE)
  }
  const ip = clientIp(event, access.trustProxy)
  const [gate, who] = await Promise.all([access.failures.check(ip), authenticate(access, presented)])
  if (gate.blocked) refuse(event, `too many failed API key attempts from this address: try again in ${gate.retryAfterSeconds} s`, gate.retryAfterSeconds)
  if (!who) {
    await access.failures.record(ip)
    throw new Unauthorized(UNAUTHORIZED_MESSAGE)
  }
  event.context.auth = who
  await applyLimits(event, access, who, need)
}
