// The savings table: the daily aggregates (one item per UTC day and rule, partitioned by month, so a year is twelve
// Queries), the intervals still open (one item per instance off because of a rule), and the cached prices.
import { BatchGetCommand, DeleteCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { isConditionFailure } from '../conditional-write'
import { SAVINGS_BY_CLOSER } from '../tables'
import { instanceKey } from './intervals'
import type { ClosedInterval, OffInterval } from './intervals'

const OPEN = 'off'
const PRICE = 'price'
const RECORDED = 'rec'
const CELL = 'c:'

/** An interval as stored: closed (closedAt, closedBy) between marking its end and adding its hours to the days. */
export interface StoredInterval extends OffInterval {
  closedAt?: string
  closedBy?: string
}

/** One day's hours of one rule, by account, region and instance type. */
export interface DayAggregate {
  day: string
  rule: string
  hours: number
  cells: { accountId: string, region: string, instanceType: string, hours: number }[]
}

/** An on-demand hourly price. */
export interface Price {
  perHour: number
  currency: string
}

const monthKey = (day: string) => `m#${day.slice(0, 7)}`
export const cellKey = (c: { accountId: string, region: string, instanceType?: string }) => `${c.accountId}|${c.region}|${c.instanceType ?? ''}`

function toInterval(item: Record<string, unknown>): StoredInterval {
  const { pk: _pk, sk: _sk, ...rest } = item
  return rest as unknown as StoredInterval
}

function toDayAggregate(item: Record<string, unknown>): DayAggregate {
  const cells = Object.entries(item).filter(([k]) => k.startsWith(CELL)).map(([k, v]) => {
    const [accountId = '', region = '', instanceType = ''] = k.slice(CELL.length).split('|')
    return { accountId, region, instanceType, hours: Number(v) }
  })
  return { day: String(item.day), rule: String(item.rule), hours: Number(item.hours ?? 0), cells }
}

/** The months (YYYY-MM) from the month of `fromDay` to that of `toDay`. */
export function monthsBetween(fromDay: string, toDay: string): string[] {
  const months: string[] = []
  let [y, m] = [Number(fromDay.slice(0, 4)), Number(fromDay.slice(5, 7))]
  const last = toDay.slice(0, 7)
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`
    if (month > last) return months
    months.push(month)
    if (++m > 12) [y, m] = [y + 1, 1]
  }
}

/** Creates the savings repository over one table; cached prices expire by `clock`. */
export function createSavingsRepository(doc: DynamoDBDocumentClient, table: string, clock: () => Date = () => new Date()) {
  async function queryAll(input: Omit<ConstructorParameters<typeof QueryCommand>[0], 'TableName' | 'ExclusiveStartKey'>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = []
    let start: Record<string, unknown> | undefined
    do {
      const out = await doc.send(new QueryCommand({ TableName: table, ...input, ExclusiveStartKey: start }))
      items.push(...(out.Items ?? []))
      start = out.LastEvaluatedKey
    } while (start)
    return items
  }

  /** The items of partition `pk` with these sort keys, 100 a call, unprocessed keys asked again. */
  async function batchGet(pk: string, sortKeys: string[], consistent: boolean): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = []
    const unique = [...new Set(sortKeys)]
    for (let i = 0; i < unique.length; i += 100) {
      let request: { Keys: Record<string, string>[] } | undefined = { Keys: unique.slice(i, i + 100).map(sk => ({ pk, sk })) }
      while (request?.Keys.length) {
        const out = await doc.send(new BatchGetCommand({ RequestItems: { [table]: { ...request, ConsistentRead: consistent } } }))
        items.push(...(out.Responses?.[table] ?? []))
        request = out.UnprocessedKeys?.[table] as typeof request
      }
    }
    return items
  }

  return {
    /** The stored intervals of these instances (instanceKey), open or closed but not yet added up. */
    async intervals(keys: string[]): Promise<Map<string, StoredInterval>> {
      return new Map((await batchGet(OPEN, keys, true)).map(item => [String(item.sk), toInterval(item)]))
    },

    /** Every interval still open, for counting them up to now. */
    async openIntervals(): Promise<StoredInterval[]> {
      const items = await queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': OPEN } })
      return items.map(toInterval).filter(i => !i.closedBy)
    },

    /** The intervals the run `closedBy` marked closed and has not added up yet (a record cut short). */
    async closedBy(closedBy: string): Promise<StoredInterval[]> {
      const items = await queryAll({ IndexName: SAVINGS_BY_CLOSER.index, KeyConditionExpression: 'closedBy = :c', ExpressionAttributeValues: { ':c': closedBy } })
      return items.map(toInterval)
    },

    /** Opens an interval, unless the instance has one already (another rule's: overlapping rules count once). */
    async open(interval: OffInterval): Promise<boolean> {
      try {
        await doc.send(new PutCommand({ TableName: table, Item: { pk: OPEN, sk: instanceKey(interval), ...interval }, ConditionExpression: 'attribute_not_exists(pk)' }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /** Marks an open interval closed by a run; false when it changed meanwhile (another run closed it). */
    async markClosed({ interval, until, closedBy }: ClosedInterval): Promise<boolean> {
      try {
        await doc.send(new UpdateCommand({
          TableName: table,
          Key: { pk: OPEN, sk: instanceKey(interval) },
          UpdateExpression: 'SET closedAt = :until, closedBy = :by',
          ConditionExpression: 'since = :since AND attribute_not_exists(closedBy)',
          ExpressionAttributeValues: { ':until': until, ':by': closedBy, ':since': interval.since },
        }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /** Removes an interval whose hours are added up. */
    async remove(interval: StoredInterval): Promise<void> {
      try {
        await doc.send(new DeleteCommand({ TableName: table, Key: { pk: OPEN, sk: instanceKey(interval) }, ConditionExpression: 'closedBy = :by', ExpressionAttributeValues: { ':by': interval.closedBy } }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
      }
    },

    /**
     * Adds hours to a day of a rule, once per `applyId`: the id joins the item's set in the same write, so a second
     * add with the same id changes nothing. Answers false when it was added already.
     */
    async addToDay(day: string, rule: string, cells: Map<string, number>, applyId: string): Promise<boolean> {
      const names: Record<string, string> = {}
      const values: Record<string, unknown> = { ':id': new Set([applyId]), ':idv': applyId, ':day': day, ':rule': rule }
      const adds = ['applied :id']
      let total = 0
      let n = 0
      for (const [cell, hours] of cells) {
        names[`#c${n}`] = `${CELL}${cell}`
        values[`:c${n}`] = hours
        adds.push(`#c${n} :c${n}`)
        total += hours
        n++
      }
      values[':h'] = total
      adds.push('hours :h')
      try {
        await doc.send(new UpdateCommand({
          TableName: table,
          Key: { pk: monthKey(day), sk: `${day}#${rule}` },
          UpdateExpression: `SET #day = :day, #rule = :rule ADD ${adds.join(', ')}`,
          ConditionExpression: 'attribute_not_exists(applied) OR NOT contains(applied, :idv)',
          ExpressionAttributeNames: { ...names, '#day': 'day', '#rule': 'rule' },
          ExpressionAttributeValues: values,
        }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /** The daily aggregates of the UTC days fromDay..toDay (YYYY-MM-DD), one Query per month. */
    async days(fromDay: string, toDay: string): Promise<DayAggregate[]> {
      const months = await Promise.all(monthsBetween(fromDay, toDay).map(month => queryAll({
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': `m#${month}`, ':from': fromDay, ':to': `${toDay}#\uFFFF` },
      })))
      return months.flat().map(toDayAggregate)
    },

    /** Notes that run `eventId` is recorded, for `ttlSeconds` (longer than the replay's window, savings/replay.ts). */
    async markRecorded(eventId: string, ttlSeconds: number): Promise<void> {
      await doc.send(new PutCommand({ TableName: table, Item: { pk: RECORDED, sk: eventId, expiresAt: Math.floor(clock().getTime() / 1000) + ttlSeconds } }))
    },

    /** Which of these runs are noted recorded. */
    async recorded(eventIds: string[]): Promise<Set<string>> {
      return new Set((await batchGet(RECORDED, eventIds, true)).map(item => String(item.sk)))
    },

    /** Cached prices of `region|type` keys, those not expired; null for one known to have no price. */
    async cachedPrices(keys: string[]): Promise<Map<string, Price | null>> {
      const found = new Map<string, Price | null>()
      const now = clock().getTime() / 1000
      for (const item of await batchGet(PRICE, keys, false)) {
        if (typeof item.expiresAt !== 'number' || item.expiresAt <= now) continue
        found.set(String(item.sk), Number(item.perHour) < 0 ? null : { perHour: Number(item.perHour), currency: String(item.currency) })
      }
      return found
    },

    /** Caches a price for `ttlSeconds` (DynamoDB's TTL removes it in AWS; reads skip it once expired everywhere). */
    async cachePrice(key: string, price: Price | null, ttlSeconds: number): Promise<void> {
      await doc.send(new PutCommand({ TableName: table, Item: { pk: PRICE, sk: key, perHour: price?.perHour ?? -1, currency: price?.currency ?? '', expiresAt: Math.floor(clock().getTime() / 1000) + ttlSeconds } }))
    },
  }
}

export type SavingsRepository = ReturnType<typeof createSavingsRepository>
