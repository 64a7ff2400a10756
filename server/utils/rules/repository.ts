// The rules repository: one DynamoDB item per rule, keyed by name; lists come from the by-name index.
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { Page } from '#shared/schemas/list'
import type { Rule, RuleDraft, ScheduleSync } from '#shared/schemas/rule'
import { decodeCursor, encodeCursor } from '../cursor'
import { RuleExists, RuleNotFound, VersionConflict } from '../errors'
import { RULES_BY_NAME } from '../tables'
import { isConditionFailure } from '../conditional-write'
import { normalizeAccountTargets } from '#shared/account-targets'

// Every rule carries this constant partition key of the by-name index, so a Query lists them in name order.
const KIND = 'rule'

/** What PATCH changes: on or off, and the pause (null ends it). */
export interface RuleChange {
  enabled?: boolean
  pausedUntil?: string | null
}

export interface ListRulesOptions {
  limit: number
  cursor?: string
  /** Case-insensitive text to find in the name or the description. */
  q?: string
}

function toRule(item: Record<string, unknown>): Rule {
  const { kind: _kind, searchText: _searchText, ...rule } = item
  // Rules stored before multi-account rules name one `accountId`: read as a one-item `accountIds`, and written
  // back in that form by their next change.
  return normalizeAccountTargets(rule) as unknown as Rule
}

function searchText(rule: Pick<Rule, 'name' | 'description'>): string {
  return `${rule.name}\n${rule.description ?? ''}`.toLowerCase()
}

