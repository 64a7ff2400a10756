// What describes an API key: the input that creates one (API, CLI and admin page), and the stored record.
import { z } from 'zod'

export const SCOPES = ['read', 'admin'] as const
export type Scope = typeof SCOPES[number]
export const QUOTA_PERIODS = ['day', 'month'] as const
export type QuotaPeriod = typeof QUOTA_PERIODS[number]

export interface Quota {
  limit: number
  period: QuotaPeriod
}

/** Limits of a key made without any: 10 requests per second, bursts of 20, no quota. */
export const DEFAULT_RATE_LIMIT = 10

const QUOTA_TEXT = /^(\d{1,10})\s*\/\s*(day|month)$/

/** Parses the CLI's and the form's `1000/day` or `50000/month`; null when it is not that shape. */
export function parseQuota(text: string): Quota | null {
  const match = QUOTA_TEXT.exec(text.trim().toLowerCase())
  if (!match) return null
  const limit = Number(match[1])
  return limit >= 1 && limit <= 1_000_000_000 ? { limit, period: match[2] as QuotaPeriod } : null
}

/** Prints a quota the way parseQuota reads it. */
export function formatQuota(quota: Quota | null | undefined): string {
  return quota ? `${quota.limit}/${quota.period}` : 'none'
}

const QuotaSchema = z.union([
  z.null(),
  z.string().transform((text, ctx) => parseQuota(text) ?? (ctx.addIssue({ code: 'custom', message: 'quota must be N/day or N/month, e.g. 1000/day' }), z.NEVER)),
  z.object({
    limit: z.number({ message: 'quota.limit must be a number' }).int('quota.limit must be a whole number').min(1, 'quota.limit must be at least 1').max(1_000_000_000),
    period: z.enum(QUOTA_PERIODS, { message: 'quota.period must be "day" or "month"' }),
  }, { message: 'quota must be N/day, N/month, { limit, period } or null' }),
], { message: 'quota must be N/day, N/month, { limit, period } or null' })

/** The body of `POST /api/keys` and the options of `npm run apikey -- create`. */
export const KeyInputSchema = z.strictObject({
  name: z.string({ message: 'name is required' }).trim()
    .min(1, 'name is required')
    .max(64, 'name must be at most 64 characters')
    .regex(/^[\p{L}\p{N} ._@:/()+-]+$/u, 'name may contain letters, digits, spaces and . _ @ : / ( ) + -'),
  scope: z.enum(SCOPES, { message: 'scope must be "read" or "admin"' }),
  rateLimit: z.number({ message: 'rateLimit must be a number of requests per second' })
    .min(0.01, 'rateLimit must be at least 0.01 requests per second')
    .max(10_000, 'rateLimit must be at most 10000 requests per second')
    .default(DEFAULT_RATE_LIMIT),
  burst: z.number({ message: 'burst must be a whole number' }).int('burst must be a whole number').min(1, 'burst must be at least 1').max(100_000, 'burst must be at most 100000').optional(),
  quota: QuotaSchema.default(null),
}).transform(k => ({ ...k, burst: k.burst ?? Math.max(1, Math.ceil(k.rateLimit * 2)) }))

export type KeyInput = z.output<typeof KeyInputSchema>

/** A stored key as the API answers it: never the secret nor its hash. */
export interface ApiKeyView {
  id: string
  name: string
  scope: Scope
  rateLimit: number
  burst: number
  quota: Quota | null
  createdAt: string
  createdBy?: string
  lastUsedAt?: string
  revokedAt?: string
}

/** A stored key with the hash of its secret: stays on the server. */
export interface ApiKeyRecord extends ApiKeyView {
  hash: string
}
