// Table and index definitions, shared by the embedded store (created at start) and the tests.
// In AWS the same tables come from the templates in infra/.
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb'

export interface TableNames {
  rules: string
  logs: string
  calendars: string
  overrides: string
  notifications: string
  /** The daily savings aggregates and their monthly roll-ups, the intervals still open, and the cached prices. */
  savings: string
}

/** The access-control tables: API keys, their rate and quota counters, and the audit trail. */
export interface AccessTableNames {
  keys: string
  limits: string
  audit: string
}

/**
 * Index names, and the attributes of a LastEvaluatedKey from each (the table key plus the index key):
 * the repositories page through these indexes, never Scan.
 */
export const RULES_BY_NAME = { index: 'by-name', keys: ['kind', 'name'] } as const
export const CALENDARS_BY_NAME = { index: 'by-name', keys: ['kind', 'name'] } as const
export const LOGS_BY_RULE = { index: 'by-rule', keys: ['eventId', 'ruleName', 'sortKey'] } as const
export const LOGS_BY_TIME = { index: 'by-time', keys: ['eventId', 'kind', 'sortKey'] } as const
export const KEYS_BY_CREATED = { index: 'by-created', keys: ['id', 'kind', 'createdAt'] } as const
export const AUDIT_BY_TIME = { index: 'by-time', keys: ['id', 'kind', 'sortKey'] } as const
// The overrides still active, soonest end first (the reverts waiting to run share the table, in a partition of their
// own); and one account-region's, which a run reads once per region. by-target is sparse: reverts carry no `target`.
export const OVERRIDES_BY_UNTIL = { index: 'by-until', keys: ['id', 'kind', 'sortKey'] } as const
export const OVERRIDES_BY_TARGET = { index: 'by-target', keys: ['id', 'target', 'sortKey'] } as const
// Sparse: only intervals marked closed and not yet added to their days carry `closedBy` (savings/record.ts).
export const SAVINGS_BY_CLOSER = { index: 'by-closer', keys: ['pk', 'sk', 'closedBy'] } as const
// Sparse: only the records of a change to a rule carry `rule`.
export const AUDIT_BY_RULE = { index: 'by-rule', keys: ['id', 'rule', 'sortKey'] } as const

// List views project everything but the per-instance targets, which can be large.
const LOG_SUMMARY_ATTRIBUTES = [
  'trigger', 'scheduledTime', 'startedAt', 'finishedAt', 'action', 'accountId',
  'regions', 'filters', 'status', 'message', 'counts',
]

/** CreateTable inputs for every table named in `names` (the app's tables, the access tables, or both). */
export function tableDefinitions(names: Partial<TableNames & AccessTableNames>): CreateTableCommandInput[] {
  return [...coreDefinitions(names), ...savingsDefinitions(names), ...accessDefinitions(names)]
}

