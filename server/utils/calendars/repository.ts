// The calendars repository: one DynamoDB item per calendar, keyed by name, each change checked against its version;
// lists come from the by-name index, never a Scan.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Calendar, CalendarEntry } from '#shared/schemas/calendar'
import type { Page } from '#shared/schemas/list'
import { isConditionFailure } from '../conditional-write'
import { decodeCursor, encodeCursor } from '../cursor'
import { CalendarExists, CalendarNotFound, VersionConflict } from '../errors'
import { CALENDARS_BY_NAME } from '../tables'

// The constant partition key of the by-name index.
const KIND = 'calendar'

/** What a calendar is made of, before the repository stamps it. */
export interface CalendarDraft {
  name: string
  description?: string
  entries: CalendarEntry[]
}

function toCalendar(item: Record<string, unknown>): Calendar {
  const { kind: _kind, ...calendar } = item
  return calendar as unknown as Calendar
}

/** Creates the calendars repository over one table. */
export function createCalendarsRepository(doc: DynamoDBDocumentClient, table: string) {
  async function get(name: string): Promise<Calendar> {
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { name }, ConsistentRead: true }))
    if (!Item) throw new CalendarNotFound(name)
    return toCalendar(Item)
  }

  async function latestVersion(name: string): Promise<number> {
    return (await get(name)).version
  }

  return {
    get,

    /** The calendars of `names` that exist, and the names that do not. */
    async getMany(names: string[]): Promise<{ found: Calendar[], missing: string[] }> {
      const found: Calendar[] = []
      const missing: string[] = []
      await Promise.all([...new Set(names)].map(name => get(name).then(c => found.push(c), (e) => {
        if (!(e instanceof CalendarNotFound)) throw e
        missing.push(name)
      })))
      return { found, missing }
    },

    /** One page of calendars in name order. */
    async list({ limit, cursor }: { limit: number, cursor?: string }): Promise<Page<Calendar>> {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: CALENDARS_BY_NAME.index,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':kind': KIND },
        Limit: limit,
        ExclusiveStartKey: decodeCursor(cursor, CALENDARS_BY_NAME.keys, { kind: KIND }),
      }))
      return { items: (out.Items ?? []).map(toCalendar), cursor: encodeCursor(out.LastEvaluatedKey) }
    },

    /** Stores a new calendar; throws CalendarExists when the name is taken (a conditional put: one racer wins). */
    async create(draft: CalendarDraft, now = new Date()): Promise<Calendar> {
      const at = now.toISOString()
      const calendar: Calendar = { ...draft, createdAt: at, updatedAt: at, version: 1 }
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...calendar, kind: KIND },
          ConditionExpression: 'attribute_not_exists(#name)',
          ExpressionAttributeNames: { '#name': 'name' },
        }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new CalendarExists(draft.name)
        throw e
      }
      return calendar
    },

    /** Replaces a calendar if `expectedVersion` is still current, in one conditional put; throws CalendarNotFound or VersionConflict. */
    async replace(draft: CalendarDraft, expectedVersion: number, now = new Date()): Promise<Calendar> {
      const current = await get(draft.name)
      if (current.version !== expectedVersion) throw new VersionConflict(draft.name, expectedVersion, current.version, 'calendar')
      const calendar: Calendar = { ...draft, createdAt: current.createdAt, updatedAt: now.toISOString(), version: expectedVersion + 1 }
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...calendar, kind: KIND },
          ConditionExpression: 'attribute_exists(#name) AND #version = :expected',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        throw new VersionConflict(draft.name, expectedVersion, await latestVersion(draft.name), 'calendar')
      }
      return calendar
    },

    /** Deletes a calendar (only at `expectedVersion`, when given) and answers it; throws CalendarNotFound or VersionConflict. */
    async remove(name: string, expectedVersion?: number): Promise<Calendar> {
      const versionCheck = expectedVersion === undefined ? '' : ' AND #version = :expected'
      try {
        const { Attributes } = await doc.send(new DeleteCommand({
          TableName: table,
          Key: { name },
          ConditionExpression: `attribute_exists(#name)${versionCheck}`,
          ExpressionAttributeNames: { '#name': 'name', ...(expectedVersion === undefined ? {} : { '#version': 'version' }) },
          ...(expectedVersion === undefined ? {} : { ExpressionAttributeValues: { ':expected': expectedVersion } }),
          ReturnValues: 'ALL_OLD',
        }))
        return toCalendar(Attributes!)
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        throw new VersionConflict(name, expectedVersion!, await latestVersion(name), 'calendar')
      }
    },
  }
}

export type CalendarsRepository = ReturnType<typeof createCalendarsRepository>
