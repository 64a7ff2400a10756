// GET /api/savings of the built server over moto's DynamoDB, once runs are recorded there (recordRun, the hook's
// record, with its monthly roll-ups): for every grouping, and ranges with whole months (read from their roll-ups) and
// without, the answer is exactly the one read from the daily aggregates alone, priced from a CSV table.
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { SAVINGS_GROUPS, savingsQuerySchema } from '../../shared/schemas/savings'
import { parseServerConfig } from '../../server/utils/config'
import { documentClient } from '../../server/utils/store'
import { ensureTables } from '../../server/utils/tables'
import { csvPrices, noPrices } from '../../server/utils/savings/prices'
import { readSavings } from '../../server/utils/savings/read'
import { recordRun } from '../../server/utils/savings/record'
import { createSavingsRepository } from '../../server/utils/savings/repository'
import { motoEndpoint } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-savings-0123456789'
const HOUR = 3_600_000
const DAY = 24 * HOUR
// Fixed days far from today: every interval is closed by the last runs, so nothing counts up to the server's now.
const FIRST = Date.parse('2026-01-26T00:00:00Z')
const LAST = Date.parse('2026-03-03T00:00:00Z')

const FLEETS = [
  { rule: 'nightly', accountId: '111111111111', region: 'us-east-1', ids: ['i-0d1', 'i-0d2'], instanceType: 't3.micro', weekdaysOnly: false },
  { rule: 'weekdays', accountId: '222222222222', region: 'us-east-1', ids: ['i-0e1'], instanceType: 'm5.large', weekdaysOnly: true },
]

function run(f: typeof FLEETS[number], at: number, action: 'stop' | 'start'): LogEntry {
  const iso = new Date(at).toISOString()
  return {
    eventId: `${f.rule}-${action}-${iso}-${randomUUID().slice(0, 4)}`, ruleName: f.rule, trigger: 'schedule', scheduledTime: iso, startedAt: iso, finishedAt: iso, action,
    accountId: f.accountId, regions: [f.region], filters: [], status: 'succeeded', counts: { total: f.ids.length, acted: f.ids.length, skipped: 0, failed: 0 },
    targets: f.ids.map(instanceId => ({ instanceId, region: f.region, instanceType: f.instanceType, stateBefore: action === 'stop' ? 'running' : 'stopped', outcome: action === 'stop' ? 'stopped' as const : 'started' as const })),
  }
}

describe('GET /api/savings over the monthly roll-ups, on moto\'s DynamoDB', () => {
  const prefix = `s${randomUUID().slice(0, 8)}-`
  const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const tables = { ...config.tables, ...config.accessTables }
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const repository = createSavingsRepository(documentClient(dynamo), config.tables.savings, () => new Date(FIRST))
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-prices-'))
  const priceTable = join(dir, 'prices.csv')
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)

  beforeAll(async () => {
    await ensureTables(dynamo, tables)
    writeFileSync(priceTable, 'region,instanceType,pricePerHour,currency\nus-east-1,t3.micro,0.0104,USD\n')
    // Stops at 19:00, starts at 07:00 the next (week)day; the last day ends with a start.
    for (let day = FIRST; day <= LAST; day += DAY) {
      const weekday = new Date(day).getUTCDay()
      const working = weekday >= 1 && weekday <= 5
      for (const f of FLEETS) if (day > FIRST && (!f.weekdaysOnly || working)) await recordRun(repository, run(f, day + 7 * HOUR, 'start'))
      for (const f of FLEETS) if (day < LAST && (!f.weekdaysOnly || working)) await recordRun(repository, run(f, day + 19 * HOUR, 'stop'))
    }
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, NUXT_STORE: 'dynamodb', NUXT_SCHEDULER: 'local', NUXT_TABLE_PREFIX: prefix, AWS_ENDPOINT_URL_DYNAMODB: motoEndpoint(), NUXT_PRICE_TABLE: priceTable })
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
    for (const TableName of Object.values(tables)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
    dynamo.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('keeps one roll-up per rule for each month, beside the days', async () => {
    const february = await repository.rollups(['2026-02'])
    expect(february.map(r => r.rule).sort()).toEqual(['nightly', 'weekdays'])
    const days = await repository.days('2026-02-01', '2026-02-28')
    for (const r of february) expect(r.hours).toBeCloseTo(days.filter(d => d.rule === r.rule).reduce((sum, d) => sum + d.hours, 0), 9)
  })

  it.each([
    ['with a whole month and a few days either side', { from: '2026-01-26', to: '2026-03-03' }],
    ['of exactly one month', { from: '2026-02-01', to: '2026-02-28' }],
    ['inside one month', { from: '2026-02-03', to: '2026-02-17' }],
    ['of instants in other time zones', { from: '2026-02-01T06:30:00+09:00', to: '2026-03-01T02:00:00-03:00' }],
  ])('answers a range %s exactly as the daily aggregates alone do, for every grouping', async (_name, range) => {
    const daysOnly = { ...repository, rollupsSince: async () => null }
    for (const groupBy of SAVINGS_GROUPS) {
      const answer = await call('GET', `/api/savings?${new URLSearchParams({ ...range, groupBy })}`)
      expect(answer.status, JSON.stringify(answer.body)).toBe(200)
      const now = new Date()
      const expected = await readSavings({ repository: daysOnly, prices: async () => csvPrices(priceTable) }, savingsQuerySchema(() => now).parse({ ...range, groupBy }), now)
      expect(answer.body).toEqual(expected)
      expect(answer.body.hours).toBeGreaterThan(0)
      expect(answer.body.cost).toMatchObject({ currency: 'USD', estimated: true, source: 'csv' })
    }
  })
})

