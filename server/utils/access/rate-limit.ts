// A token bucket per API key, kept in DynamoDB so that it holds across processes and Lambda instances.
//
// It is the GCRA form of the bucket: one number per key, the "theoretical arrival time" (tat) at which the
// bucket is full again. A request at `now` is allowed when tat <= now + tolerance, and moves tat one emission
// interval on. Each decision is ONE conditional UpdateItem on that number, so concurrent processes never lose
// an update and never need a read first: "advance" (tat += T, if now < tat <= now + tolerance) or "catch up"
// (tat = now + T, if the item is new or tat <= now). tat only grows, so a failed condition is conclusive.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { isConditionFailure } from '../conditional-write'

const MICROS_PER_SECOND = 1_000_000

export interface BucketPolicy {
  /** Requests per second, refilled continuously. */
  rate: number
  /** The bucket's size: requests allowed at once after a quiet spell. */
  burst: number
}

export interface BucketState {
  allowed: boolean
  /** The bucket size, for X-RateLimit-Limit. */
  limit: number
  /** Requests still allowed right now, for X-RateLimit-Remaining. */
  remaining: number
  /** Whole seconds until the bucket is full again, for X-RateLimit-Reset. */
  resetSeconds: number
  /** Whole seconds to wait before the next request is allowed (0 when allowed), for Retry-After. */
  retryAfterSeconds: number
}

/** Microseconds between two requests at the sustained rate. */
export function emissionInterval(policy: BucketPolicy): number {
  return Math.max(1, Math.round(MICROS_PER_SECOND / policy.rate))
}

/** How far ahead of now tat may be for a request to pass: burst - 1 intervals. */
export function tolerance(policy: BucketPolicy): number {
  return (policy.burst - 1) * emissionInterval(policy)
}

/** The headers' view of a bucket whose tat is `tat` at `now` (both in microseconds). */
export function bucketState(allowed: boolean, tat: number, now: number, policy: BucketPolicy): BucketState {
  const interval = emissionInterval(policy)
  const limit = now + tolerance(policy)
  const remaining = tat > limit ? 0 : Math.min(policy.burst, Math.floor((limit - tat) / interval) + 1)
  return {
    allowed,
    limit: policy.burst,
    remaining,
    resetSeconds: Math.max(0, Math.ceil((tat - now) / MICROS_PER_SECOND)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((tat - limit) / MICROS_PER_SECOND)),
  }
}

/** Creates the DynamoDB token buckets over the limits table. */
export function createRateLimiter(doc: DynamoDBDocumentClient, table: string) {
  // The highest tat this process has seen per bucket. tat only grows, so a bucket seen over its limit is still
  // over it: refused locally, without a DynamoDB call, until the clock passes what was seen.
  const seen = new Map<string, number>()

  function remember(pk: string, tat: number) {
    if (seen.size > 10_000) seen.clear()
    if ((seen.get(pk) ?? 0) < tat) seen.set(pk, tat)
  }

  // Buckets that have been full for a day expire (the TTL in AWS): a missing bucket is a full one.
  const expiry = (tat: number) => Math.ceil(tat / MICROS_PER_SECOND) + 86_400

  /** tat += T if now < tat <= now + tolerance; answers the new tat, or null when the condition failed. */
  async function advance(pk: string, now: number, policy: BucketPolicy): Promise<number | null> {
    try {
      const { Attributes } = await doc.send(new UpdateCommand({
        TableName: table,
        Key: { pk },
        UpdateExpression: 'SET tat = tat + :interval, expiresAt = :expires',
        ConditionExpression: 'tat > :now AND tat <= :limit',
        ExpressionAttributeValues: {
          ':interval': emissionInterval(policy),
          ':now': now,
          ':limit': now + tolerance(policy),
          ':expires': expiry(now + tolerance(policy) + emissionInterval(policy)),
        },
        ReturnValues: 'UPDATED_NEW',
      }))
      return Attributes!.tat as number
    }
    catch (e) {
      if (isConditionFailure(e)) return null
      throw e
    }
  }

  /** tat = now + T if the bucket is new or full (tat <= now); answers the new tat, or null. */
  async function catchUp(pk: string, now: number, policy: BucketPolicy): Promise<number | null> {
    const next = now + emissionInterval(policy)
    try {
      await doc.send(new UpdateCommand({
        TableName: table,
        Key: { pk },
        UpdateExpression: 'SET tat = :next, expiresAt = :expires',
        ConditionExpression: 'attribute_not_exists(tat) OR tat <= :now',
        ExpressionAttributeValues: { ':next': next, ':now': now, ':expires': expiry(next) },
      }))
      return next
    }
    catch (e) {
      if (isConditionFailure(e)) return null
      throw e
    }
  }

  return {
    /**
     * Takes one token from bucket `id` at `nowMs`. Catch up, else advance: a failed catch-up proves tat > now, so a
     * failed advance then proves tat > now + tolerance: refused, with the wait read from the item. When this process
     * last saw tat ahead of now it tries advance first, and then needs a second advance should someone catch up between.
     */
    async take(id: string, policy: BucketPolicy, nowMs = Date.now()): Promise<BucketState> {
      const pk = `rate#${id}`
      const now = Math.round(nowMs * 1000)
      const known = seen.get(pk)
      if (known !== undefined && known > now + tolerance(policy)) return bucketState(false, known, now, policy)
      const attempts = known !== undefined && known > now ? [advance, catchUp, advance] : [catchUp, advance]
      for (const attempt of attempts) {
        const tat = await attempt(pk, now, policy)
        if (tat !== null) {
          remember(pk, tat)
          return bucketState(true, tat, now, policy)
        }
      }
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { pk }, ConsistentRead: true }))
      const tat = typeof Item?.tat === 'number' ? Item.tat : now + tolerance(policy) + emissionInterval(policy)
      remember(pk, tat)
      return bucketState(false, tat, now, policy)
    },
  }
}

export type RateLimiter = ReturnType<typeof createRateLimiter>
