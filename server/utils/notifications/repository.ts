// The notifications table: channels (one partition, in name order, each change checked against its version), each
// run's deliveries (one item per channel, written first as a claim with a conditional put, so a redelivered run
// sends nothing twice) and the deliveries still to retry. Deliveries expire with their run (expiresAt, TTL in AWS).
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { ChannelEvent, ChannelType, DeliveryRecord } from '#shared/schemas/channel'
import { isConditionFailure } from '../conditional-write'
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
  eventId: string
  expiresAt: number
}

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

  async function queryAll(pk: string): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = []
    let startKey: Record<string, unknown> | undefined
    do {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': pk },
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
          Item: { ...delivery, pk: runKey(delivery.eventId), sk: delivery.channel },
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

    /** Records how a claimed delivery went; a pending one is also listed for a later retry, a finished one no more. */
    async recordDelivery(delivery: StoredDelivery): Promise<void> {
      await doc.send(new PutCommand({ TableName: table, Item: { ...delivery, pk: runKey(delivery.eventId), sk: delivery.channel } }))
      const key = { pk: PENDING, sk: `${delivery.eventId}#${delivery.channel}` }
      if (delivery.status === 'pending') await doc.send(new PutCommand({ TableName: table, Item: { ...key, eventId: delivery.eventId, channel: delivery.channel, expiresAt: delivery.expiresAt } }))
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
  }
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>
