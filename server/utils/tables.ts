// Table and index definitions, shared by the embedded store (created at start) and the tests.
// In AWS the same tables come from the templates in infra/.
import { CreateTableCommand, DescribeTableCommand } from '@aws-sdk/client-dynamodb'
import type { CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb'

export interface TableNames {
  rules: string
  logs: string
}

/**
 * Index names, and the attributes of a LastEvaluatedKey from each (the table key plus the index key):
 * the repositories page through these indexes, never Scan.
 */
export const RULES_BY_NAME = { index: 'by-name', keys: ['kind', 'name'] } as const
export const LOGS_BY_RULE = { index: 'by-rule', keys: ['eventId', 'ruleName', 'sortKey'] } as const
export const LOGS_BY_TIME = { index: 'by-time', keys: ['eventId', 'kind', 'sortKey'] } as const

// List views project everything but the per-instance targets, which can be large.
const LOG_SUMMARY_ATTRIBUTES = [
  'trigger', 'scheduledTime', 'startedAt', 'finishedAt', 'action', 'accountId',
  'regions', 'filters', 'status', 'message', 'counts',
]

/** CreateTable inputs for every table the app uses. */
export function tableDefinitions(names: TableNames): CreateTableCommandInput[] {
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
export async function ensureTables(client: DynamoDBClient, names: TableNames): Promise<void> {
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
