// BatchWriteItem in DynamoDB's batches of 25, sending again what it leaves unprocessed.
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

const WRITE_BATCH = 25

/** Writes (puts or deletes) every request into `table`, 25 at a time, until DynamoDB has processed them all. */
export async function batchWrite(doc: DynamoDBDocumentClient, table: string, requests: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < requests.length; i += WRITE_BATCH) {
    let batch = requests.slice(i, i + WRITE_BATCH)
    while (batch.length) {
      const res = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: batch } }))
      batch = (res.UnprocessedItems?.[table] ?? []) as typeof batch
    }
  }
}
