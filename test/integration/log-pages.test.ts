// No outcome dropped from a run's log (issue 15 §3): a run over 3,000 instances, in a header and pages of outcomes, on
// moto's DynamoDB and on the embedded store, then through the built server's API on moto. The 3,000 outcomes are a
// recorded set written through the executor's log path (runOnce, writeOnce), not 3,000 moto instances: moto would make
// the run minutes long, and what is under test is how the log stores and answers them, not EC2.
import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry, LogTarget, TargetOutcome } from '../../shared/schemas/log'
import { parseServerConfig } from '../../server/utils/config'
import { LogNotFound } from '../../server/utils/errors'
import { runOnce, writeOnce } from '../../server/utils/executor/once'
import { countTargets, runStatus } from '../../server/utils/executor/summary'
import { createLogsRepository } from '../../server/utils/logs'
import type { LogsRepository } from '../../server/utils/logs'
import { documentClient } from '../../server/utils/store'
import { ensureTables } from '../../server/utils/tables'
import { motoEndpoint } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'
import { embeddedStore, motoStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const OWN = '111111111111'
const OTHER = '222222222222'
const REGIONS = ['us-east-1', 'eu-west-1']
// Runs are dated relative to now, and the repository reads the same clock, so nothing depends on the date.
const STARTED = new Date(Math.floor(Date.now() / 1000) * 1000 - 3_600_000).toISOString()
const DAY = 86_400_000
// moto's DynamoDB takes a second or more for each item of ~100 KB on a loaded machine: the moto cases get minutes.
const SLOW = 180_000

/** 3,000 recorded outcomes over two accounts and two regions: 3 failed, a third skipped, the rest stopped. */
function fleet(n = 3000): LogTarget[] {
  const failed = new Set([17, 1_601, 2_999])
  return Array.from({ length: n }, (_, i): LogTarget => {
    const outcome: TargetOutcome = failed.has(i) ? 'failed' : i % 3 === 0 ? 'skipped' : 'stopped'
    return {
      instanceId: `i-${i.toString(16).padStart(17, '0')}`,
      region: REGIONS[Math.floor(i / 750) % 2]!,
      ...(i >= 1_500 ? { accountId: OTHER } : {}),
      name: `web-${i}`,
      instanceType: 't3.micro',
      stateBefore: 'running',
      stateAfter: outcome === 'stopped' ? 'stopped' : 'running',
      outcome,
      ...(outcome === 'failed' ? { error: 'UnsupportedOperation: the instance has an instance store volume' } : {}),
      ...(outcome === 'skipped' ? { reason: 'opted out (ouroboros:skip=true)' } : {}),
    }
  })
}

function runOf(eventId: string, targets: LogTarget[]): LogEntry {
  const counts = countTargets(targets)
  return {
    eventId, ruleName: 'fleet-stop', trigger: 'schedule', scheduledTime: STARTED, startedAt: STARTED, finishedAt: STARTED,
    action: 'stop', accountId: OWN, regions: REGIONS, filters: [{ key: 'tag:env', values: ['dev'] }], targets, counts, ...runStatus(counts, []),
  }
}

/** Every item of run `eventId`: its header (keyed by the eventId) and its pages (`targets#<eventId>#…`). */
async function itemsOf(doc: DynamoDBDocumentClient, table: string, eventId: string) {
  const items: Record<string, unknown>[] = []
  let start: Record<string, unknown> | undefined
  do {
    const out = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }))
    items.push(...(out.Items ?? []).filter(i => i.eventId === eventId || String(i.eventId).startsWith(`targets#${eventId}#`)))
    start = out.LastEvaluatedKey
  } while (start)
  return items
}

/** How many outcomes an item holds: a header's list, or a page's JSON text. */
const outcomesIn = (item: Record<string, unknown>) => (typeof item.targets === 'string' ? JSON.parse(item.targets) as unknown[] : item.targets as unknown[]).length

/** The executor's log path: once per delivery of `eventId`, the run answering `entry`. */
async function deliver(logs: LogsRepository, entry: LogEntry, ran: { count: number }) {
  return runOnce({ logs }, { rule: entry.ruleName, executionId: entry.eventId, trigger: 'schedule', dryRun: false }, async () => {
    ran.count++
    return writeOnce({ logs }, entry)
  })
}

