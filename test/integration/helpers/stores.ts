// The two stores the repository suite runs against: moto's DynamoDB and the embedded dynalite.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { parseServerConfig } from '../../../server/utils/config'
import { documentClient, openStore } from '../../../server/utils/store'
import type { Store } from '../../../server/utils/store'
import { ensureTables } from '../../../server/utils/tables'
import type { TableNames } from '../../../server/utils/tables'

export interface TestStore {
  store: Store
  tables: TableNames
  /**
   * Whether a conditional write is atomic per item, as in DynamoDB. dynalite locks the item for the whole write;
   * moto checks the condition and then writes without a lock, so two racing writes that create one item can both
   * pass (issue 11). Only an atomic store can show that exactly one of many racing callers wins.
   */
  atomic: boolean
  cleanup: () => Promise<void>
}

/**
 * `n` calls of `call`: all at once where the store is atomic per item, else one after the other, which is what
 * moto can show (a conditional write refuses what an earlier one made false).
 */
export async function callers<T>(ctx: TestStore, n: number, call: (i: number) => Promise<T>): Promise<T[]> {
  if (ctx.atomic) return Promise.all(Array.from({ length: n }, (_, i) => call(i)))
  const answers: T[] = []
  for (let i = 0; i < n; i++) answers.push(await call(i))
  return answers
}

/** `callers`, settled: each call's fulfilment or rejection. */
export function settledCallers<T>(ctx: TestStore, n: number, call: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  return callers(ctx, n, i => call(i).then(value => ({ status: 'fulfilled', value }) as const, reason => ({ status: 'rejected', reason }) as const))
}

function uniqueTables(): TableNames {
  const prefix = `t${randomUUID().slice(0, 8)}-`
  return { rules: `${prefix}rules`, logs: `${prefix}logs`, calendars: `${prefix}calendars`, overrides: `${prefix}overrides`, notifications: `${prefix}notifications`, savings: `${prefix}savings` }
}

/** Fresh tables in moto's DynamoDB; cleanup deletes them. */
export async function motoStore(): Promise<TestStore> {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: process.env.MOTO_ENDPOINT })
  const tables = uniqueTables()
  await ensureTables(client, tables)
  return {
    tables,
    atomic: false,
    store: { client, doc: documentClient(client), description: 'moto', close: async () => client.destroy() },
    cleanup: async () => {
      for (const TableName of Object.values(tables)) await client.send(new DeleteTableCommand({ TableName }))
      client.destroy()
    },
  }
}

/** The embedded store in a fresh data directory, opened as the app opens it; cleanup removes it. */
export async function embeddedStore(dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-store-'))): Promise<TestStore & { dataDir: string }> {
  const tables = uniqueTables()
  const config = parseServerConfig({ store: 'embedded', dataDir }, { AWS_REGION: 'us-east-1' })
  const store = await openStore({ ...config, tables })
  return {
    tables,
    atomic: true,
    store,
    dataDir,
    cleanup: async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
