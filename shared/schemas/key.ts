// What describes an API key: the input that creates one (API, CLI and admin page), and the stored record.
import { z } from 'zod'
import { issue, issueMessage as say, zodIssue } from './issue'

import { DEFAULT_RATE_LIMIT, parseQuota, QUOTA_PERIODS, SCOPES } from '../key-format'
import type { Quota, Scope } from '../key-format'

export * from '../key-format'

// Built on first use (z.lazy): no route a Lambda cold start answers first needs them, and zod schemas cost
// milliseconds to construct (bench/lambda.ts).
const quotaSchema = () => z.union([
  z.null(),
  z.string().transform((text, ctx) => parseQuota(text) ?? (ctx.addIssue(zodIssue(issue('key.quota.text', { value: text }))), z.NEVER)),
  z.object({
    limit: z.number({ message: say('key.quota.limit.number') }).int(say('key.quota.limit.integer')).min(1, say('key.quota.limit.min')).max(1_000_000_000),
    period: z.enum(QUOTA_PERIODS, { message: say('key.quota.period') }),
  }, { message: say('key.quota.shape') }),
], { message: say('key.quota.shape') })

/** The body of `POST /api/keys` and the options of `npm run apikey -- create`. */
export const KeyInputSchema = z.lazy(() => z.strictObject({
  name: z.string({ message: say('key.name.required') }).trim()
    .min(1, say('key.name.required'))
    .max(64, say('key.name.tooLong'))
    .regex(/^[\p{L}\p{N} ._@:/()+-]+$/u, say('key.name.chars')),
  scope: z.enum(SCOPES, { message: say('key.scope.choice') }),
  rateLimit: z.number({ message: say('key.rateLimit.number') })
    .min(0.01, say('key.rateLimit.min'))
    .max(10_000, say('key.rateLimit.max'))
    .default(DEFAULT_RATE_LIMIT),
  burst: z.number({ message: say('key.burst.integer') }).int(say('key.burst.integer')).min(1, say('key.burst.min')).max(100_000, say('key.burst.max')).optional(),
  quota: quotaSchema().default(null),
}).transform(k => ({ ...k, burst: k.burst ?? Math.max(1, Math.ceil(k.rateLimit * 2)) })))

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
