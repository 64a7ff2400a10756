// The notifications table: channels (one partition, in name order, each change checked against its version), each
// run's deliveries (one item per channel, written first as a claim with a conditional put, so a redelivered run
// sends nothing twice) and the deliveries still to retry. Deliveries expire with their run (expiresAt, TTL in AWS).
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { ChannelEvent, ChannelType, DeliveryRecord } from '#shared/schemas/channel'
import { isConditionFailure } from '../conditional-write'
import { batchWrite } from '../batch-write'
import { ChannelExists, ChannelNotFound, VersionConflict } from '../errors'

const CHANNELS = 'channel'
const PENDING = 'pending'
const runKey = (eventId: string) => `run#${eventId}`

/** A channel as stored, its secrets in full (they never leave the server after creation: see views.ts). */
export interface StoredChannel {
  name: string
  type: ChannelType
  description?: string
  url?: string
  secret?: string
  topicArn?: string
  busName?: string
  events: ChannelEvent[]
  rules: 'all' | string[]
  enabled: boolean
  createdAt: string
  updatedAt: string
  version: number
}

/** A delivery as stored: its record, and when it expires (with its run). */
export interface StoredDelivery extends DeliveryRecord {
  /** The partition: the run's event id (its own notice and its follow-up's), or the key of a notice of no run. */
  eventId: string
  expiresAt: number
}

/** A delivery waiting for its retry; a notice no run's log rebuilds (a follow-up's, a drift's, an override's) is kept with it. */
export interface PendingDelivery {
  eventId: string
  channel: string
  part?: string
  /** The notice as sent (JSON), its event and delivery id in it. */
  notice?: string
}

/** The sort key of a delivery in its partition: the channel, and the part for a second notice of the same run. */
export const deliverySortKey = (d: { channel: string, part?: string }) => (d.part ? `${d.channel}#${d.part}` : d.channel)

function toChannel(item: Record<string, unknown>): StoredChannel {
  const { pk: _pk, sk: _sk, ...channel } = item
  return channel as unknown as StoredChannel
}

function toDelivery(item: Record<string, unknown>): StoredDelivery {
  const { pk: _pk, sk: _sk, ...delivery } = item
  return delivery as unknown as StoredDelivery
}