function savingsDefinitions({ savings }: Partial<TableNames>): CreateTableCommandInput[] {
  if (!savings) return []
  return [{
    // Keyed pk + sk: the days of a month (m#YYYY-MM, YYYY-MM-DD#rule), the month's roll-ups (r#YYYY-MM, rule) and
    // when they began (rollup, since), the open intervals (off, account#region#id), the runs recorded (rec, eventId)
    // and the cached prices (price, region|type, expiring through the expiresAt TTL attribute in AWS).
    TableName: savings,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
      { AttributeName: 'closedBy', AttributeType: 'S' },
    ],
    KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    GlobalSecondaryIndexes: [{
      IndexName: SAVINGS_BY_CLOSER.index,
      KeySchema: [{ AttributeName: 'closedBy', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
  }]
}

function coreDefinitions({ rules, logs, calendars, overrides, notifications }: Partial<TableNames>): CreateTableCommandInput[] {
  if (!rules || !logs || !calendars || !overrides || !notifications) return []
  const names = { rules, logs, calendars, overrides, notifications }
  return [
    {
      TableName: names.rules,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'name', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: RULES_BY_NAME.index,
        KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    },
    {
      TableName: names.logs,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'eventId', AttributeType: 'S' },
        { AttributeName: 'ruleName', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
        { AttributeName: 'sortKey', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'eventId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: LOGS_BY_RULE.index,
          KeySchema: [{ AttributeName: 'ruleName', KeyType: 'HASH' }, { AttributeName: 'sortKey', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: LOG_SUMMARY_ATTRIBUTES },
        },
        {
          IndexName: LOGS_BY_TIME.index,
          KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'sortKey', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: [...LOG_SUMMARY_ATTRIBUTES, 'ruleName'] },
        },
      ],
    },
    {
      // One item per calendar, keyed by name; listed in name order from by-name (a constant partition).
      TableName: names.calendars,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'name', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'name', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: CALENDARS_BY_NAME.index,
        KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'name', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    },
    {
      // One item per per-instance override, keyed by id, and one per revert waiting for an override's end; both
      // expire through the expiresAt TTL attribute in AWS (and are left out by the repository's clock everywhere).
      TableName: names.overrides,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
        { AttributeName: 'target', AttributeType: 'S' },
        { AttributeName: 'sortKey', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: OVERRIDES_BY_UNTIL.index,
          KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'sortKey', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: OVERRIDES_BY_TARGET.index,
          KeySchema: [{ AttributeName: 'target', KeyType: 'HASH' }, { AttributeName: 'sortKey', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
    {
      // Notifications, no index: the channels in one partition (pk 'channel', sorted by name), each run's deliveries
      // in its own (pk 'run#<eventId>', one item per channel), and the deliveries still to retry (pk 'pending').
      // Deliveries expire with their run through the expiresAt TTL attribute in AWS.
      TableName: names.notifications,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
    },
  ]
}

function accessDefinitions({ keys, limits, audit }: Partial<AccessTableNames>): CreateTableCommandInput[] {
  if (!keys || !limits || !audit) return []
  return [
    {
      // One item per API key (only the SHA-256 of its secret); listed newest first from by-created.
      TableName: keys,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
        { AttributeName: 'createdAt', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [{
        IndexName: KEYS_BY_CREATED.index,
        KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'createdAt', KeyType: 'RANGE' }],
        Projection: { ProjectionType: 'ALL' },
      }],
    },
    {
      // Counters, one item each: a key's token bucket, a key's quota in one period, an IP's failed authentications
      // in one window. Only read and written by key (pk); old ones expire through the expiresAt TTL attribute in AWS.
      TableName: limits,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    },
    {
      // One item per change made through the API, newest first from by-time, one rule's from by-rule.
      TableName: audit,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'id', AttributeType: 'S' },
        { AttributeName: 'kind', AttributeType: 'S' },
        { AttributeName: 'rule', AttributeType: 'S' },
        { AttributeName: 'sortKey', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: AUDIT_BY_TIME.index,
          KeySchema: [{ AttributeName: 'kind', KeyType: 'HASH' }, { AttributeName: 'sortKey', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: AUDIT_BY_RULE.index,
          KeySchema: [{ AttributeName: 'rule', KeyType: 'HASH' }, { AttributeName: 'sortKey', KeyType: 'RANGE' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    },
  ]
}

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }))
    if (Table?.TableStatus === 'ACTIVE') return
    await new Promise(r => setTimeout(r, 100))
  }
  throw new Error(`table ${name} did not become ACTIVE`)
}

/** Creates the tables that do not exist yet, and waits until all are active. Idempotent. */
export async function ensureTables(client: DynamoDBClient, names: Partial<TableNames & AccessTableNames>): Promise<void> {
  for (const def of tableDefinitions(names)) {
    try {
      await client.send(new DescribeTableCommand({ TableName: def.TableName }))
    }
    catch (e) {
      if ((e as Error).name !== 'ResourceNotFoundException') throw e
      try {
        await client.send(new CreateTableCommand(def))
      }
      catch (err) {
        // Another process created it between our Describe and Create: that is fine.
        if ((err as Error).name !== 'ResourceInUseException') throw err
      }
    }
    await waitActive(client, def.TableName!)
  }
}
