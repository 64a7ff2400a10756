// Pauses and per-instance overrides through the API of the built server, once on its embedded store and once on moto's
// DynamoDB, with moto's EC2: PATCH pausedUntil and the rule's next skips; POST, GET and DELETE /api/overrides; a run
// that leaves an overridden instance alone; its revert when the override is ended; 400s at their fields, 401s without
// a key, and the audit trail of every change. Times are taken relative to now.
import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseServerConfig } from '../../server/utils/config'
import { ensureTables } from '../../server/utils/tables'
import { motoEc2, motoEndpoint, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-overrides-0123456789'
const BOOTSTRAP = 'bootstrap key (NUXT_ADMIN_API_KEY)'

interface Setup {
  env: Record<string, string>
  cleanup: () => Promise<void>
}

async function embedded(): Promise<Setup> {
  return { env: {}, cleanup: async () => {} }
}

async function motoDynamo(): Promise<Setup> {
  const prefix = `o${randomUUID().slice(0, 8)}-`
  const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const tables = { ...config.tables, ...config.accessTables }
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  await ensureTables(dynamo, tables)
  return {
    env: { NUXT_STORE: 'dynamodb', NUXT_SCHEDULER: 'local', NUXT_TABLE_PREFIX: prefix, AWS_ENDPOINT_URL_DYNAMODB: motoEndpoint() },
    cleanup: async () => {
      for (const TableName of Object.values(tables)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
      dynamo.destroy()
    },
  }
}

// An instant `hours` from now, to the minute (so its display carries no seconds).
const fromNow = (hours: number) => new Date(Math.ceil((Date.now() + hours * 3_600_000) / 60_000) * 60_000).toISOString()
const minute = (iso: string) => `${iso.slice(0, 16)}Z`

describe.each([
  ['the embedded store', embedded],
  ['moto\'s DynamoDB', motoDynamo],
] as const)('pauses and overrides API on %s', (_label, open) => {
  let setup: Setup
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)
  const ec2 = motoEc2('us-east-1')
  const tag = uniqueValue('api-ovr')
  const rule = (name: string) => ({
    name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: `tag:app=${tag}`,
    scheduleExpression: 'cron(0 8 ? * * *)', timezone: 'Europe/Berlin',
  })

  beforeAll(async () => {
    setup = await open()
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL_EC2: motoEndpoint(), AWS_ENDPOINT_URL_STS: motoEndpoint(), ...setup.env })
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
    await setup?.cleanup()
  })

  it('pauses a rule until an instant: its firings until then are skips, and null ends the pause', async () => {
    expect((await call('POST', '/api/rules', rule('paused'))).status).toBe(201)
    const until = fromNow(72)
    const paused = await call('PATCH', '/api/rules/paused', { pausedUntil: until, version: 1 })
    expect(paused.status, JSON.stringify(paused.body)).toBe(200)
    expect(paused.body).toMatchObject({ pausedUntil: until, version: 2, enabled: true })

    const read = (await call('GET', '/api/rules/paused')).body
    expect(read.nextSkips.length).toBeGreaterThanOrEqual(2)
    for (const skip of read.nextSkips) {
      expect(skip.reason).toBe(`paused until ${minute(until)}`)
      expect(Date.parse(skip.at)).toBeLessThan(Date.parse(until))
    }
    expect(read.nextRuns).toHaveLength(5)
    for (const at of read.nextRuns) expect(Date.parse(at)).toBeGreaterThanOrEqual(Date.parse(until))

    const cleared = await call('PATCH', '/api/rules/paused', { pausedUntil: null })
    expect(cleared.status).toBe(200)
    expect(cleared.body.pausedUntil).toBeUndefined()
    expect((await call('GET', '/api/rules/paused')).body.nextSkips).toEqual([])
  })

  it.each([
    ['a pause that ends in the past', () => ({ pausedUntil: fromNow(-1) }), 'pausedUntil', 'rule.pausedUntil.past'],
    ['a pause that is no instant', () => ({ pausedUntil: 'tomorrow' }), 'pausedUntil', 'rule.pausedUntil.iso'],
    ['nothing to change', () => ({ version: 3 }), '', 'rule.patch.empty'],
  ])('answers 400 for %s, at its field, and changes nothing', async (_what, body, path, code) => {
    const res = await call('PATCH', '/api/rules/paused', body())
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([expect.objectContaining({ path, code, message: expect.any(String) })])
    expect((await call('GET', '/api/rules/paused')).body.version).toBe(3)
  })

  it('creates, lists and ends an override, recorded with the key that made it', async () => {
    const until = fromNow(5)
    const created = await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0', until, reason: 'release testing' })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ id: expect.any(String), until, reason: 'release testing', createdBy: { keyId: 'bootstrap', keyName: BOOTSTRAP } })
    const listed = await call('GET', '/api/overrides', undefined, null)
    expect(listed.status).toBe(200)
    expect(listed.body.items).toEqual([created.body])

    const ended = await call('DELETE', `/api/overrides/${created.body.id}`)
    expect(ended.status).toBe(200)
    expect(ended.body).toMatchObject({ id: created.body.id })
    expect((await call('DELETE', `/api/overrides/${created.body.id}`)).status).toBe(404)
    expect((await call('GET', '/api/overrides')).body.items).toEqual([])
  })

  it.each([
    ['an end in the past', { until: fromNow(-1) }, 'until', 'override.until.past'],
    ['an instance id that is none', { instanceId: 'web-1' }, 'instanceId', 'override.instanceId.format'],
    ['an account id that is none', { accountId: '12' }, 'accountId', 'rule.accountId.digits'],
  ])('answers 400 for an override with %s, at its field, and stores nothing', async (_what, change, path, code) => {
    const res = await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0', until: fromNow(1), ...change })
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([expect.objectContaining({ path, code })])
    expect((await call('GET', '/api/overrides')).body.items).toEqual([])
  })

  it('needs the admin key for every change, and answers 400 for an id that is none', async () => {
    expect((await call('PATCH', '/api/rules/paused', { pausedUntil: fromNow(1) }, null)).status).toBe(401)
    expect((await call('POST', '/api/overrides', {}, null)).status).toBe(401)
    expect((await call('DELETE', `/api/overrides/${randomUUID()}`, undefined, null)).status).toBe(401)
    const bad = await call('DELETE', '/api/overrides/not-an-id')
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues).toEqual([expect.objectContaining({ path: 'id', code: 'override.id.format' })])
  })

  it('keeps a database, a cluster or a group as is too, each named as its type names one', async () => {
    for (const [resourceType, instanceId] of [['rds', 'orders-db'], ['aurora', 'orders-cluster'], ['asg', 'web servers']] as const) {
      const made = await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', resourceType, instanceId, until: fromNow(3) })
      expect(made.status, JSON.stringify(made.body)).toBe(201)
      expect(made.body).toMatchObject({ resourceType, instanceId })
      const listed = (await call('GET', '/api/overrides')).body.items
      expect(listed).toContainEqual(expect.objectContaining({ id: made.body.id, resourceType, instanceId }))
      expect((await call('DELETE', `/api/overrides/${made.body.id}`)).status).toBe(200)
    }
    const wrong = await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', resourceType: 'asg', instanceId: 'web#1', until: fromNow(3) })
    expect(wrong.status).toBe(400)
    expect(wrong.body.data.issues).toEqual([expect.objectContaining({ path: 'instanceId', code: 'override.instanceId.asg', params: { value: 'web#1' } })])
    const unknown = await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', resourceType: 'lambda', instanceId: 'fn', until: fromNow(3) })
    expect(unknown.status).toBe(400)
    expect(unknown.body.data.issues).toEqual([expect.objectContaining({ path: 'resourceType', code: 'override.resourceType.choice' })])
  })

  it('leaves an overridden instance alone in a run, and reverts it when the override is ended', async () => {
    const [kept, other] = await seedInstances(ec2, { count: 2, tags: { app: tag } })
    const override = (await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: kept, until: fromNow(2), reason: 'release testing' })).body
    expect((await call('POST', '/api/rules', rule('kept'))).status).toBe(201)
    const run = await call('POST', '/api/rules/kept/run', {})
    expect(run.status, JSON.stringify(run.body)).toBe(201)
    const byId = Object.fromEntries(run.body.targets.map((t: { instanceId: string }) => [t.instanceId, t]))
    expect(byId[kept!]).toMatchObject({ outcome: 'skipped', reason: `override until ${minute(override.until)} by key '${BOOTSTRAP}': release testing` })
    expect(byId[other!]).toMatchObject({ outcome: 'stopped' })
    expect(await statesOf(ec2, [kept!])).toEqual({ [kept!]: 'running' })

    const ended = await call('DELETE', `/api/overrides/${override.id}`)
    expect(ended.body.revertAt).toEqual(expect.any(String))
    let revert
    for (const deadline = Date.now() + 20_000; !revert && Date.now() < deadline; await new Promise(r => setTimeout(r, 200))) {
      revert = (await call('GET', '/api/logs?rule=kept')).body.items.find((l: { trigger: string }) => l.trigger === 'revert')
    }
    expect(revert).toMatchObject({ trigger: 'revert', status: 'succeeded', action: 'stop' })
    expect(revert.message).toContain(`revert at the end of override ${override.id}`)
    expect(await statesOf(ec2, [kept!])).toEqual({ [kept!]: 'stopped' })
  })

  it('records every pause and override in the audit trail', async () => {
    const trail = (await call('GET', '/api/audit?limit=100')).body.items
      .filter((r: { route: string }) => r.route.includes('/api/overrides') || r.route === 'PATCH /api/rules/:name')
      .map((r: { summary: string }) => r.summary).reverse()
    expect(trail).toEqual([
      expect.stringMatching(/^enabled rule paused, paused until \S+Z \(now version 2\)$/),
      'enabled rule paused (now version 3)',
      expect.stringMatching(/^created override \S+: leave i-0123456789abcdef0 \(account 123456789012, us-east-1\) alone until \S+: release testing$/),
      expect.stringMatching(/^ended override \S+ of i-0123456789abcdef0 \(account 123456789012, us-east-1\), which ran until \S+$/),
      ...['rds orders-db', 'aurora orders-cluster', 'asg web servers'].flatMap(resource => [
        expect.stringMatching(new RegExp(`^created override \\S+: leave ${resource} \\(account 123456789012, us-east-1\\) alone until \\S+$`)),
        expect.stringMatching(new RegExp(`^ended override \\S+ of ${resource} \\(account 123456789012, us-east-1\\)`)),
      ]),
      expect.stringMatching(/^created override \S+: leave i-\w+ /),
      expect.stringMatching(/^ended override \S+ of i-\w+ /),
    ])
  })
})
