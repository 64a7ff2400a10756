// The audit trail: one record per change made through the API (who, what, when, from where), newest first.
import { randomUUID } from 'node:crypto'
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { AuditRecord } from '#shared/schemas/audit'
import type { Page } from '#shared/schemas/list'
import { decodeCursor, encodeCursor } from '../cursor'
import { AUDIT_BY_RULE, AUDIT_BY_TIME } from '../tables'
import { formatQuota } from '#shared/key-format'

// Constant partition key of the by-time index.
const KIND = 'audit'

export type { AuditRecord }

export type AuditInput = Omit<AuditRecord, 'id' | 'at'>

/** Creates the audit repository over one table. */
export function createAuditRepository(doc: DynamoDBDocumentClient, table: string) {
  return {
    /** Writes one record. */
    async record(input: AuditInput, now = new Date()): Promise<AuditRecord> {
      const record: AuditRecord = { id: randomUUID(), at: now.toISOString(), ...input }
      await doc.send(new PutCommand({
        TableName: table,
        Item: { ...record, kind: KIND, sortKey: `${record.at}#${record.id}` },
        ConditionExpression: 'attribute_not_exists(id)',
      }))
      return record
    },

    /** One page of records, newest first: of one rule (by-rule index) or of all (by-time index). */
    async list({ limit, cursor, rule }: { limit: number, cursor?: string, rule?: string }): Promise<Page<AuditRecord>> {
      const byRule = rule !== undefined
      const out = await doc.send(new QueryCommand({
        TableName: table,
        IndexName: byRule ? AUDIT_BY_RULE.index : AUDIT_BY_TIME.index,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': byRule ? 'rule' : 'kind' },
        ExpressionAttributeValues: { ':pk': byRule ? rule : KIND },
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: byRule
          ? decodeCursor(cursor, AUDIT_BY_RULE.keys, { rule })
          : decodeCursor(cursor, AUDIT_BY_TIME.keys, { kind: KIND }),
      }))
      const items = (out.Items ?? []).map(({ kind: _kind, sortKey: _sortKey, ...r }) => r as AuditRecord)
      return { items, cursor: encodeCursor(out.LastEvaluatedKey) }
    },
  }
}

export type AuditRepository = ReturnType<typeof createAuditRepository>

export interface ChangeFacts {
  method: string
  /** The matched route pattern, e.g. /api/rules/:name. */
  route: string
  params: Record<string, string>
  /** What the route answered (never copied whole into a record: a new key's answer holds the key). */
  body: unknown
}

type Bag = Record<string, unknown>
const bag = (v: unknown): Bag => (v && typeof v === 'object' ? v as Bag : {})
const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '?')
const list = (v: unknown): number => (Array.isArray(v) ? v.length : 0)

function keySummary(verb: string, body: Bag): string {
  const limits = `${text(body.rateLimit)}/s, burst ${text(body.burst)}, quota ${formatQuota(body.quota as never)}`
  return `${verb} ${text(body.scope)} key ${text(body.id)} '${text(body.name)}' (${limits})`
}

// Named from the view's fields only: a channel's URL and secret are never part of a record.
function channelSummary(verb: string, body: Bag): string {
  const rules = Array.isArray(body.rules) ? `rules ${body.rules.map(text).join(', ')}` : 'all rules'
  const events = Array.isArray(body.events) ? body.events.map(text).join(', ') : '?'
  return `${verb} ${text(body.type)} channel ${text(body.name)}: ${events} for ${rules}`
}

const ENTRY_KINDS = [['date', 'dates'], ['from', 'ranges'], ['annual', 'yearly dates'], ['holidays', 'holiday sets'], ['ics', '.ics files']] as const

/** `3 entries (1 dates, 1 holiday sets, 1 .ics files)`. */
function entriesSummary(entries: unknown): string {
  const all = Array.isArray(entries) ? entries.map(bag) : []
  const parts = ENTRY_KINDS.map(([field, name]) => [all.filter(e => field in e).length, name] as const).filter(([n]) => n > 0)
  return `${all.length} entries${parts.length ? ` (${parts.map(([n, name]) => `${n} ${name}`).join(', ')})` : ''}`
}

/** `1 armed, 2 removed, 0 run, 1 moved, 0 errors`: what the reconcile did to the reverts' schedules. */
// An override's resource: an EC2 instance's id alone, as before other types; another type's with it (`rds orders-db`).
const typed = (b: Bag) => (b.resourceType && b.resourceType !== 'ec2' ? `${text(b.resourceType)} ${text(b.instanceId)}` : text(b.instanceId))
const revertsSummary = (r: Bag) => `${text(r.armed)} armed, ${text(r.removed)} removed, ${text(r.ran)} run, ${text(r.moved)} moved, ${list(r.errors)} errors`

