// The reverts waiting for an override's end: one item per instance, in the overrides table under a partition of its own
// (by-until, kind `revert`), saying what state the instance gets when its override ends. A rule that skips an instance
// because of an override records (or updates) it; the latest firing wins, so the instance gets what its rules asked
// for last. The item goes once the revert has run; an item whose run failed stays, and reconcileReverts runs it.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { ResourceType } from '#shared/resource-types'
import type { OverrideSource } from '#shared/schemas/override'
import { isConditionFailure } from '../conditional-write'
import { OVERRIDES_BY_UNTIL } from '../tables'

const KIND = 'revert'
// A revert that never ran (the app was gone for long) is dropped from the table a week after its time.
const KEEP_SECONDS = 7 * 86_400

/** The state an instance gets at the end of its override. */
export interface Revert {
  /** `revert#<account>#<region>#<instance>`: one per instance. */
  key: string
  accountId: string
  region: string
  instanceId: string
  /** When: the override's end (UTC ISO 8601). */
  at: string
  action: 'start' | 'stop'
  hibernate: boolean
  /** The rule whose skipped firing asked for that state, when it fired, and its zone (for a skip-until tag's date). */
  rule: string
  askedAt: string
  timezone: string
  override: OverrideSource
  /** The kind of resource `instanceId` names; an EC2 instance when absent (as every revert before other types). */
  resourceType?: ResourceType
}

/** The key of a resource's revert; an EC2 instance's as before other types, the others' with their type. */
export const revertKey = (accountId: string, region: string, instanceId: string, resourceType?: ResourceType) =>
  `revert#${accountId}#${region}#${!resourceType || resourceType === 'ec2' ? '' : `${resourceType}:`}${instanceId}`

function toRevert(item: Record<string, unknown>): Revert {
  const { id, kind: _kind, sortKey: _sortKey, expiresAt: _expiresAt, ...rest } = item
  return { key: id as string, ...rest } as Revert
}

/** Creates the reverts repository over the overrides table. */
export function createRevertsRepository(doc: DynamoDBDocumentClient, table: string) {
  return {
    /**
     * Records the revert of an instance, unless one from a later firing is there already; answers whether it was
     * recorded (its time may have changed: the caller schedules it).
     */
    async record(revert: Omit<Revert, 'key'>): Promise<Revert | null> {
      const key = revertKey(revert.accountId, revert.region, revert.instanceId, revert.resourceType)
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...revert, id: key, kind: KIND, sortKey: `${revert.at}#${key}`, expiresAt: Math.ceil(Date.parse(revert.at) / 1000) + KEEP_SECONDS },
          ConditionExpression: 'attribute_not_exists(id) OR askedAt <= :askedAt',
          ExpressionAttributeValues: { ':askedAt': revert.askedAt },
        }))
        return { ...revert, key }
      }
      catch (e) {
        if (isConditionFailure(e)) return null
        throw e
      }
    },

    /** The revert waiting under `key`, or null. */
    async get(key: string): Promise<Revert | null> {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { id: key }, ConsistentRead: true }))
      return Item && Item.kind === KIND ? toRevert(Item) : null
    },

    /** Removes the revert once it has run, unless it was moved to another time meanwhile (the instance was overridden again). */
    async done(key: string, at: string): Promise<boolean> {
      try {
        await doc.send(new DeleteCommand({ TableName: table, Key: { id: key }, ConditionExpression: '#at = :at', ExpressionAttributeNames: { '#at': 'at' }, ExpressionAttributeValues: { ':at': at } }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /** Every revert waiting, soonest first. */
    async* pending(): AsyncGenerator<Revert> {
      let startKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: OVERRIDES_BY_UNTIL.index,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': 'kind' },
          ExpressionAttributeValues: { ':pk': KIND },
          ExclusiveStartKey: startKey,
        }))
        for (const item of out.Items ?? []) yield toRevert(item)
        startKey = out.LastEvaluatedKey
      } while (startKey)
    },
  }
}

export type RevertsRepository = ReturnType<typeof createRevertsRepository>