describe('a month\'s summary of its roll-ups, on moto\'s DynamoDB', () => {
  const prefix = `m${randomUUID().slice(0, 8)}-`
  const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const repository = createSavingsRepository(documentClient(dynamo), config.tables.savings, () => new Date(FIRST))
  const query = (groupBy: typeof SAVINGS_GROUPS[number]) => savingsQuerySchema(() => new Date(LAST)).parse({ from: '2026-02-01', to: '2026-02-28', groupBy })

  beforeAll(async () => {
    await ensureTables(dynamo, { savings: config.tables.savings })
    const nightly = FLEETS[0]!
    for (let day = FIRST; day < LAST; day += DAY) {
      await recordRun(repository, run(nightly, day + 7 * HOUR, 'start'))
      await recordRun(repository, run(nightly, day + 19 * HOUR, 'stop'))
    }
  })
  afterAll(async () => {
    await dynamo.send(new DeleteTableCommand({ TableName: config.tables.savings })).catch(() => {})
    dynamo.destroy()
  })

  it('is kept by the first read with the month\'s count of adds, answers the next reads alone, and is made again after an add', async () => {
    const read = (groupBy: typeof SAVINGS_GROUPS[number]) => readSavings({ repository, prices: async () => noPrices }, query(groupBy), new Date(LAST))
    const daysOnly = { ...repository, rollupsSince: async () => null }
    const expected = await readSavings({ repository: daysOnly, prices: async () => noPrices }, query('day'), new Date(LAST))
    expect(await read('day')).toEqual(expected)
    const [state] = (await repository.monthStates(['2026-02'])).values()
    // The runs added to February's roll-up (a start's record adds its chunk to each month its night spans), and the
    // summary saw them all.
    expect(state!.version).toBeGreaterThanOrEqual(28)
    expect(state!.summary?.version).toBe(state!.version)
    // The next read answers from the summary alone: the roll-ups are not read.
    const unread = { ...repository, rollups: () => Promise.reject(new Error('the roll-ups were read')) }
    expect(await readSavings({ repository: unread, prices: async () => noPrices }, query('day'), new Date(LAST))).toEqual(expected)
    // An add to February moves its count past the summary's: the next read reads the roll-ups again.
    await repository.addToMonth('2026-02', 'nightly', new Map([['c:111111111111|us-east-1|t3.micro', 1], ['d:28|us-east-1|t3.micro', 1]]), 1, 'late-add')
    const after = await read('rule')
    expect(after.hours).toBeCloseTo(expected.hours + 1, 6)
    expect((await repository.monthStates(['2026-02'])).get('2026-02')!.summary?.version).toBe(state!.version + 1)
  })
})
