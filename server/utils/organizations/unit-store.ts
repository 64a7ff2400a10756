// The last resolution of each organizational unit, kept in the store: the active accounts beneath it and when they
// were read. The resolver reads it before AWS Organizations (so the 15-minute cache holds across Lambda containers)
// and writes it after; the rules list reads it to say what a rule reaches ("3 OUs, 214 accounts, resolved 2 min ago").
// One item per unit in the logs table (`unit#<id>`, in no index), expiring 30 days after its resolution.
import { BatchGetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

/** One unit's accounts, as last read from AWS Organizations. */
export interface StoredUnit {
  accountIds: string[]
  /** When they were read (ms since the epoch). */
  at: number
}

export interface UnitStore {
  /** The stored resolutions of `units` (those never resolved are absent), in one BatchGet per 100 units. */
  read: (units: readonly string[]) => Promise<Map<string, StoredUnit>>
  write: (unit: string, found: StoredUnit) => Promise<void>
}

const READ_BATCH = 100
const KEEP_SECONDS = 30 * 86_400
const keyOf = (unit: string) => `unit#${unit}`

/** Creates the store of units' resolutions over the logs table. */
export function createUnitStore(doc: DynamoDBDocumentClient, table: string): UnitStore {
  async function read(units: readonly string[]): Promise<Map<string, StoredUnit>> {
    const found = new Map<string, StoredUnit>()
    const unique = [...new Set(units)]
    for (let i = 0; i < unique.length; i += READ_BATCH) {
      let keys: Record<string, unknown>[] | undefined = unique.slice(i, i + READ_BATCH).map(u => ({ eventId: keyOf(u) }))
      while (keys?.length) {
        const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { Keys: keys } } }))
        for (const item of out.Responses?.[table] ?? []) {
          const unit = String(item.eventId).slice('unit#'.length)
          found.set(unit, { accountIds: (item.accountIds as string[] | undefined) ?? [], at: Date.parse(item.resolvedAt as string) })
        }
        // What DynamoDB leaves unprocessed is asked again.
        keys = out.UnprocessedKeys?.[table]?.Keys as Record<string, unknown>[] | undefined
      }
    }
    return found
  }

  async function write(unit: string, { accountIds, at }: StoredUnit): Promise<void> {
    await doc.send(new PutCommand({
      TableName: table,
      Item: { eventId: keyOf(unit), accountIds, resolvedAt: new Date(at).toISOString(), expiresAt: Math.floor(at / 1000) + KEEP_SECONDS },
    }))
  }

  return { read, write }
}
