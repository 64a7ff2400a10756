// The journal of a run over several accounts, while it runs: which accounts it works on (fixed at its first
// delivery), and each account-region's outcome as soon as it is done. A delivery that takes a killed run over reads
// it and acts only where nothing is recorded, so no resource is acted on twice and none is left out; the sweeper finds
// the journals of runs no delivery finished (run-resume.ts). Items of the logs table, keyed apart from runs, claims and
// pages; the journal's head sits in a by-time partition of its own (kind `journal`), which no list reads.
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { ExecutionPayload } from '#shared/schemas/execution'
import type { LogEntry, LogTarget } from '#shared/schemas/log'
import { batchWrite } from './batch-write'
import { isConditionFailure } from './conditional-write'
import { LOGS_BY_TIME } from './tables'

const PREFIX = 'journal#'
const KIND = 'journal'
// A journal outlives any resume (run-resume.ts gives up on a run after an hour): two days, then DynamoDB's TTL.
const TTL_SECONDS = 2 * 86_400
const READ_BATCH = 100

/** The settings a run logs (its rule's, as the first delivery read them). */
export type JournalSettings = Pick<LogEntry, 'action' | 'accountId' | 'accountIds' | 'organizationalUnits' | 'regions' | 'filters' | 'resourceTypes'>

/** The executor's RunSpec of the run, less its account (see executor/deps.ts); kept as data here, with no import of it. */
export interface JournalSpec {
  ruleName: string
  action: 'start' | 'stop'
  regions: string[]
  hibernate: boolean
  filters: LogEntry['filters']
  resourceTypes?: LogEntry['resourceTypes']
  timezone?: string
  askedAt?: string
}

/** What a run's first delivery fixed: its payload, settings, when it started and asked, and the accounts it works on. */
export interface JournalHead {
  eventId: string
  payload: ExecutionPayload
  settings: JournalSettings
  /** What each account is run with (the executor's RunSpec, less the account). */
  spec: JournalSpec
  startedAt: string
  askedAt: string
  accountIds: string[]
  regions: string[]
  /** Why the rule's units reached no account this time (the explicit accounts still ran). */
  reachError?: string
  /** A run fanned out: its accounts in this many chunks of `chunkSize`, each run by an invocation of its own. */
  chunks?: number
  chunkSize?: number
  /** The chunks that have finished. */
  doneChunks?: number[]
}

/** An account-region's outcome: what was done to each resource, or why the region could not be worked. */
export interface RegionRecord {
  targets: LogTarget[]
  error?: string
}

const regionKey = (eventId: string, accountId: string, region: string) => `${PREFIX}${eventId}#${accountId}#${region}`

