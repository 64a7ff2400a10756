// The run-log repository: one item per run, keyed by eventId, newest-first lists from two indexes.
import { BatchWriteCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Page } from '#shared/schemas/list'
import type { LogEntry, LogSummary } from '#shared/schemas/log'
import { decodeCursor, encodeCursor } from './cursor'
import { LogExists, LogNotFound } from './errors'
import { LOGS_BY_RULE, LOGS_BY_TIME } from './tables'
import { isConditionFailure } from './conditional-write'

// Constant partition key of the by-time index: a run is written at most a few times a second.
const KIND = 'log'
// A run's claim is an item of its own in the same table, keyed apart from its log, with no index attributes
// (so no list shows it), and expiring a day after it is taken, should its holder never release it.
const CLAIM_PREFIX = 'claim#'
const CLAIM_TTL_SECONDS = 86_400
// A follow-up check waiting (follow-up-arm.ts) is an item of its own too, `followup#<eventId>`, under a by-time
// partition of its own (kind `followup`, sorted by when it is due), so the reconciler finds the checks a lost timer
// would leave undone with one Query; no list reads that partition, and the by-rule index never sees it (no ruleName).
const FOLLOW_UP_PREFIX = 'followup#'
const FOLLOW_UP_KIND = 'followup'

export interface ListLogsOptions {
  limit: number
  cursor?: string
  rule?: string
}

// Storage-only attributes, removed before a log leaves the repository.
function toLog<T extends LogSummary>(item: Record<string, unknown>): T {
  const { kind: _kind, sortKey: _sortKey, expiresAt: _expiresAt, ...entry } = item
  return entry as unknown as T
}

/**
 * Creates the run-log repository over one table; entries expire `retentionDays` after they start, measured by
 * `clock` (the real one unless a test injects its instant).
 */
