// The savings table: the daily aggregates (one item per UTC day and rule, partitioned by month, so a year is twelve
// Queries), their monthly roll-ups (one item per month and rule, kept beside the days by the same record, so a year's
// whole months are twelve Queries of one item per rule), the intervals still open (one item per instance off because
// of a rule), and the cached prices.
import { BatchGetCommand, DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { isConditionFailure } from '../conditional-write'
import { SAVINGS_BY_CLOSER } from '../tables'
import { instanceKey } from './intervals'
import type { ClosedInterval, OffInterval } from './intervals'

export const OPEN = 'off'
const PRICE = 'price'
const RECORDED = 'rec'
const CELL = 'c:'
const DAY_CELL = 'd:'
const ROLLUP = 'r#'
// A month's summary (month-summary.ts), and the count of adds to its roll-ups that the summary must have seen.
const SUMMARY = 'rs'
const VERSION = 'rv'
/** The keys of a month's count of adds to its roll-ups, and of its summary. */
export const monthCountKey = (month: string) => ({ pk: VERSION, sk: month })
export const monthSummaryKey = (month: string) => ({ pk: SUMMARY, sk: month })
// An item holds 400 KB: a month whose summary would be larger is read from its roll-ups each time.
const SUMMARY_MAX_CHARS = 300_000
/** Past this many cells a month's summary would not fit an item: it is not even written out (month-summary.ts). */
export const SUMMARY_MAX_CELLS = 5_000
// The instant the roll-ups began (written once, before the first roll-up): a month that starts at or after it has
// had every one of its days' adds rolled up; an earlier one is read from its days (read.ts).
export const ROLLUPS_SINCE = { pk: 'rollup', sk: 'since' }

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

/**
 * One month's hours of one rule: by account, region and instance type (`cells`, what every grouping but the day's
 * reads), and by day of the month, region and instance type (`days`, what the day's grouping reads and prices).
 */
export interface MonthRollup {
  month: string
  rule: string
  hours: number
  cells: { accountId: string, region: string, instanceType: string, hours: number }[]
  days: { day: string, region: string, instanceType: string, hours: number }[]
}

/** An on-demand hourly price. */
export interface Price {
  perHour: number
  currency: string
}

/** The keys of a day's aggregate of a rule, and of a month's roll-up of a rule. */
export const dayItemKey = (day: string, rule: string) => ({ pk: `m#${day.slice(0, 7)}`, sk: `${day}#${rule}` })
export const rollupItemKey = (month: string, rule: string) => ({ pk: `${ROLLUP}${month}`, sk: rule })
export const cellKey = (c: { accountId: string, region: string, instanceType?: string }) => `${c.accountId}|${c.region}|${c.instanceType ?? ''}`
/** A roll-up's attribute for an account x region x type cell (`c:`), the same as a day's. */
export const rollupCellName = (c: { accountId: string, region: string, instanceType?: string }) => `${CELL}${cellKey(c)}`
/** Whether a roll-up's attribute is an account x region x type cell (each hour is in one of those and one day cell). */
export const isRollupCell = (name: string) => name.startsWith(CELL)
/** A roll-up's attribute for a day x region x type cell (`d:DD|region|type`): the day's grouping needs no account. */
export const rollupDayName = (day: string, c: { region: string, instanceType?: string }) => `${DAY_CELL}${day.slice(8, 10)}|${c.region}|${c.instanceType ?? ''}`

function toInterval(item: Record<string, unknown>): StoredInterval {
  const { pk: _pk, sk: _sk, ...rest } = item
  return rest as unknown as StoredInterval
}

/** A daily aggregate as stored, read. */
export function toDayAggregate(item: Record<string, unknown>): DayAggregate {
  const cells = Object.entries(item).filter(([k]) => k.startsWith(CELL)).map(([k, v]) => {
    const [accountId = '', region = '', instanceType = ''] = k.slice(CELL.length).split('|')
    return { accountId, region, instanceType, hours: Number(v) }
  })
  return { day: String(item.day), rule: String(item.rule), hours: Number(item.hours ?? 0), cells }
}

/**
 * Which half of a roll-up a reader needs: the account x region x type cells (every grouping but the day's), the day x
 * region x type cells (the day's), or both.
 */
export type RollupPart = 'cells' | 'days' | 'both'

/**
 * A monthly roll-up as stored, read; only the `part` asked for is parsed (a year of a large fleet is thousands of
 * roll-ups of some 30 day cells each: parsing the half a grouping never reads was a third of the savings page's time).
 */
export function toRollup(item: Record<string, unknown>, part: RollupPart = 'both'): MonthRollup {
  const month = String(item.month)
  const cells: MonthRollup['cells'] = []
  const days: MonthRollup['days'] = []
  const [wantCells, wantDays] = [part !== 'days', part !== 'cells']
  for (const k in item) {
    if (wantCells && k.startsWith(CELL)) {
      const [accountId = '', region = '', instanceType = ''] = k.slice(CELL.length).split('|')
      cells.push({ accountId, region, instanceType, hours: Number(item[k]) })
    }
    else if (wantDays && k.startsWith(DAY_CELL)) {
      const [dd = '', region = '', instanceType = ''] = k.slice(DAY_CELL.length).split('|')
      days.push({ day: `${month}-${dd}`, region, instanceType, hours: Number(item[k]) })
    }
  }
  return { month, rule: String(item.rule), hours: Number(item.hours ?? 0), cells, days }
}

/** What a month's summary holds: every rule's account x region x type cells, and all rules' day x region x type cells. */
export interface SummaryData {
  cells: [rule: string, accountId: string, region: string, instanceType: string, hours: number][]
  days: [day: string, region: string, instanceType: string, hours: number][]
}

/** What a summary of a month's roll-ups holds: what every grouping reads of them, the days summed across the rules. */
export function summaryOf(rollups: MonthRollup[]): SummaryData {
  const data: SummaryData = { cells: [], days: [] }
  const days = new Map<string, number>()
  for (const r of rollups) {
    for (const c of r.cells) data.cells.push([r.rule, c.accountId, c.region, c.instanceType, c.hours])
    for (const d of r.days) {
      const key = `${d.day}|${d.region}|${d.instanceType}`
      days.set(key, (days.get(key) ?? 0) + d.hours)
    }
  }
  for (const [key, hours] of days) {
    const [day = '', region = '', instanceType = ''] = key.split('|')
    data.days.push([day, region, instanceType, hours])
  }
  return data
}

/** A summary's text read back as roll-ups: one per rule with its cells, and one of no rule with the month's days. */
export function fromSummaryText(month: string, text: string): MonthRollup[] {
  const data = JSON.parse(text) as SummaryData
  const byRule = new Map<string, MonthRollup>()
  for (const [rule, accountId, region, instanceType, hours] of data.cells) {
    const r = byRule.get(rule) ?? { month, rule, hours: 0, cells: [], days: [] }
    r.cells.push({ accountId, region, instanceType, hours })
    r.hours += hours
    byRule.set(rule, r)
  }
  const days = data.days.map(([day, region, instanceType, hours]) => ({ day, region, instanceType, hours }))
  return [...byRule.values(), { month, rule: '', hours: 0, cells: [], days }]
}

/** A month's state for its reader: how many adds its roll-ups have had, and its summary, with the count it saw. */
export interface MonthState {
  version: number
  /** `text` null: the month is too large for a summary (as of that count). */
  summary: { version: number, text: string | null } | null
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
  let rollupsMarked: Promise<void> | undefined
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

  /**
   * Adds `cells` (attribute names) and `hours` to an item, setting `set` too, once per `applyId` (see addToDay).
   * DynamoDB takes an update expression of up to 4 KB: callers add 100 cells a write at most.
   */
  async function addOnce(key: { pk: string, sk: string }, set: Record<string, string>, cells: Map<string, number>, hours: number, applyId: string): Promise<boolean> {
    const names: Record<string, string> = {}
    const values: Record<string, unknown> = { ':id': new Set([applyId]), ':idv': applyId, ':h': hours }
    const sets: string[] = []
    for (const [name, value] of Object.entries(set)) {
      names[`#${name}`] = name
      values[`:${name}`] = value
      sets.push(`#${name} = :${name}`)
    }
    const adds = ['applied :id', 'hours :h']
    let n = 0
    for (const [cell, h] of cells) {
      names[`#c${n}`] = cell
      values[`:c${n}`] = h
      adds.push(`#c${n} :c${n}`)
      n++
    }
    try {
      await doc.send(new UpdateCommand({
        TableName: table,
        Key: key,
        UpdateExpression: `SET ${sets.join(', ')} ADD ${adds.join(', ')}`,
        ConditionExpression: 'attribute_not_exists(applied) OR NOT contains(applied, :idv)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      }))
      return true
    }
    catch (e) {
      if (isConditionFailure(e)) return false
      throw e
    }
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
      const named = new Map([...cells].map(([cell, hours]) => [`${CELL}${cell}`, hours]))
      return addOnce(dayItemKey(day, rule), { day, rule }, named, [...cells.values()].reduce((a, b) => a + b, 0), applyId)
    },

    /**
     * Adds hours to the roll-up of a month of a rule, once per `applyId`, as addToDay does: `cells` are attributes
     * (rollupCellName, rollupDayName) and `hours` the hours they stand for (each is in both kinds of cell at most once).
     */
    async addToMonth(month: string, rule: string, cells: Map<string, number>, hours: number, applyId: string): Promise<boolean> {
      const added = await addOnce(rollupItemKey(month, rule), { month, rule }, cells, hours, applyId)
      // Counted after the add, and also when it was added already: a record cut short between the two counts it
      // when it is finished (month-summary.ts).
      await doc.send(new UpdateCommand({ TableName: table, Key: monthCountKey(month), UpdateExpression: 'ADD n :one', ExpressionAttributeValues: { ':one': 1 } }))
      return added
    },

    /** Each month's count of adds (0 before the first) and its summary, read consistently. */
    async monthStates(months: string[]): Promise<Map<string, MonthState>> {
      const [versions, summaries] = await Promise.all([batchGet(VERSION, months, true), batchGet(SUMMARY, months, true)])
      const version = new Map(versions.map(i => [String(i.sk), Number(i.n)]))
      const summary = new Map(summaries.map(i => [String(i.sk), { version: Number(i.version), text: typeof i.text === 'string' ? i.text : null }]))
      return new Map(months.map(m => [m, { version: version.get(m) ?? 0, summary: summary.get(m) ?? null }]))
    },

    /**
     * Keeps the summary of a month's roll-ups as read after its count was `version`, unless one of a later count is
     * kept already; `null`, or a text too large for an item, notes that the month has none.
     */
    async putMonthSummary(month: string, version: number, text: string | null): Promise<void> {
      const kept = text !== null && text.length <= SUMMARY_MAX_CHARS ? { text } : { tooLarge: true }
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...monthSummaryKey(month), version, ...kept },
          ConditionExpression: 'attribute_not_exists(pk) OR version <= :v',
          ExpressionAttributeValues: { ':v': version },
        }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
      }
    },

    /** Notes that roll-ups begin now, unless they began earlier (once per repository: it never changes after). */
    async markRollupsSince(): Promise<void> {
      rollupsMarked ??= doc.send(new PutCommand({ TableName: table, Item: { ...ROLLUPS_SINCE, at: clock().toISOString() }, ConditionExpression: 'attribute_not_exists(pk)' }))
        .then(() => {}, (e: unknown) => {
          if (isConditionFailure(e)) return
          rollupsMarked = undefined
          throw e
        })
      await rollupsMarked
    },

    /** When the roll-ups began (epoch ms), or null before the first. */
    async rollupsSince(): Promise<number | null> {
      const out = await doc.send(new GetCommand({ TableName: table, Key: ROLLUPS_SINCE, ConsistentRead: true }))
      return out.Item ? Date.parse(String(out.Item.at)) : null
    },

    /**
     * The roll-ups of these months (YYYY-MM), every rule's, one Query per month; `part` says which cells to parse, and
     * `consistent` asks for every add that ended before the read.
     */
    async rollups(months: string[], part: RollupPart = 'both', consistent = false): Promise<MonthRollup[]> {
      const all = await Promise.all(months.map(month => queryAll({ KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `${ROLLUP}${month}` }, ConsistentRead: consistent })))
      return all.flat().map(item => toRollup(item, part))
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