describe.each([
  ['moto DynamoDB', motoStore],
  ['embedded store', embeddedStore],
] as const)('a run\'s outcomes in pages on %s', (_label, open) => {
  let ctx: TestStore
  let logs: LogsRepository
  const targets = fleet()

  beforeAll(async () => {
    ctx = await open()
    logs = createLogsRepository(ctx.store.doc, ctx.tables.logs, 90)
  })
  afterAll(async () => ctx?.cleanup())

  it('stores every one of 3,000 outcomes, each item under 400 KB and carrying the run\'s expiry, and reads them all back', async () => {
    const entry = runOf(`evt-${randomUUID()}`, targets)
    const ran = { count: 0 }
    expect(await deliver(logs, entry, ran)).toEqual(entry)
    expect((await logs.get(entry.eventId)).targets).toEqual(targets)

    const items = await itemsOf(ctx.store.doc, ctx.tables.logs, entry.eventId)
    expect(items.length).toBeGreaterThan(4)
    const expiry = Math.floor(Date.parse(STARTED) / 1000) + 90 * 86_400
    for (const item of items) {
      expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(400_000 / 2)
      expect(item.expiresAt).toBe(expiry)
    }
    // Only the header is a run: the pages carry no index attribute, so no list shows them.
    expect(items.filter(i => i.kind === 'log')).toHaveLength(1)
    expect(items.reduce((n, i) => n + outcomesIn(i), 0)).toBe(3000)

    // A redelivery answers the log and writes nothing: the same items, no more.
    expect(await deliver(logs, entry, ran)).toEqual(entry)
    expect(ran.count).toBe(1)
    expect((await itemsOf(ctx.store.doc, ctx.tables.logs, entry.eventId)).map(i => i.eventId).sort()).toEqual(items.map(i => i.eventId).sort())
  }, SLOW)

  it('keeps the counts exact in the header: by outcome, account, region and type', async () => {
    const entry = runOf(`evt-${randomUUID()}`, targets)
    await logs.put(entry)
    const head = await logs.head(entry.eventId)
    expect(head.counts).toEqual({ total: 3000, acted: 1997, skipped: 1000, failed: 3 })
    expect(head.countsBy!.outcome).toEqual({ stopped: 1997, skipped: 1000, failed: 3 })
    expect(Object.values(head.countsBy!.account).map(c => Object.values(c).reduce((a, b) => a + b!, 0))).toEqual([1500, 1500])
    expect(head.countsBy!.account[OTHER]!.failed).toBe(2)
    expect(head.countsBy!.region['eu-west-1']!.failed).toBe(1)
    expect(head.countsBy!.resourceType).toEqual({ ec2: { stopped: 1997, skipped: 1000, failed: 3 } })
    expect(head.targets).toEqual(targets.slice(0, head.targets.length))
    expect(head.targetsCursor).not.toBeNull()
  }, SLOW)

  it('leaves no visible run when the header is not written after its pages, and prunes those pages once expired', async () => {
    const entry = runOf(`evt-${randomUUID()}`, targets)
    // The process dies between the pages and the header: the header's put never reaches the table.
    const crashing = {
      send: (command: unknown) => command instanceof PutCommand ? Promise.reject(new Error('killed')) : ctx.store.doc.send(command as never),
    } as unknown as DynamoDBDocumentClient
    await expect(createLogsRepository(crashing, ctx.tables.logs, 90).put(entry)).rejects.toThrow('killed')
    await expect(logs.get(entry.eventId)).rejects.toBeInstanceOf(LogNotFound)
    const orphans = await itemsOf(ctx.store.doc, ctx.tables.logs, entry.eventId)
    expect(orphans.length).toBeGreaterThan(0)
    expect(orphans.every(i => typeof i.expiresAt === 'number')).toBe(true)
    // The next delivery logs the run whole, beside them.
    await logs.put(entry)
    expect((await logs.get(entry.eventId)).targets).toEqual(targets)
    // Past the retention, the embedded store's pruning deletes the run and every page, the orphans too.
    await logs.pruneExpired(new Date(Date.parse(STARTED) + 91 * DAY))
    expect(await itemsOf(ctx.store.doc, ctx.tables.logs, entry.eventId)).toEqual([])
  }, SLOW)

  it('rewrites a run whole (the follow-up check), its old pages deleted', async () => {
    const entry = runOf(`evt-${randomUUID()}`, targets)
    await logs.put(entry)
    const before = (await logs.get(entry.eventId))
    const changed = before.targets.map((t, i) => (i === 2_000 ? { ...t, outcome: 'failed' as const, error: 'back to running' } : t))
    await logs.complete({ ...before, targets: changed, counts: countTargets(changed) })
    const after = await logs.get(entry.eventId)
    expect(after.targets).toEqual(changed)
    expect((await logs.head(entry.eventId)).countsBy!.outcome.failed).toBe(4)
    const items = await itemsOf(ctx.store.doc, ctx.tables.logs, entry.eventId)
    expect(items.reduce((n, i) => n + outcomesIn(i), 0)).toBe(3000)
  }, SLOW)

  it('pages through one run\'s outcomes with a cursor, and filters them by outcome and account', async () => {
    const entry = runOf(`evt-${randomUUID()}`, targets)
    await logs.put(entry)
    const seen: LogTarget[] = []
    let cursor: string | undefined
    do {
      const page = await logs.targets(entry.eventId, { limit: 100, cursor })
      expect(page.total).toBe(3000)
      seen.push(...page.items)
      cursor = page.cursor ?? undefined
    } while (cursor)
    expect(seen).toEqual(targets)
    const failed = await logs.targets(entry.eventId, { limit: 100, outcome: 'failed' })
    expect(failed).toEqual({ items: targets.filter(t => t.outcome === 'failed'), total: 3, cursor: null })
    const other = await logs.targets(entry.eventId, { limit: 100, account: OTHER, outcome: 'failed' })
    expect(other.items.map(t => t.instanceId)).toEqual(targets.filter(t => t.accountId === OTHER && t.outcome === 'failed').map(t => t.instanceId))
  }, SLOW)
})

