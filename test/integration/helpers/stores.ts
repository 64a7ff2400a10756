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
  cleanup: () => Promise<void>
}

function uniqueTables(): TableNames {
  const prefix = `t${randomUUID().slice(0, 8)}-`
  return { rules: `${prefix}rules`, logs: `${prefix}logs` }
}

/** Fresh tables in moto's DynamoDB; cleanup deletes them. */
export async function motoStore(): Promise<TestStore> {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: process.env.MOTO_ENDPOINT })
  const tables = uniqueTables()
  await ensureTables(client, tables)
  return {
    tables,
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
    store,
    dataDir,
    cleanup: async () => {
      await store.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
