// The overrides repository: one item per override, keyed by id, expiring at its end (the expiresAt TTL attribute in
// AWS). DynamoDB deletes expired items up to days late and moto and dynalite never do, so every read leaves out the
// overrides that have ended by the repository's clock. Lists come from Query: the active ones of all instances in
// order of their end (by-until), and those of one account and region (by-target), which a run reads once per region.
import { randomUUID } from 'node:crypto'
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Page } from '#shared/schemas/list'
import type { Override, OverrideInput } from '#shared/schemas/override'
import { decodeCursor, encodeCursor } from '../cursor'
import { OverrideNotFound } from '../errors'
import { OVERRIDES_BY_TARGET, OVERRIDES_BY_UNTIL } from '../tables'

// The constant partition of by-until for overrides; the reverts that share the table use their own (reverts.ts).
const KIND = 'override'

/** The by-target partition of an account and region. */
export const targetKey = (accountId: string, region: string) => `${accountId}#${region}`

// Storage-only attributes, removed before an override leaves the repository.
function toOverride(item: Record<string, unknown>): Override {
  const { kind: _kind, target: _target, sortKey: _sortKey, expiresAt: _expiresAt, ...override } = item
  return override as unknown as Override
}

/** Creates the overrides repository over one table; `clock` says what has ended (a test injects its instant). */
export function createOverridesRepository(doc: DynamoDBDocumentClient, table: string, clock: () => Date = () => new Date()) {
  const active = (item: Record<string, unknown> | undefined): item is Record<string, unknown> =>
    Boolean(item && item.kind === KIND && Date.parse(String(item.until)) > clock().getTime())

  async function get(id: string): Promise<Override> {
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }))
    if (!active(Item)) throw new OverrideNotFound(id)
    return toOverride(Item)
  }

  return {
    get,

    /** Stores a new override made by `by`. */
    async create(input: OverrideInput, by: Override['createdBy'], now = clock()): Promise<Override> {
      const override: Override = { ...input, id: randomUUID(), createdAt: now.toISOString(), createdBy: by }
      await doc.send(new PutCommand({
        TableName: table,
        Item: {
          ...override,
          kind: KIND,
          target: targetKey(input.accountId, input.region),
          sortKey: `${input.until}#${override.id}`,
          expiresAt: Math.ceil(Date.parse(input.until) / 1000),
        },
        ConditionExpression: 'attribute_not_exists(id)',
      }))
      return override
    },

    /** One page of the overrides still active, soonest end first. */
    async list({ limit, cursor }: { limit: number, cursor?: string }): Promise<Page<Override>> {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: OVERRIDES_BY_UNTIL.index,
        KeyConditionExpression: '#pk = :pk AND #sk > :now',
        ExpressionAttributeNames: { '#pk': 'kind', '#sk': 'sortKey' },
        ExpressionAttributeValues: { ':pk': KIND, ':now': clock().toISOString() },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, OVERRIDES_BY_UNTIL.keys, { kind: KIND }),
      }))
      return { items: (out.Items ?? []).filter(active).map(toOverride), cursor: encodeCursor(out.LastEvaluatedKey) }
    },

    /**
     * The overrides whose time ran out after `from` and by now (not those ended early: they are deleted), soonest
     * first: the reconcile tells their end. DynamoDB's TTL deletes them days late at best, so they are still there.
     */
    async endedSince(from: Date): Promise<Override[]> {
      const now = clock().toISOString()
      const ended: Override[] = []
      let startKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: OVERRIDES_BY_UNTIL.index,
          KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :from AND :now',
          ExpressionAttributeNames: { '#pk': 'kind', '#sk': 'sortKey' },
          ExpressionAttributeValues: { ':pk': KIND, ':from': from.toISOString(), ':now': now },
          ExclusiveStartKey: startKey,
        }))
        for (const item of out.Items ?? []) if (!active(item)) ended.push(toOverride(item))
        startKey = out.LastEvaluatedKey
      } while (startKey)
      return ended
    },

    /** Every override active now on an instance of `accountId` in `region`. */
    async activeIn(accountId: string, region: string): Promise<Override[]> {
      const found: Override[] = []
      let startKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: OVERRIDES_BY_TARGET.index,
          KeyConditionExpression: '#pk = :pk AND #sk > :now',
          ExpressionAttributeNames: { '#pk': 'target', '#sk': 'sortKey' },
          ExpressionAttributeValues: { ':pk': targetKey(accountId, region), ':now': clock().toISOString() },
          ExclusiveStartKey: startKey,
        }))
        found.push(...(out.Items ?? []).filter(active).map(toOverride))
        startKey = out.LastEvaluatedKey
      } while (startKey)
      return found
    },

    /** Deletes an override (it ends now) and answers it; throws OverrideNotFound for one unknown or already ended. */
    async remove(id: string): Promise<Override> {
      const { Attributes } = await doc.send(new DeleteCommand({ TableName: table, Key: { id }, ReturnValues: 'ALL_OLD' }))
      if (!active(Attributes)) throw new OverrideNotFound(id)
      return toOverride(Attributes)
    },
  }
}

export type OverridesRepository = ReturnType<typeof createOverridesRepository>
