// The API-key repository: one item per key, keyed by id, holding only the SHA-256 of the secret.
// Keys are never deleted: a revoked key keeps its record (revokedAt), so the audit trail can still name it.
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Page } from '#shared/schemas/list'
import { decodeCursor, encodeCursor } from '../cursor'
import { KEYS_BY_CREATED } from '../tables'
import { KeyExists, KeyNotFound } from './errors'
import { generateApiKey, hashSecret } from './hashing'
import type { ApiKeyRecord, ApiKeyView, KeyInput } from '#shared/schemas/key'
import { isConditionFailure } from '../conditional-write'

// Constant partition key of the by-created index.
const KIND = 'key'

export interface CreateKeyOptions {
  /** A chosen id (the bootstrap key's); a random one otherwise. */
  id?: string
  /** An existing secret to keep (migrating a key that was handed out before); a new random one otherwise. */
  secret?: string
  /** Who created it: a key id, or `cli`. */
  createdBy?: string
  now?: Date
}

export interface CreatedKey {
  /** The plain key: shown once, stored nowhere. */
  key: string
  record: ApiKeyView
}

/** A record as the API answers it: without the hash and the storage attributes. */
export function toKeyView(item: Record<string, unknown>): ApiKeyView {
  const { kind: _kind, hash: _hash, ...view } = item
  return { quota: null, ...view } as unknown as ApiKeyView
}

/** Creates the keys repository over one table. */
export function createKeysRepository(doc: DynamoDBDocumentClient, table: string) {
  return {
    /** The stored key with its hash, read consistently (a revocation counts at once); null when unknown. */
    async get(id: string): Promise<ApiKeyRecord | null> {
      const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { id }, ConsistentRead: true }))
      return Item ? ({ quota: null, ...Item } as unknown as ApiKeyRecord) : null
    },

    /** Stores a new key and answers it once in plain; throws KeyExists when the id is taken. */
    async create(input: KeyInput, options: CreateKeyOptions = {}): Promise<CreatedKey> {
      const generated = generateApiKey(options.id)
      const secret = options.secret ?? generated.secret
      const record: ApiKeyRecord = {
        id: generated.id,
        name: input.name,
        scope: input.scope,
        rateLimit: input.rateLimit,
        burst: input.burst,
        quota: input.quota,
        createdAt: (options.now ?? new Date()).toISOString(),
        ...(options.createdBy ? { createdBy: options.createdBy } : {}),
        hash: hashSecret(secret),
      }
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...record, kind: KIND },
          ConditionExpression: 'attribute_not_exists(id)',
        }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new KeyExists(record.id)
        throw e
      }
      return { key: `ouro_${record.id}_${secret}`, record: toKeyView(record as unknown as Record<string, unknown>) }
    },

    /** One page of keys, newest first, from a Query on the by-created index. */
    async list({ limit, cursor }: { limit: number, cursor?: string }): Promise<Page<ApiKeyView>> {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: KEYS_BY_CREATED.index,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': KIND },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, KEYS_BY_CREATED.keys, { kind: KIND }),
      }))
      return { items: (out.Items ?? []).map(toKeyView), cursor: encodeCursor(out.LastEvaluatedKey) }
    },

    /** Whether any key was ever stored (revoked ones count). */
    async any(): Promise<boolean> {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: KEYS_BY_CREATED.index,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': KIND },
        Limit: 1,
      }))
      return (out.Items ?? []).length > 0
    },

    /** Revokes a key from now on (a second revocation keeps the first time); throws KeyNotFound. */
    async revoke(id: string, now = new Date()): Promise<ApiKeyView> {
      try {
        const { Attributes } = await doc.send(new UpdateCommand({
          TableName: table,
          Key: { id },
          UpdateExpression: 'SET revokedAt = if_not_exists(revokedAt, :now)',
          ConditionExpression: 'attribute_exists(id)',
          ExpressionAttributeValues: { ':now': now.toISOString() },
          ReturnValues: 'ALL_NEW',
        }))
        return toKeyView(Attributes!)
      }
      catch (e) {
        if (isConditionFailure(e)) throw new KeyNotFound(id)
        throw e
      }
    },

    /** Records a use, at most once per `everyMs`, so a busy key does not write on every request. */
    async touch(id: string, now = new Date(), everyMs = 60_000): Promise<void> {
      try {
        await doc.send(new UpdateCommand({
          TableName: table,
          Key: { id },
          UpdateExpression: 'SET lastUsedAt = :now',
          ConditionExpression: 'attribute_exists(id) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :cutoff)',
          ExpressionAttributeValues: { ':now': now.toISOString(), ':cutoff': new Date(now.getTime() - everyMs).toISOString() },
        }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
      }
    },
  }
}

export type KeysRepository = ReturnType<typeof createKeysRepository>