/** Creates the rules repository over one table. */
export function createRulesRepository(doc: DynamoDBDocumentClient, table: string) {
  async function get(name: string): Promise<Rule> {
    const { Item } = await doc.send(new GetCommand({ TableName: table, Key: { name }, ConsistentRead: true }))
    if (!Item) throw new RuleNotFound(name)
    return toRule(Item)
  }

  /**
   * Turns a rule on or off and/or pauses it (`pausedUntil`, null to end the pause), optionally only if
   * `expectedVersion` is current. Turning it on or off leaves its schedule pending until the backend confirms it;
   * a pause alone changes no schedule (the executor judges it when the rule fires), so it leaves the schedule, and
   * updatedAt (a rate() rule's anchor), as they are.
   */
  async function patch(name: string, change: RuleChange, expectedVersion?: number, now = new Date()): Promise<Rule> {
    const versionCheck = expectedVersion === undefined ? '' : ' AND #version = :expected'
    const names: Record<string, string> = { '#name': 'name', '#version': 'version' }
    const values: Record<string, unknown> = { ':one': 1 }
    const sets: string[] = []
    const removes: string[] = []
    if (change.enabled !== undefined) {
      Object.assign(names, { '#enabled': 'enabled', '#updatedAt': 'updatedAt', '#schedule': 'schedule', '#status': 'status' })
      Object.assign(values, { ':enabled': change.enabled, ':now': now.toISOString(), ':pending': 'pending' })
      sets.push('#enabled = :enabled', '#updatedAt = :now', '#schedule.#status = :pending')
    }
    if (change.pausedUntil !== undefined) {
      names['#paused'] = 'pausedUntil'
      if (change.pausedUntil === null) removes.push('#paused')
      else {
        values[':paused'] = change.pausedUntil
        sets.push('#paused = :paused')
      }
    }
    if (expectedVersion !== undefined) values[':expected'] = expectedVersion
    try {
      const { Attributes } = await doc.send(new UpdateCommand({
        TableName: table,
        Key: { name },
        UpdateExpression: [sets.length ? `SET ${sets.join(', ')}` : '', removes.length ? `REMOVE ${removes.join(', ')}` : '', 'ADD #version :one'].filter(Boolean).join(' '),
        ConditionExpression: `attribute_exists(#name)${versionCheck}`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }))
      return toRule(Attributes!)
    }
    catch (e) {
      if (!isConditionFailure(e)) throw e
      const latest = await get(name)
      throw new VersionConflict(name, expectedVersion!, latest.version)
    }
  }

  /** One page of rules in name order, from a Query on the by-name index. */
  async function list({ limit, cursor, q }: ListRulesOptions): Promise<Page<Rule>> {
    let startKey = decodeCursor(cursor, RULES_BY_NAME.keys, { kind: KIND })
    const needle = q?.trim().toLowerCase()
    const items: Rule[] = []
    // A filtered Query may answer fewer items than asked: keep reading until the page is full or the index ends.
    do {
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: RULES_BY_NAME.index,
        KeyConditionExpression: '#kind = :kind',
        ExpressionAttributeNames: { '#kind': 'kind', ...(needle ? { '#search': 'searchText' } : {}) },
        ExpressionAttributeValues: { ':kind': KIND, ...(needle ? { ':q': needle } : {}) },
        ...(needle ? { FilterExpression: 'contains(#search, :q)' } : {}),
        Limit: limit - items.length,
        ExclusiveStartKey: startKey,
      }))
      items.push(...(out.Items ?? []).map(toRule))
      startKey = out.LastEvaluatedKey
    } while (startKey && items.length < limit)
    return { items, cursor: encodeCursor(startKey) }
  }

  return {
    get,

    /** Stores a new rule; throws RuleExists when the name is taken (a conditional put, so exactly one racer wins). */
    async create(draft: RuleDraft & { regions: string[] }, now = new Date()): Promise<Rule> {
      const at = now.toISOString()
      // Every change leaves the schedule pending until the schedule backend confirms it.
      const rule: Rule = { ...draft, createdAt: at, updatedAt: at, version: 1, schedule: { status: 'pending' } }
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...rule, kind: KIND, searchText: searchText(rule) },
          ConditionExpression: 'attribute_not_exists(#name)',
          ExpressionAttributeNames: { '#name': 'name' },
        }))
      }
      catch (e) {
        if (isConditionFailure(e)) throw new RuleExists(draft.name)
        throw e
      }
      return rule
    },

    /** Replaces a rule if `expectedVersion` is still current; throws RuleNotFound or VersionConflict. */
    async replace(draft: RuleDraft & { regions: string[] }, expectedVersion: number, now = new Date()): Promise<Rule> {
      const current = await get(draft.name)
      if (current.version !== expectedVersion) throw new VersionConflict(draft.name, expectedVersion, current.version)
      const rule: Rule = {
        ...draft,
        // A full update comes from the rule's form, which does not carry the pause: it stays as it was.
        ...(current.pausedUntil ? { pausedUntil: current.pausedUntil } : {}),
        createdAt: current.createdAt,
        updatedAt: now.toISOString(),
        version: expectedVersion + 1,
        schedule: { ...current.schedule, status: 'pending' },
      }
      try {
        await doc.send(new PutCommand({
          TableName: table,
          Item: { ...rule, kind: KIND, searchText: searchText(rule) },
          ConditionExpression: 'attribute_exists(#name) AND #version = :expected',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        }))
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        // Lost a race after our read: say what it is now.
        const latest = await get(draft.name)
        throw new VersionConflict(draft.name, expectedVersion, latest.version)
      }
      return rule
    },

    patch,

    /** Turns a rule on or off, optionally only if `expectedVersion` is current. */
    async setEnabled(name: string, enabled: boolean, expectedVersion?: number, now = new Date()): Promise<Rule> {
      return patch(name, { enabled }, expectedVersion, now)
    },

    /** Deletes a rule and answers what was deleted; throws RuleNotFound. */
    async remove(name: string, expectedVersion?: number): Promise<Rule> {
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
        return toRule(Attributes!)
      }
      catch (e) {
        if (!isConditionFailure(e)) throw e
        const latest = await get(name)
        throw new VersionConflict(name, expectedVersion!, latest.version)
      }
    },

    /**
     * Records what was written to the rule's schedule, only if the rule is still at `version`
     * (a newer version syncs its own schedule). Answers whether it was recorded.
     */
    async markScheduleSynced(name: string, version: number, sync: ScheduleSync): Promise<boolean> {
      try {
        await doc.send(new UpdateCommand({
          TableName: table,
          Key: { name },
          UpdateExpression: 'SET #schedule = :sync',
          ConditionExpression: 'attribute_exists(#name) AND #version = :version',
          ExpressionAttributeNames: { '#name': 'name', '#version': 'version', '#schedule': 'schedule' },
          ExpressionAttributeValues: { ':sync': sync, ':version': version },
        }))
        return true
      }
      catch (e) {
        if (isConditionFailure(e)) return false
        throw e
      }
    },

    /** The names of the rules that skip the days of calendar `calendar`, in name order (every page of by-name, filtered). */
    async usingCalendar(calendar: string): Promise<string[]> {
      const names: string[] = []
      let startKey: Record<string, unknown> | undefined
      do {
        const out = await doc.send(new QueryCommand({
          TableName: table,
          IndexName: RULES_BY_NAME.index,
          KeyConditionExpression: '#kind = :kind',
          FilterExpression: 'contains(#skip, :calendar)',
          ExpressionAttributeNames: { '#kind': 'kind', '#skip': 'skipCalendars', '#name': 'name' },
          ExpressionAttributeValues: { ':kind': KIND, ':calendar': calendar },
          ProjectionExpression: '#name',
          ExclusiveStartKey: startKey,
        }))
        names.push(...(out.Items ?? []).map(i => i.name as string))
        startKey = out.LastEvaluatedKey
      } while (startKey)
      return names
    },

    /** Every rule, page by page, in name order. */
    async* all(pageSize = 100): AsyncGenerator<Rule> {
      let cursor: string | undefined
      do {
        const page = await list({ limit: pageSize, cursor })
        yield* page.items
        cursor = page.cursor ?? undefined
      } while (cursor)
    },

    list,
  }
}

export type RulesRepository = ReturnType<typeof createRulesRepository>
