// Failed authentications per client IP, against key guessing: after `limit` failures in a fixed window,
// every request from that IP that presents a key is refused (429) until the window ends, even with a valid key,
// so a guesser cannot tell a hit from a miss. Counted in the limits table, so it holds across processes.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

export interface AuthFailurePolicy {
  limit: number
  windowSeconds: number
}

export interface AuthFailureGate {
  blocked: boolean
  retryAfterSeconds: number
}

/** The fixed window that `nowMs` falls in: its index and its end (ms). */
export function failureWindow(nowMs: number, windowSeconds: number): { index: number, endsAt: number } {
  const size = windowSeconds * 1000
  const index = Math.floor(nowMs / size)
  return { index, endsAt: (index + 1) * size }
}

/** Creates the per-IP failure counter over the limits table. */
export function createAuthFailureGuard(doc: DynamoDBDocumentClient, table: string, policy: AuthFailurePolicy) {
  // IPs this process saw blocked, until when: a blocked window stays blocked.
  const blockedUntil = new Map<string, number>()
  const pkOf = (ip: string, index: number) => `authfail#${ip}#${index}`

  function gate(endsAt: number, nowMs: number): AuthFailureGate {
    return { blocked: true, retryAfterSeconds: Math.max(1, Math.ceil((endsAt - nowMs) / 1000)) }
  }

  return {
    /** Whether `ip` has used up its failures in the current window. */
    async check(ip: string, nowMs = Date.now()): Promise<AuthFailureGate> {
      const until = blockedUntil.get(ip)
      if (until !== undefined && until > nowMs) return gate(until, nowMs)
      const { index, endsAt } = failureWindow(nowMs, policy.windowSeconds)
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { pk: pkOf(ip, index) }, ConsistentRead: true }))
      if (typeof Item?.n === 'number' && Item.n >= policy.limit) {
        blockedUntil.set(ip, endsAt)
        return gate(endsAt, nowMs)
      }
      return { blocked: false, retryAfterSeconds: 0 }
    },

    /** Counts one failed authentication from `ip`. */
    async record(ip: string, nowMs = Date.now()): Promise<void> {
      const { index, endsAt } = failureWindow(nowMs, policy.windowSeconds)
      const { Attributes } = await doc.send(new UpdateCommand({
        TableName: table,
        Key: { pk: pkOf(ip, index) },
        UpdateExpression: 'SET expiresAt = :expires ADD n :one',
        ExpressionAttributeValues: { ':one': 1, ':expires': Math.ceil(endsAt / 1000) + 3600 },
        ReturnValues: 'UPDATED_NEW',
      }))
      if ((Attributes?.n as number) >= policy.limit) {
        if (blockedUntil.size > 10_000) blockedUntil.clear()
        blockedUntil.set(ip, endsAt)
      }
    },
  }
}

export type AuthFailureGuard = ReturnType<typeof createAuthFailureGuard>
