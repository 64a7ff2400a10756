// The run-log repository: one item per run, keyed by eventId, newest-first lists from two indexes.
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Page } from '#shared/schemas/list'
import type { LogEntry, LogSummary } from '#shared/schemas/log'
import { decodeCursor, encodeCursor } from './cursor'
import { LogExists, LogNotFound } from './errors'
import { LOGS_BY_RULE, LOGS_BY_TIME } from './tables'

// Constant partition key of the by-time index: a run is written at most a few times a second.
const KIND = 'log'

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

/** Creates the run-log repository over one table; entries expire `retentionDays` after they start. */
export function createLogsRepository(doc: DynamoDBDocumentClient, table: string, retentionDays: number) {
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
        if ((e as Error).name === 'ConditionalCheckFailedException') throw new LogExists(entry.eventId)
        throw e
      }
    },

    /** One run with every target; throws LogNotFound. */
    async get(eventId: string): Promise<LogEntry> {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { eventId }, ConsistentRead: true }))
      // Expired entries may linger until DynamoDB's TTL sweep removes them: hide them.
      if (!Item || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 < Date.now())) throw new LogNotFound(eventId)
      return toLog<LogEntry>(Item)
    },

    /**
     * Deletes runs older than the retention; answers how many. DynamoDB's TTL does this in AWS;
     * the embedded store has no TTL, so the app calls this there.
     */
    async pruneExpired(now = new Date()): Promise<number> {
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
