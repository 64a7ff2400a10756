// An API key's scopes, id pattern and quota text, apart from the key's zod schemas (schemas/key.ts): the access checks
// and the audit trail load with every start, a Lambda cold start too, and need none of zod (issue 12).
export const SCOPES = ['read', 'admin'] as const
export type Scope = typeof SCOPES[number]
export const QUOTA_PERIODS = ['day', 'month'] as const
export type QuotaPeriod = typeof QUOTA_PERIODS[number]
/** A key's id, as in `ouro_<id>_<secret>`. */
export const KEY_ID_PATTERN = /^[a-z0-9]{5,32}$/

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
