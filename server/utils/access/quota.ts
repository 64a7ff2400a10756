// Quotas: requests per key per UTC day or month, counted exactly with one atomic conditional ADD per request,
// so any number of processes together accept exactly `limit` requests in a period.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Quota, QuotaPeriod } from '#shared/schemas/key'
import { isConditionFailure } from '../conditional-write'

export interface QuotaWindow {
  /** The counter's name within the key: 2026-11-25 or 2026-11. */
  key: string
  resetsAt: Date
}

/** The UTC day or month that `now` falls in, and when the next one starts. */
export function quotaWindow(period: QuotaPeriod, now: Date): QuotaWindow {
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth()
  if (period === 'month') {
    return { key: now.toISOString().slice(0, 7), resetsAt: new Date(Date.UTC(y, m + 1, 1)) }
  }
  return { key: now.toISOString().slice(0, 10), resetsAt: new Date(Date.UTC(y, m, now.getUTCDate() + 1)) }
}

export interface QuotaState {
  allowed: boolean
  limit: number
  /** Requests left in this period after this one. */
  remaining: number
  resetsAt: Date
}

/** Creates the quota counters over the limits table. */
export function createQuotaCounter(doc: DynamoDBDocumentClient, table: string) {
  // Counters this process saw used up. A counter only grows within its period, so they stay used up.
  const exhausted = new Set<string>()

  return {
    /** Counts one request against the key's quota; `allowed` false (nothing counted) once the period's limit is reached. */
    async consume(id: string, quota: Quota, now = new Date()): Promise<QuotaState> {
      const window = quotaWindow(quota.period, now)
      const pk = `quota#${id}#${window.key}`
      const refused = { allowed: false, limit: quota.limit, remaining: 0, resetsAt: window.resetsAt }
      if (exhausted.has(`${pk}#${quota.limit}`)) return refused
      try {
        const { Attributes } = await doc.send(new UpdateCommand({
          TableName: table,
          Key: { pk },
          UpdateExpression: 'SET expiresAt = :expires ADD used :one',
          ConditionExpression: 'attribute_not_exists(used) OR used < :limit',
          ExpressionAttributeValues: {
            ':one': 1,
            ':limit': quota.limit,
            ':expires': Math.floor(window.resetsAt.getTime() / 1000) + 86_400,
          },
          ReturnValues: 'UPDATED_NEW',
        }))
        const used = Attributes!.used as number
        return { allowed: true, limit: quota.limit, remaining: Math.max(0, quota.limit - used), resetsAt: window.resetsAt }
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        if (exhausted.size > 10_000) exhausted.clear()
        exhausted.add(`${pk}#${quota.limit}`)
        return refused
      }
    },
  }
}

export type QuotaCounter = ReturnType<typeof createQuotaCounter>
