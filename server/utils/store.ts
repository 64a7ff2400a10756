// The DynamoDB connection: real DynamoDB (or any endpoint the SDK is pointed at), or dynalite in this
// process with its data on disk. Both go through the same SDK client, so local and production share one code path.
import { mkdirSync } from 'node:fs'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { resolve } from 'node:path'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import dynalite from 'dynalite'
import { labelFailures } from './aws/unavailable'
import type { ServerConfig } from './config'
import { ensureTables } from './tables'

export interface Store {
  client: DynamoDBClient
  doc: DynamoDBDocumentClient
  /**
   * Counts this process's writes, when it is the store's only writer (the embedded store): a number that changes
   * after every write, so that what was read before it can be known stale (the page cache). Absent for DynamoDB,
   * which other processes (other Lambda instances) write too.
   */
  writes?: WriteCounter
  /** One line that says which store this is, for the start-up log. */
  description: string
  close: () => Promise<void>
}

export interface WriteCounter {
  /** Changes after every write command this process made to the store, finished or failed. */
  generation: () => number
}

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand', 'TransactWriteItemsCommand'])

/** Counts the client's write commands: every repository writes through this one client. */
function countWrites(client: DynamoDBClient): WriteCounter {
  let generation = 0
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (!WRITE_COMMANDS.has(context.commandName ?? '')) return next(args)
      // Counted once the write is over: a page read before then is older than the write, whatever it read.
      try {
        return await next(args)
      }
      finally {
        generation++
      }
    },
    { step: 'initialize', name: 'ouroborosWriteCounter' },
  )
  return { generation: () => generation }
}

/** Wraps a low-level client in the document client the repositories use. */
export function documentClient(client: DynamoDBClient): DynamoDBDocumentClient {
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
}

async function startDynalite(dataDir: string): Promise<{ server: Server, endpoint: string, path: string }> {
  const path = resolve(dataDir, 'dynamodb')
  mkdirSync(path, { recursive: true })
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 })
  await new Promise<void>((ok, ko) => {
    server.once('error', ko)
    server.listen(0, '127.0.0.1', () => ok())
  })
  const { port } = server.address() as AddressInfo
  return { server, endpoint: `http://127.0.0.1:${port}`, path }
}

/** Opens the store the config asks for; in embedded mode also creates the tables. */
export async function openStore(config: ServerConfig): Promise<Store> {
  if (config.store === 'dynamodb') {
    const client = new DynamoDBClient({ region: config.region })
    // A failed call names its table, so a missing one answers 503 with its name (aws/unavailable.ts).
    labelFailures(client, 'DynamoDB')
    return {
      client,
      doc: documentClient(client),
      description: `DynamoDB in ${config.region} (tables ${config.tables.rules}, ${config.tables.logs}, ${config.tables.calendars}, ${config.tables.overrides})`,
      close: async () => client.destroy(),
    }
  }
  const embedded = await startDynalite(config.dataDir)
  // Static dummy credentials: the embedded store must never make the SDK look for real ones.
  const client = new DynamoDBClient({
    region: config.region,
    endpoint: embedded.endpoint,
    credentials: { accessKeyId: 'embedded', secretAccessKey: 'embedded' },
  })
  labelFailures(client, 'DynamoDB')
  await ensureTables(client, config.tables)
  return {
    client,
    doc: documentClient(client),
    writes: countWrites(client),
    description: `embedded DynamoDB (dynalite) with data in ${embedded.path}`,
    close: async () => {
      client.destroy()
      await new Promise<void>(ok => embedded.server.close(() => ok()))
    },
  }
}
