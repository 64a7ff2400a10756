// The run-log repository: a header item per run, keyed by eventId, with its outcomes in pages beside it when they do
// not fit one (log-pages.ts); newest-first lists from two indexes, which project neither.
import { randomUUID } from 'node:crypto'
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Page } from '#shared/schemas/list'
import type { LogEntry, LogHead, LogSummary, LogTarget, TargetPage } from '#shared/schemas/log'
import { decodeCursor, encodeCursor } from './cursor'
import { InvalidCursor, LogExists, LogNotFound } from './errors'
import { countsBy, decodeTargetCursor, encodeTargetCursor, targetMatches, matchingTotal, pageMayMatch, PAGE_PREFIX, targetPageKey, splitTargets } from './log-pages'
import type { SplitTargets, TargetFilter, TargetPageRef } from './log-pages'
import { LOGS_BY_RULE, LOGS_BY_TIME } from './tables'
import { batchWrite } from './batch-write'
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
  const { kind: _kind, sortKey: _sortKey, expiresAt: _expiresAt, writeId: _writeId, targetPages: _pages, ...entry } = item
  return entry as unknown as T
}

// BatchGetItem takes 100 keys; what DynamoDB leaves unprocessed is asked again (writes: batch-write.ts).
const READ_BATCH = 100

interface Header { item: Record<string, unknown>, refs: TargetPageRef[], writeId: string }

/**
 * Creates the run-log repository over one table; entries expire `retentionDays` after they start, measured by
 * `clock` (the real one unless a test injects its instant). A run is a header item and, when its outcomes do not fit
 * one page, page items beside it (log-pages.ts), all expiring together.
 */