describe('a run\'s outcomes through the API of the built server, on moto\'s DynamoDB', () => {
  const KEY = 'test-admin-key-log-pages-0123456789'
  const prefix = `lp${randomUUID().slice(0, 8)}-`
  const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const tables = { ...config.tables, ...config.accessTables }
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const logs = createLogsRepository(documentClient(dynamo), config.tables.logs, 90)
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)
  const targets = fleet()
  const entry = runOf(`evt-${randomUUID()}`, targets)

  beforeAll(async () => {
    await ensureTables(dynamo, tables)
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, NUXT_STORE: 'dynamodb', NUXT_SCHEDULER: 'local', NUXT_TABLE_PREFIX: prefix, AWS_ENDPOINT_URL_DYNAMODB: motoEndpoint() })
    await deliver(logs, entry, { count: 0 })
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
    for (const TableName of Object.values(tables)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
    dynamo.destroy()
  })

  it('lists all 3,000 outcomes: the run\'s first page, then the rest page by page, and the counts match', async () => {
    const head = await call('GET', `/api/logs/${entry.eventId}`, undefined, null)
    expect(head.status).toBe(200)
    expect(head.body.counts).toEqual(entry.counts)
    expect(head.body.countsBy.outcome).toEqual({ stopped: 1997, skipped: 1000, failed: 3 })
    const seen: LogTarget[] = [...head.body.targets]
    let cursor: string | null = head.body.targetsCursor
    while (cursor) {
      const page = await call('GET', `/api/logs/${entry.eventId}/targets?limit=100&cursor=${cursor}`, undefined, null)
      expect(page.status).toBe(200)
      seen.push(...page.body.items)
      cursor = page.body.cursor
    }
    expect(seen).toHaveLength(3000)
    expect(seen).toEqual(targets)
    expect(seen.filter(t => t.outcome === 'failed')).toHaveLength(head.body.counts.failed)
  }, SLOW)

  it('shows the 3 failed of 3,000, and one account\'s', async () => {
    const failed = await call('GET', `/api/logs/${entry.eventId}/targets?outcome=failed`, undefined, null)
    expect(failed.body).toEqual({ items: targets.filter(t => t.outcome === 'failed'), total: 3, cursor: null })
    const other = await call('GET', `/api/logs/${entry.eventId}/targets?account=${OTHER}&limit=100`, undefined, null)
    expect(other.body.total).toBe(1500)
    expect(other.body.items.every((t: LogTarget) => t.accountId === OTHER)).toBe(true)
    const next = await call('GET', `/api/logs/${entry.eventId}/targets?account=${OTHER}&limit=100&cursor=${other.body.cursor}`, undefined, null)
    expect(next.body.items[0]).toEqual(targets.filter(t => t.accountId === OTHER)[100])
  }, SLOW)

  it('keeps the list of runs light: no outcomes, no pages', async () => {
    const list = await call('GET', '/api/logs?rule=fleet-stop', undefined, null)
    expect(list.body.items.map((l: LogEntry) => l.eventId)).toEqual([entry.eventId])
    expect(list.body.items[0]).not.toHaveProperty('targets')
    expect(list.body.items[0]).not.toHaveProperty('countsBy')
    expect(list.body.items[0]).not.toHaveProperty('targetPages')
  }, SLOW)

  it.each([
    ['outcome=gone', 'outcome', 'log.outcome.choice'],
    ['account=12345', 'account', 'log.account.digits'],
    ['type=lambda', 'type', 'log.type.choice'],
    ['limit=0', 'limit', 'list.limit.min'],
  ])('answers 400 with the field\'s coded issue for ?%s', async (query, path, code) => {
    const res = await call('GET', `/api/logs/${entry.eventId}/targets?${query}`, undefined, null)
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([expect.objectContaining({ path, code })])
  }, SLOW)

  it('answers 400 for a tampered cursor and 404 for an unknown run', async () => {
    const tampered = Buffer.from(JSON.stringify({ c: 999, o: 0 })).toString('base64url')
    expect((await call('GET', `/api/logs/${entry.eventId}/targets?cursor=${tampered}`, undefined, null)).status).toBe(400)
    expect((await call('GET', '/api/logs/evt-no-such-run/targets', undefined, null)).status).toBe(404)
    expect((await call('GET', '/api/logs/evt-no-such-run', undefined, null)).status).toBe(404)
  }, SLOW)
})