export function createLogsRepository(doc: DynamoDBDocumentClient, table: string, retentionDays: number, clock: () => Date = () => new Date()) {
  return {
    /**
     * Writes a run once: a conditional put on eventId, so a redelivered invocation cannot log twice.
     * Throws LogExists when the eventId is already logged.
     */
    async put(entry: LogEntry): Promise<void> {
      const started = Date.parse(entry.startedAt)
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: {
            ...entry,
            kind: KIND,
            // startedAt sorts as text (ISO 8601, UTC); eventId breaks ties.
            sortKey: `${entry.startedAt}#${entry.eventId}`,
            expiresAt: Math.floor(started / 1000) + retentionDays * 86_400,
          },
          ConditionExpression: 'attribute_not_exists(eventId)',
        }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new LogExists(entry.eventId)
        throw e
      }
    },

    /**
     * Replaces a run already logged with its completed form (the follow-up check of databases that were still
     * stopping or starting); its expiry stays that of its start. Throws LogNotFound when it is not logged.
     */
    async complete(entry: LogEntry): Promise<void> {
      const started = Date.parse(entry.startedAt)
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...entry, kind: KIND, sortKey: `${entry.startedAt}#${entry.eventId}`, expiresAt: Math.floor(started / 1000) + retentionDays * 86_400 },
          ConditionExpression: 'attribute_exists(eventId)',
        }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new LogNotFound(entry.eventId)
        throw e
      }
    },

    /**
     * Claims the run `eventId` before it acts, so that two deliveries of one execution at the same moment cannot
     * both act: a conditional put that only one can win. A claim taken more than `staleMs` ago is taken over, as
     * its holder can no longer be running. Answers false when another delivery holds the claim.
     */
    async claim(eventId: string, now: Date, staleMs: number): Promise<boolean> {
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { eventId: `${CLAIM_PREFIX}${eventId}`, claimedAt: now.getTime(), expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_SECONDS },
          ConditionExpression: 'attribute_not_exists(eventId) OR claimedAt < :stale',
          ExpressionAttributeValues: { ':stale': now.getTime() - staleMs },
        }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /** Gives the claim of `eventId` up: its run is logged, or failed before acting and may be delivered again. */
    async release(eventId: string): Promise<void> {
      await doc.send(new DeleteCommand({ TableName: table, Key: { eventId: `${CLAIM_PREFIX}${eventId}` } }))
    },

    /** Records that run `eventId` waits for its follow-up check at `due`; it expires with the run's log. */
    async markFollowUp(eventId: string, due: string, startedAt: string): Promise<void> {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { eventId: `${FOLLOW_UP_PREFIX}${eventId}`, kind: FOLLOW_UP_KIND, sortKey: `${due}#${eventId}`, expiresAt: Math.floor(Date.parse(startedAt) / 1000) + retentionDays * 86_400 },
      }))
    },

    /** The check of run `eventId` has run: nothing waits for it any more. */
    async clearFollowUp(eventId: string): Promise<void> {
      await doc.send(new DeleteCommand({ TableName: table, Key: { eventId: `${FOLLOW_UP_PREFIX}${eventId}` } }))
    },

    /** Every follow-up check waiting, soonest first: `{ eventId, due }`. */
    async* followUpsWaiting(): AsyncGenerator<{ eventId: string, due: string }> {
      let startKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: LOGS_BY_TIME.index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'kind' },
          ExpressionAttributeValues: { ':pk': FOLLOW_UP_KIND },
          ExclusiveStartKey: startKey,
        }))
        for (const item of out.Items ?? []) {
          const sortKey = String(item.sortKey)
          yield { eventId: String(item.eventId).slice(FOLLOW_UP_PREFIX.length), due: sortKey.slice(0, sortKey.indexOf('#')) }
        }
        startKey = out.LastEvaluatedKey
      } while (startKey)
    },

    /** One run with every target; throws LogNotFound. */
    async get(eventId: string): Promise<LogEntry> {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { eventId }, ConsistentRead: true }))
      // Expired entries may linger until DynamoDB's TTL sweep removes them: hide them. A claim is no log.
      if (!Item || Item.kind !== KIND || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 < clock().getTime())) throw new LogNotFound(eventId)
      return toLog<LogEntry>(Item)
    },

    /**
     * Deletes runs older than the retention; answers how many. DynamoDB's TTL does this in AWS;
     * the embedded store has no TTL, so the app calls this there.
     */
    async pruneExpired(now = clock()): Promise<number> {
      const cutoff = new Date(now.getTime() - retentionDays * 86_400_000).toISOString()
      let deleted = 0
      for (;;) {
        // Oldest first, from the by-time index: expired runs are all at its start.
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: LOGS_BY_TIME.index,
          KeyConditionExpression: '#pk = :pk AND #sk < :cutoff',
          ExpressionAttributeNames: { '#pk': 'kind', '#sk': 'sortKey' },
          ExpressionAttributeValues: { ':pk': KIND, ':cutoff': cutoff },
          Limit: 25,
        }))
        const ids = (out.Items ?? []).map(i => i.eventId as string)
        if (ids.length === 0) return deleted
        let requests = ids.map(eventId => ({ DeleteRequest: { Key: { eventId } } }))
        while (requests.length) {
          const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }))
          requests = (res.UnprocessedItems?.[table] ?? []) as typeof requests
        }
        deleted += ids.length
      }
    },

    /** One page of runs, newest first: of one rule (by-rule index) or of all rules (by-time index). */
    async list({ limit, cursor, rule }: ListLogsOptions): Promise<Page<LogSummary>> {
      const byRule = rule !== undefined
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: byRule ? LOGS_BY_RULE.index : LOGS_BY_TIME.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byRule ? 'ruleName' : 'kind' },
        ExpressionAttributeValues: { ':pk': byRule ? rule : KIND },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: byRule
          ? decodeCursor(cursor, LOGS_BY_RULE.keys, { ruleName: rule })
          : decodeCursor(cursor, LOGS_BY_TIME.keys, { kind: KIND }),
      }))
      return { items: (out.Items ?? []).map(i => toLog<LogSummary>(i)), cursor: encodeCursor(out.LastEvaluatedKey) }
    },
  }
}

export type LogsRepository = ReturnType<typeof createLogsRepository>
