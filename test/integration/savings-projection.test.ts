// The projected saving of a stop rule through POST /api/preview, against the built server with its EC2 on moto and
// prices from a CSV table: paired with a stored start rule on the same instances, priced, and absent for a start rule
// or settings sent without a schedule.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { motoEc2, motoEndpoint, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-projection-0123456789'
const PRICE = 0.0104
const MONTH_DAYS = 365.25 / 12
let server: RunningServer
const call = apiClient(() => server.url, KEY)

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-prices-'))
  writeFileSync(join(dir, 'prices.csv'), `region,instanceType,pricePerHour,currency\nus-east-1,t3.micro,${PRICE},USD\n`)
  server = await startServer({
    NUXT_ADMIN_API_KEY: KEY,
    NUXT_PRICE_TABLE: join(dir, 'prices.csv'),
    AWS_ENDPOINT_URL_EC2: motoEndpoint(),
    AWS_ENDPOINT_URL_STS: motoEndpoint(),
  })
})
afterAll(async () => server && stopAndClean(server))

describe('POST /api/preview: the projected saving', () => {
  it('pairs a stop rule with the start rule on its instances and prices the time off from the CSV table', async () => {
    const tag = uniqueValue('proj')
    const ec2 = motoEc2('us-east-1')
    const ids = await seedInstances(ec2, { count: 2, tags: { app: tag }, instanceType: 't3.micro' })
    const mornings = `proj-start-${tag}`
    const created = await call('POST', '/api/rules', {
      name: mornings, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'start', filters: `tag:app=${tag}`,
      scheduleExpression: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC',
    })
    expect(created.status).toBe(201)

    const settings = { accountId: OWN_ACCOUNT, regions: ['us-east-1'], filters: `tag:app=${tag}`, scheduleExpression: 'cron(0 19 ? * MON-FRI *)', timezone: 'UTC' }
    const res = await call('POST', '/api/preview', { ...settings, action: 'stop' })
    expect(res.status).toBe(200)
    expect(res.body.targets).toEqual(expect.arrayContaining([expect.objectContaining({ instanceId: ids[0], instanceType: 't3.micro', outcome: 'would-stop' })]))
    // Whenever the window opens, four whole weeks in UTC hold four weeks of weeknights (12 h) and weekends (60 h):
    // what the first week loses before its first stop, the window's end counts after its last.
    const p = res.body.projection
    expect(p).toMatchObject({ basis: 'paired', startRules: [mornings], hoursPerWeek: 108, instances: 2 })
    const perInstance = 108 * 4 * MONTH_DAYS / 28
    expect(p.hoursPerMonth).toBeCloseTo(2 * perInstance, 1)
    expect(p.cost).toEqual({ amount: Math.round(2 * perInstance * PRICE * 100) / 100, currency: 'USD', estimated: true, source: 'csv', priced: 2, unpriced: 0 })
    // A preview acts on nothing.
    expect(Object.values(await statesOf(ec2, ids))).toEqual(['running', 'running'])

    // A start rule saves nothing by itself; settings without a schedule are not projected.
    expect((await call('POST', '/api/preview', { ...settings, action: 'start' })).body.projection).toBeUndefined()
    const { scheduleExpression: _s, ...unscheduled } = settings
    expect((await call('POST', '/api/preview', { ...unscheduled, action: 'stop' })).body.projection).toBeUndefined()
  })

  it('answers 400 with the field for a schedule it cannot read', async () => {
    const res = await call('POST', '/api/preview', { accountId: OWN_ACCOUNT, action: 'stop', allInstances: true, scheduleExpression: 'cron(nonsense)' })
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'scheduleExpression' })]))
  })
})