const SUMMARIES: Record<string, (f: ChangeFacts, b: Bag) => string> = {
  'POST /api/rules': (_f, b) => `created rule ${text(b.name)}: ${text(b.action)} on ${text(b.scheduleExpression)} ${text(b.timezone)}${b.enabled === false ? ', disabled' : ''}`,
  'PUT /api/rules/:name': (f, b) => `replaced rule ${f.params.name}: now version ${text(b.version)}, ${text(b.action)} on ${text(b.scheduleExpression)} ${text(b.timezone)}`,
  'PATCH /api/rules/:name': (f, b) => `${b.enabled ? 'enabled' : 'disabled'} rule ${f.params.name}${b.pausedUntil ? `, paused until ${text(b.pausedUntil)}` : ''} (now version ${text(b.version)})`,
  'DELETE /api/rules/:name': (f, b) => `deleted rule ${f.params.name} (was version ${text(b.version)})`,
  'POST /api/rules/:name/run': (f, b) => (b.dryRun
    ? `dry run of rule ${f.params.name}: would act on ${text(bag(b.counts).wouldAct)}, skip ${text(bag(b.counts).skipped)}`
    : `ran rule ${f.params.name} now: ${text(b.status)}, acted on ${text(bag(b.counts).acted)} of ${text(bag(b.counts).total)} (run ${text(b.eventId)})`),
  'POST /api/preview': (_f, b) => `previewed account ${text(b.accountId)}: would act on ${text(bag(b.counts).wouldAct)}, skip ${text(bag(b.counts).skipped)}`,
  'POST /api/admin/reconcile': (_f, b) => `reconciled schedules of ${text(b.rules)} rules: ${list(b.created)} created, ${list(b.updated)} updated, ${list(b.deleted)} removed, ${list(b.errors)} errors${b.reverts ? `; reverts: ${revertsSummary(bag(b.reverts))}` : ''}`,
  'POST /api/calendars': (_f, b) => `created calendar ${text(b.name)}: ${entriesSummary(b.entries)}`,
  'PUT /api/calendars/:name': (f, b) => `replaced calendar ${f.params.name}: now version ${text(b.version)}, ${entriesSummary(b.entries)}`,
  'DELETE /api/calendars/:name': (f, b) => `deleted calendar ${f.params.name} (was version ${text(b.version)})`,
  'POST /api/overrides': (_f, b) => `created override ${text(b.id)}: leave ${typed(b)} (account ${text(b.accountId)}, ${text(b.region)}) alone until ${text(b.until)}${b.reason ? `: ${text(b.reason)}` : ''}`,
  'DELETE /api/overrides/:id': (_f, b) => `ended override ${text(b.id)} of ${typed(b)} (account ${text(b.accountId)}, ${text(b.region)}), which ran until ${text(b.until)}`,
  'POST /api/channels': (_f, b) => channelSummary('created', b),
  'PUT /api/channels/:name': (_f, b) => `${channelSummary('replaced', b)} (now version ${text(b.version)})`,
  'DELETE /api/channels/:name': (_f, b) => channelSummary('deleted', b),
  'POST /api/channels/:name/test': (f, b) => `sent a test notice to channel ${f.params.name}: ${b.ok ? 'delivered' : 'not delivered'}${b.httpStatus ? ` (HTTP ${text(b.httpStatus)})` : ''}`,
  'POST /api/keys': (_f, b) => keySummary('created', b),
  'DELETE /api/keys/:id': (_f, b) => keySummary('revoked', b),
}

/** One line that says what a change did, from its route and its answer; never includes a key. */
export function summarizeChange(facts: ChangeFacts): string {
  const summarize = SUMMARIES[`${facts.method} ${facts.route}`]
  return summarize ? summarize(facts, bag(facts.body)) : `${facts.method} ${facts.route}`
}

/** The run a change started: the eventId of a run made now (not of a dry run, which logs nothing). */
export function changedRun(facts: ChangeFacts): string | undefined {
  if (facts.method !== 'POST' || facts.route !== '/api/rules/:name/run') return undefined
  const body = bag(facts.body)
  return !body.dryRun && typeof body.eventId === 'string' && body.eventId ? body.eventId : undefined
}

/** The rule a change was about: the :name of a rule route, or the name of a created rule. */
export function changedRule(facts: ChangeFacts): string | undefined {
  if (!facts.route.startsWith('/api/rules')) return undefined
  const name = facts.params.name ?? bag(facts.body).name
  return typeof name === 'string' && name ? name : undefined
}