/** The journal over one table (the logs table); `clock` dates the items' expiry. */
export function createRunJournal(doc: DynamoDBDocumentClient, table: string, clock: () => Date = () => new Date()) {
  const expiresAt = () => Math.floor(clock().getTime() / 1000) + TTL_SECONDS

  const toHead = (item: Record<string, unknown>): JournalHead => ({
    eventId: String(item.eventId).slice(PREFIX.length),
    payload: JSON.parse(item.payload as string) as ExecutionPayload,
    settings: JSON.parse(item.settings as string) as JournalSettings,
    spec: JSON.parse(item.spec as string) as JournalSpec,
    startedAt: item.startedAt as string,
    askedAt: item.askedAt as string,
    accountIds: item.accountIds as string[],
    regions: item.regions as string[],
    ...(item.reachError ? { reachError: item.reachError as string } : {}),
    ...(typeof item.chunks === 'number' ? { chunks: item.chunks, chunkSize: item.chunkSize as number } : {}),
    ...(item.doneChunks ? { doneChunks: [...(item.doneChunks as Set<number>)].sort((a, b) => a - b) } : {}),
  })

  return {
    /**
     * Opens the journal of a run, or answers the one a delivery before opened (its accounts are the run's, even
     * when the organization has changed since): a conditional put that only the first delivery wins.
     */
    async open(head: JournalHead): Promise<JournalHead> {
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: {
            eventId: `${PREFIX}${head.eventId}`,
            kind: KIND,
            sortKey: `${head.startedAt}#${head.eventId}`,
            payload: JSON.stringify(head.payload),
            settings: JSON.stringify(head.settings),
            spec: JSON.stringify(head.spec),
            startedAt: head.startedAt,
            askedAt: head.askedAt,
            accountIds: head.accountIds,
            regions: head.regions,
            ...(head.reachError ? { reachError: head.reachError } : {}),
            ...(head.chunks ? { chunks: head.chunks, chunkSize: head.chunkSize } : {}),
            expiresAt: expiresAt(),
          },
          ConditionExpression: 'attribute_not_exists(eventId)',
        }))
        return head
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        const found = await this.head(head.eventId)
        if (!found) throw new Error(`the journal of run ${head.eventId} vanished while it was opened`, { cause: e })
        return found
      }
    },

    /** The journal's head of run `eventId`, or null. */
    async head(eventId: string): Promise<JournalHead | null> {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { eventId: `${PREFIX}${eventId}` }, ConsistentRead: true }))
      return Item ? toHead(Item) : null
    },

    /** Records an account-region's outcome, once it is done. */
    async record(eventId: string, accountId: string, region: string, outcome: RegionRecord): Promise<void> {
      await doc.send(new PutCommand({
        TableName: table,
        Item: { eventId: regionKey(eventId, accountId, region), targets: JSON.stringify(outcome.targets), ...(outcome.error ? { error: outcome.error } : {}), expiresAt: expiresAt() },
      }))
    },

    /** Marks chunk `chunk` of a fanned-out run finished; answers every chunk finished so far (this one included). */
    async chunkDone(eventId: string, chunk: number): Promise<number[]> {
      const out = await doc.send(new UpdateCommand({
        TableName: table,
        Key: { eventId: `${PREFIX}${eventId}` },
        UpdateExpression: 'ADD doneChunks :chunk',
        ConditionExpression: 'attribute_exists(eventId)',
        ExpressionAttributeValues: { ':chunk': new Set([chunk]) },
        ReturnValues: 'ALL_NEW',
      }))
      return [...(out.Attributes?.doneChunks as Set<number>)].sort((a, b) => a - b)
    },

    /** The outcomes recorded so far, by `account#region`, of the accounts asked (all of the run's by default). */
    async recorded(head: Pick<JournalHead, 'eventId' | 'accountIds' | 'regions'>, accountIds: readonly string[] = head.accountIds): Promise<Map<string, RegionRecord>> {
      const keys = accountIds.flatMap(a => head.regions.map(r => regionKey(head.eventId, a, r)))
      const found = new Map<string, RegionRecord>()
      const prefix = `${PREFIX}${head.eventId}#`
      for (let i = 0; i < keys.length; i += READ_BATCH) {
        let request: Record<string, unknown>[] | undefined = keys.slice(i, i + READ_BATCH).map(k => ({ eventId: k }))
        while (request?.length) {
          const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: request, ConsistentRead: true } } }))
          for (const item of out.Responses?.[table] ?? []) {
            found.set(String(item.eventId).slice(prefix.length), {
              targets: JSON.parse(item.targets as string) as LogTarget[],
              ...(item.error ? { error: item.error as string } : {}),
            })
          }
          request = out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined
        }
      }
      return found
    },

    /** Deletes the journal of a logged run: its head first (the sweeper then forgets it), then its outcomes. */
    async close(head: Pick<JournalHead, 'eventId' | 'accountIds' | 'regions'>): Promise<void> {
      await doc.send(new DeleteCommand({ TableName: table, Key: { eventId: `${PREFIX}${head.eventId}` } }))
      await batchWrite(doc, table, head.accountIds.flatMap(a => head.regions.map(r => ({ DeleteRequest: { Key: { eventId: regionKey(head.eventId, a, r) } } }))))
    },

    /** Every open journal, oldest first: runs not logged yet (running, or killed). */
    async* unfinished(): AsyncGenerator<JournalHead> {
      let startKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: LOGS_BY_TIME.index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'kind' },
          ExpressionAttributeValues: { ':pk': KIND },
          ExclusiveStartKey: startKey,
        }))
        for (const item of out.Items ?? []) {
          // The index projects keys only: the head is read whole.
          const head = await this.head(String(item.eventId).slice(PREFIX.length))
          if (head) yield head
        }
        startKey = out.LastEvaluatedKey
      } while (startKey)
    },
  }
}

export type RunJournal = ReturnType<typeof createRunJournal>
