// Seeding helpers: items are built by the repositories themselves, so the stored shape is exactly the app's,
// then written with BatchWriteItem, 25 items a call, several calls in flight.
import { BatchWriteCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { LogEntry } from '../../shared/schemas/log'
import type { RuleDraft } from '../../shared/schemas/rule'
import { createLogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { TableNames } from '../../server/utils/tables'

export type Item = Record<string, unknown>

/** BatchWriteItem's limit of requests per call. */
const BATCH = 25

export interface ItemBuilders {
  rule: (draft: RuleDraft & { regions: string[] }, now: Date) => Promise<Item>
  log: (entry: LogEntry) => Promise<Item>
}

/**
 * The repositories over a client that records each PutCommand's Item instead of sending it:
 * the items to seed come from the same code that writes them in the app.
 */
export function itemBuilders(tables: TableNames, retentionDays: number): ItemBuilders {
  let captured: Item | undefined
  const recorder = {
    send: async (command: unknown) => {
      if (!(command instanceof PutCommand)) throw new Error('item builder: the repository sent something other than a PutCommand')
      captured = command.input.Item
      return {}
    },
  } as unknown as DynamoDBDocumentClient
  const rules = createRulesRepository(recorder, tables.rules)
  const logs = createLogsRepository(recorder, tables.logs, retentionDays)
  const take = (): Item => {
    if (!captured) throw new Error('item builder: the repository wrote no item')
    const item = captured
    captured = undefined
    return item
  }
  return {
    rule: async (draft, now) => {
      await rules.create(draft, now)
      return take()
    },
    log: async (entry) => {
      await logs.put(entry)
      return take()
    },
  }
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

async function writeBatch(doc: DynamoDBDocumentClient, table: string, items: Item[]): Promise<void> {
  let requests = items.map(Item => ({ PutRequest: { Item } }))
  // BatchWriteItem may accept only part of a batch: retry what comes back in UnprocessedItems, with backoff.
  for (let attempt = 0; requests.length > 0; attempt++) {
    if (attempt > 10) throw new Error(`BatchWriteItem on ${table}: ${requests.length} items still unprocessed after ${attempt} attempts`)
    if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt))
    const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: requests } }))
    requests = (out.UnprocessedItems?.[table] ?? []).flatMap(r => (r.PutRequest?.Item ? [{ PutRequest: { Item: r.PutRequest.Item } }] : []))
  }
}

/**
 * Writes every item the async iterable yields into `table`, in batches of 25 with `concurrency` calls in flight.
 * Answers how many items were written.
 */
export async function batchWriteAll(doc: DynamoDBDocumentClient, table: string, items: AsyncIterable<Item> | Iterable<Item>, concurrency = 8): Promise<number> {
  const iterator = (Symbol.asyncIterator in items ? items[Symbol.asyncIterator]() : items[Symbol.iterator]()) as AsyncIterator<Item> | Iterator<Item>
  let written = 0
  let done = false
  // Workers share the one iterator: each takes the next 25 items, writes them, and comes back for more.
  const nextBatch = async (): Promise<Item[]> => {
    const batch: Item[] = []
    while (!done && batch.length < BATCH) {
      const r = await iterator.next()
      if (r.done) done = true
      else batch.push(r.value)
    }
    return batch
  }
  const worker = async () => {
    for (let batch = await nextBatch(); batch.length > 0; batch = await nextBatch()) {
      await writeBatch(doc, table, batch)
      written += batch.length
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return written
}