/** Creates the notifications repository over one table. */
export function createNotificationsRepository(doc: DynamoDBDocumentClient, table: string) {
  async function get(name: string): Promise<StoredChannel> {
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { pk: CHANNELS, sk: name }, ConsistentRead: true }))
    if (!Item) throw new ChannelNotFound(name)
    return toChannel(Item)
  }

  async function queryAll(pk: string, skPrefix?: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = []
    let startKey: Record<string, unknown> | undefined
    do {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: skPrefix ? 'pk = :pk AND begins_with(sk, :sk)' : 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk, ...(skPrefix ? { ':sk': skPrefix } : {}) },
        ConsistentRead: true,
        ExclusiveStartKey: startKey,
      }))
      items.push(...(out.Items ?? []))
      startKey = out.LastEvaluatedKey
    } while (startKey)
    return items
  }

  return {
    get,

    /** Every channel, in name order (a handful: one partition, read whole). */
    async list(): Promise<StoredChannel[]> {
      return (await queryAll(CHANNELS)).map(toChannel)
    },

    /** Stores a new channel; throws ChannelExists. */
    async create(channel: StoredChannel): Promise<void> {
      try {
        await doc.send(new PutCommand({ TableName: table, Item: { ...channel, pk: CHANNELS, sk: channel.name }, ConditionExpression: 'attribute_not_exists(pk)' }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new ChannelExists(channel.name)
        throw e
      }
    },

    /** Replaces a channel that is still at `expected`; throws ChannelNotFound or VersionConflict. */
    async replace(channel: StoredChannel, expected: number): Promise<void> {
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...channel, pk: CHANNELS, sk: channel.name },
          ConditionExpression: 'attribute_exists(pk) AND version = :v',
          ExpressionAttributeValues: { ':v': expected },
        }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        const current = await get(channel.name)
        throw new VersionConflict(channel.name, expected, current.version, 'channel')
      }
    },

    /** Deletes a channel and answers it; throws ChannelNotFound. */
    async remove(name: string): Promise<StoredChannel> {
      const { Attributes } = await doc.send(new DeleteCommand({ TableName: table, Key: { pk: CHANNELS, sk: name }, ReturnValues: 'ALL_OLD' }))
      if (!Attributes) throw new ChannelNotFound(name)
      return toChannel(Attributes)
    },

    /**
     * Claims the delivery of a run's event to one channel: a conditional put that only the first delivery of the
     * run wins. A claim left `sending` for longer than `staleMs` (its process died) or `pending` (past the deadline)
     * is taken over. Answers false when the delivery is done or under way elsewhere.
     */
    async claimDelivery(delivery: StoredDelivery, staleMs: number): Promise<boolean> {
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...delivery, pk: runKey(delivery.eventId), sk: deliverySortKey(delivery) },
          ConditionExpression: 'attribute_not_exists(pk) OR #s = :pending OR (#s = :sending AND #at < :stale)',
          ExpressionAttributeNames: { '#s': 'status', '#at': 'at' },
          ExpressionAttributeValues: { ':pending': 'pending', ':sending': 'sending', ':stale': new Date(Date.parse(delivery.at) - staleMs).toISOString() },
        }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /**
     * Records how a claimed delivery went; a pending one is also listed for a later retry (with `notice` when its log
     * cannot rebuild it), a finished one no more.
     */
    async recordDelivery(delivery: StoredDelivery, notice?: string): Promise<void> {
      const sk = deliverySortKey(delivery)
      await doc.send(new PutCommand({ TableName: table, Item: { ...delivery, pk: runKey(delivery.eventId), sk } }))
      const key = { pk: PENDING, sk: `${delivery.eventId}#${sk}` }
      if (delivery.status === 'pending') {
        const item: PendingDelivery & { expiresAt: number } = {
          eventId: delivery.eventId, channel: delivery.channel, expiresAt: delivery.expiresAt,
          ...(delivery.part ? { part: delivery.part } : {}), ...(notice ? { notice } : {}),
        }
        await doc.send(new PutCommand({ TableName: table, Item: { ...key, ...item } }))
      }
      else await doc.send(new DeleteCommand({ TableName: table, Key: key }))
    },

    /** The deliveries of one run, in channel order. */
    async deliveriesOf(eventId: string): Promise<StoredDelivery[]> {
      return (await queryAll(runKey(eventId))).map(toDelivery)
    },

    /** The runs with a delivery left pending, to retry. */
    async pendingRuns(): Promise<string[]> {
      return [...new Set((await queryAll(PENDING)).map(i => String(i.eventId)))]
    },

    /** The deliveries of one run (or notice) left pending. */
    async pendingOf(eventId: string): Promise<PendingDelivery[]> {
      return (await queryAll(PENDING, `${eventId}#`)).map(({ pk: _p, sk: _s, expiresAt: _x, ...rest }) => rest as unknown as PendingDelivery)
    },

    /**
     * Deletes every delivery, pending one and notice whose run has expired; answers how many. DynamoDB's TTL does
     * this in AWS; the embedded store has none, so the app calls this there, beside the logs' pruning.
     */
    async pruneExpired(now: Date = new Date()): Promise<number> {
      let deleted = 0
      let startKey: Record<string, unknown> | undefined
      do {
        // A Scan, in embedded mode only: the table has no index by time, and every item but the few channels has a TTL.
        const out = await doc.send(new ScanCommand({
          TableName: table,
          FilterExpression: 'expiresAt < :now',
          ExpressionAttributeValues: { ':now': Math.floor(now.getTime() / 1000) },
          ProjectionExpression: 'pk, sk',
          ExclusiveStartKey: startKey,
        }))
        const requests = (out.Items ?? []).map(i => ({ DeleteRequest: { Key: { pk: i.pk, sk: i.sk } } }))
        await batchWrite(doc, table, requests)
        deleted += requests.length
        startKey = out.LastEvaluatedKey
      } while (startKey)
      return deleted
    },
  }
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>