export function createLogsRepository(doc: DynamoDBDocumentClient, table: string, retentionDays: number, clock: () => Date = () => new Date()) {
  const expiryOf = (entry: LogEntry) => Math.floor(Date.parse(entry.startedAt) / 1000) + retentionDays * 86_400

  /** Writes the pages a header will name, before it (a crash between leaves pages no header names: they expire). */
  async function writePages(entry: LogEntry, writeId: string, pages: SplitTargets['pages'], expiresAt: number): Promise<void> {
    // A page's outcomes are one JSON string: DynamoDB counts its size as exactly its bytes, and reads and writes one
    // value, not a map per outcome (moto takes seconds over a page of maps).
    await batchWrite(doc, table, pages.map(p => ({ PutRequest: { Item: { eventId: targetPageKey(entry.eventId, writeId, p.ref), targets: JSON.stringify(p.targets), expiresAt } } })))
  }

  /** Deletes pages no header names any more; best effort, as they expire anyway. */
  async function dropPages(eventId: string, writeId: string, refs: readonly TargetPageRef[]): Promise<void> {
    await batchWrite(doc, table, refs.map(ref => ({ DeleteRequest: { Key: { eventId: targetPageKey(eventId, writeId, ref) } } }))).catch(() => undefined)
  }

  /** The header item and the pages of `entry`, under a new write id. */
  function layout(entry: LogEntry) {
    const writeId = randomUUID()
    const expiresAt = expiryOf(entry)
    const by = countsBy(entry)
    const headerItem = (inline: LogTarget[], refs: TargetPageRef[]) => ({
      ...entry,
      targets: inline,
      countsBy: by,
      ...(refs.length ? { targetPages: refs } : {}),
      writeId,
      kind: KIND,
      // startedAt sorts as text (ISO 8601, UTC); eventId breaks ties.
      sortKey: `${entry.startedAt}#${entry.eventId}`,
      expiresAt,
    })
    const { inline, pages } = splitTargets(entry, headerItem)
    return { writeId, expiresAt, pages, item: headerItem(inline, pages.map(p => p.ref)) }
  }

  /**
   * The header of `eventId`, or null when it is not logged (a claim is no log; an expired one lingers in AWS); with
   * `withoutTargets`, only what finding its pages takes (a header read past its own page of outcomes).
   */
  async function readHeader(eventId: string, withoutTargets = false): Promise<Header | null> {
    const { Item } = await doc.send(new GetCommand({
      TableName: table, Key: { eventId }, ConsistentRead: true,
      ...(withoutTargets ? { ProjectionExpression: 'eventId, kind, expiresAt, accountId, writeId, targetPages, countsBy' } : {}),
    }))
    if (!Item || Item.kind !== KIND || (typeof Item.expiresAt === 'number' && Item.expiresAt * 1000 < clock().getTime())) return null
    return { item: Item, refs: (Item.targetPages as TargetPageRef[] | undefined) ?? [], writeId: Item.writeId as string }
  }

  async function header(eventId: string, withoutTargets = false): Promise<Header> {
    const found = await readHeader(eventId, withoutTargets)
    if (!found) throw new LogNotFound(eventId)
    return found
  }

  /** The targets of the pages `refs` of a header, in their order. */
  async function readPages(eventId: string, h: Header, refs: readonly TargetPageRef[]): Promise<LogTarget[][]> {
    const keys = refs.map(ref => targetPageKey(eventId, h.writeId, ref))
    const found = new Map<string, LogTarget[]>()
    for (let i = 0; i < keys.length; i += READ_BATCH) {
      let request: Record<string, unknown>[] | undefined = keys.slice(i, i + READ_BATCH).map(k => ({ eventId: k }))
      while (request?.length) {
        const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: true } } }))
        for (const item of out.Responses?.[table] ?? []) found.set(item.eventId as string, JSON.parse(item.targets as string) as LogTarget[])
        request = out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined
      }
    }
    return keys.map((k) => {
      const targets = found.get(k)
      if (!targets) throw new Error(`a page of outcomes of run ${eventId} is missing (${k})`)
      return targets
    })
  }

  /** The chunks of a run's outcomes: 0 the header's own, then each page, read only when asked. */
  function chunksOf(eventId: string, h: Header) {
    const inline = h.item.targets as LogTarget[]
    return {
      count: h.refs.length + 1,
      ref: (c: number) => (c === 0 ? undefined : h.refs[c - 1]),
      read: async (c: number) => (c === 0 ? inline : (await readPages(eventId, h, [h.refs[c - 1]!]))[0]!),
    }
  }

  /**
   * Deletes the pages of outcomes whose run has expired, and those no header names (a write cut short); answers
   * how many. A Scan: only the embedded store prunes, once a day, as DynamoDB's TTL does this in AWS.
   */
  async function prunePages(now: Date): Promise<number> {
    let deleted = 0
    let start: Record<string, unknown> | undefined
    do {
      const out = await doc.send(new ScanCommand({
        TableName: table,
        FilterExpression: 'begins_with(eventId, :prefix) AND expiresAt < :now',
        ExpressionAttributeValues: { ':prefix': PAGE_PREFIX, ':now': Math.floor(now.getTime() / 1000) },
        ProjectionExpression: 'eventId',
        ExclusiveStartKey: start,
      }))
      const keys = (out.Items ?? []).map(i => ({ DeleteRequest: { Key: { eventId: i.eventId as string } } }))
      await batchWrite(doc, table, keys)
      deleted += keys.length
      start = out.LastEvaluatedKey
    } while (start)
    return deleted
  }

  return {
    /**
     * Writes a run once: its pages, then its header with a conditional put on eventId, so a redelivered invocation
     * cannot log twice. Throws LogExists when the eventId is already logged (the pages this write left are deleted).
     */
    async put(entry: LogEntry): Promise<void> {
      const { writeId, expiresAt, pages, item } = layout(entry)
      await writePages(entry, writeId, pages, expiresAt)
      try {
        await doc.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_not_exists(eventId)' }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        await dropPages(entry.eventId, writeId, pages.map(p => p.ref))
        throw new LogExists(entry.eventId)
      }
    },

    /**
     * Replaces a run already logged with its completed form (the follow-up check of databases that were still
     * stopping or starting), pages and all; its expiry stays that of its start. Throws LogNotFound when it is not
     * logged. The new pages are written first, then the header; the old pages are deleted after.
     */
    async complete(entry: LogEntry): Promise<void> {
      const before = await header(entry.eventId)
      const { writeId, expiresAt, pages, item } = layout(entry)
      await writePages(entry, writeId, pages, expiresAt)
      try {
        await doc.send(new PutCommand({ TableName: table, Item: item, ConditionExpression: 'attribute_exists(eventId)' }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new LogNotFound(entry.eventId)
        throw e
      }
      await dropPages(entry.eventId, before.writeId, before.refs)
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

    /** Renews the claim of `eventId` (its holder is alive); a claim another delivery took over is left to it. */
    async heartbeat(eventId: string, now: Date): Promise<void> {
      try {
        await doc.send(new UpdateCommand({
          TableName: table,
          Key: { eventId: `${CLAIM_PREFIX}${eventId}` },
          UpdateExpression: 'SET claimedAt = :now',
          ConditionExpression: 'attribute_exists(eventId)',
          ExpressionAttributeValues: { ':now': now.getTime() },
        }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
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

    /** One run with every target, from all its pages; throws LogNotFound. */
    async get(eventId: string): Promise<LogEntry> {
      const h = await header(eventId)
      const { countsBy: _by, ...entry } = toLog<LogEntry>(h.item)
      if (h.refs.length === 0) return entry
      return { ...entry, targets: [...entry.targets, ...(await readPages(eventId, h, h.refs)).flat()] }
    },

    /** One run's header with the first page of its outcomes, and the cursor to the rest; throws LogNotFound. */
    async head(eventId: string): Promise<LogHead> {
      const h = await header(eventId)
      const entry = toLog<LogEntry>(h.item)
      const withCounts = { ...entry, countsBy: entry.countsBy ?? countsBy(entry) }
      if (entry.targets.length > 0 || h.refs.length === 0) {
        return { ...withCounts, targetsCursor: encodeTargetCursor(h.refs.length ? { c: 1, o: 0 } : null) }
      }
      // The first page did not fit in the header: it is the first page item.
      const [first] = await readPages(eventId, h, h.refs.slice(0, 1))
      return { ...withCounts, targets: first!, targetsCursor: encodeTargetCursor(h.refs.length > 1 ? { c: 2, o: 0 } : null) }
    },

    /**
     * A page of one run's outcomes, in their stored order, that match `filter`, from `cursor` on; the pages that
     * cannot hold a match (another account, none of that outcome) are not read. Throws LogNotFound, InvalidCursor.
     */
    async targets(eventId: string, { cursor, limit, ...filter }: TargetFilter & { cursor?: string, limit: number }): Promise<TargetPage> {
      const at = decodeTargetCursor(cursor)
      // Past the header's own page, its outcomes are not read again (a header before counts, without pages, has no other).
      const h = await header(eventId, at.c > 0)
      const entry = toLog<LogEntry>(h.item)
      const chunks = chunksOf(eventId, h)
      if (at.c >= chunks.count) throw new InvalidCursor()
      const items: LogTarget[] = []
      const total = matchingTotal(entry.countsBy ?? countsBy(entry), filter)
      const later = (c: number) => Array.from({ length: chunks.count - c - 1 }, (_, i) => chunks.ref(c + 1 + i)!).some(ref => pageMayMatch(ref, filter))
      for (let c = at.c; c < chunks.count; c++) {
        const ref = chunks.ref(c)
        if (ref && !pageMayMatch(ref, filter)) continue
        const targets = await chunks.read(c)
        for (let o = c === at.c ? at.o : 0; o < targets.length; o++) {
          if (!targetMatches(targets[o]!, entry, filter)) continue
          if (items.length === limit) return { items, total, cursor: encodeTargetCursor({ c, o }) }
          items.push(targets[o]!)
        }
        if (items.length === limit) return { items, total, cursor: encodeTargetCursor(later(c) ? { c: c + 1, o: 0 } : null) }
      }
      return { items, total, cursor: null }
    },

    /**
     * Deletes runs older than the retention, then their pages of outcomes; answers how many runs. DynamoDB's TTL
     * does this in AWS; the embedded store has no TTL, so the app calls this there.
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
        if (ids.length === 0) {
          await prunePages(now)
          return deleted
        }
        await batchWrite(doc, table, ids.map(eventId => ({ DeleteRequest: { Key: { eventId } } })))
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
