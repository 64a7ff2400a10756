// The audit trail: every change made through the API leaves one record (key id and name, route, rule, summary,
// time, client IP), refused and failed attempts leave none, and GET /api/audit pages them newest first (admin key).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AuditRecord } from '../../shared/schemas/audit'
import { motoEc2, motoEndpoint, OWN_ACCOUNT, seedInstances, uniqueValue } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const BOOT = 'test-bootstrap-key-audit-0123456789'
let server: RunningServer
const call = apiClient(() => server.url, BOOT)

async function allRecords(query = ''): Promise<AuditRecord[]> {
  const records: AuditRecord[] = []
  let cursor: string | null = null
  do {
    const res = await call('GET', `/api/audit?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.status).toBe(200)
    records.push(...res.body.items)
    cursor = res.body.cursor
  } while (cursor)
  return records
}

beforeAll(async () => {
  server = await startServer({
    NUXT_ADMIN_API_KEY: BOOT,
    NUXT_VERIFY_TIMEOUT_SECONDS: '10',
    AWS_ENDPOINT_URL_EC2: motoEndpoint(),
    AWS_ENDPOINT_URL_STS: motoEndpoint(),
  })
})
afterAll(async () => server && stopAndClean(server))

describe('audit trail', () => {
  it('records every change, by the key that made it, and nothing for refused or failed attempts', async () => {
    const began = Date.now()
    const tag = uniqueValue('audit')
    await seedInstances(motoEc2('us-east-1'), { count: 1, tags: { app: tag } })
    const name = `audit-${tag}`.slice(0, 64)
    const ops = (await call('POST', '/api/keys', { name: 'ops', scope: 'admin', rateLimit: 100, burst: 100 })).body
    const reader = (await call('POST', '/api/keys', { name: 'reader', scope: 'read' })).body
    const asOps = (method: string, path: string, body?: unknown) => call(method, path, body, ops.key)
    const body = { name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: `tag:app=${tag}`, scheduleExpression: 'cron(0 3 1 1 ? 2099)', timezone: 'UTC' }

    const changes: [string, string, number][] = []
    const expectChange = async (method: string, path: string, status: number, payload?: unknown) => {
      const res = await asOps(method, path, payload)
      expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status)
      changes.push([method, path, status])
      return res
    }
    await expectChange('POST', '/api/rules', 201, body)
    await expectChange('PUT', `/api/rules/${name}`, 200, { ...body, action: 'start', version: 1 })
    await expectChange('PATCH', `/api/rules/${name}`, 200, { enabled: false })
    await expectChange('POST', `/api/rules/${name}/run`, 200, { dryRun: true })
    const run = await expectChange('POST', `/api/rules/${name}/run`, 201)
    await expectChange('POST', '/api/preview', 200, { accountId: OWN_ACCOUNT, action: 'stop', filters: `tag:app=${tag}` })
    await expectChange('POST', '/api/admin/reconcile', 200)
    const temp = (await expectChange('POST', '/api/keys', 201, { name: 'temp', scope: 'read' })).body
    await expectChange('DELETE', `/api/keys/${temp.id}`, 200)
    await expectChange('DELETE', `/api/rules/${name}`, 200)

    // None of these change anything: no record.
    expect((await asOps('POST', '/api/rules', { ...body, accountId: '1' })).status).toBe(400)
    expect((await asOps('PATCH', '/api/rules/no-such-rule', { enabled: true })).status).toBe(404)
    expect((await call('POST', '/api/rules', body, reader.key)).status).toBe(403)
    expect((await call('POST', '/api/rules', body, 'wrong-key')).status).toBe(401)
    expect((await call('GET', '/api/rules', undefined, ops.key)).status).toBe(200)

    const records = await allRecords()
    const mine = records.filter(r => r.keyId === ops.id).reverse()
    expect(mine.map(r => [r.route.split(' ')[0], r.path, r.status])).toEqual(changes)
    expect(mine.map(r => r.route)).toEqual([
      'POST /api/rules', 'PUT /api/rules/:name', 'PATCH /api/rules/:name', 'POST /api/rules/:name/run', 'POST /api/rules/:name/run',
      'POST /api/preview', 'POST /api/admin/reconcile', 'POST /api/keys', 'DELETE /api/keys/:id', 'DELETE /api/rules/:name',
    ])
    for (const r of mine) {
      expect(r).toMatchObject({ keyId: ops.id, keyName: 'ops', ip: '127.0.0.1' })
      // Stamped by the server's clock while this test ran, however long that took.
      expect(Date.parse(r.at)).toBeGreaterThanOrEqual(Math.floor(began / 1000) * 1000)
      expect(Date.parse(r.at)).toBeLessThanOrEqual(Date.now())
    }
    expect(mine.map(r => r.rule)).toEqual([name, name, name, name, name, undefined, undefined, undefined, undefined, name])
    expect(mine.map(r => r.summary)).toEqual([
      `created rule ${name}: stop on cron(0 3 1 1 ? 2099) UTC`,
      `replaced rule ${name}: now version 2, start on cron(0 3 1 1 ? 2099) UTC`,
      `disabled rule ${name} (now version 3)`,
      `dry run of rule ${name}: would act on 0, skip 1`,
      `ran rule ${name} now: nothing-to-do, acted on 0 of 1 (run ${run.body.eventId})`,
      `previewed account ${OWN_ACCOUNT}: would act on 1, skip 0`,
      expect.stringMatching(/^reconciled schedules of \d+ rules: /),
      `created read key ${temp.id} 'temp' (10/s, burst 20, quota none)`,
      `revoked read key ${temp.id} 'temp' (10/s, burst 20, quota none)`,
      expect.stringMatching(new RegExp(`^deleted rule ${name} \\(was version \\d+\\)$`)),
    ])
    // The key created through the API appears in the trail by id, never in plain.
    expect(JSON.stringify(records)).not.toContain(temp.key)
  })

  it('lists one rule\'s records, newest first, and pages them with a cursor', async () => {
    const name = `audit-one-${uniqueValue()}`.slice(0, 64)
    const body = { name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: 'tag:app=none', scheduleExpression: 'cron(0 3 1 1 ? 2099)' }
    expect((await call('POST', '/api/rules', body)).status).toBe(201)
    for (const enabled of [false, true, false]) expect((await call('PATCH', `/api/rules/${name}`, { enabled })).status).toBe(200)
    const records = await allRecords(`&rule=${name}`)
    expect(records.map(r => r.summary)).toEqual([
      `disabled rule ${name} (now version 4)`,
      `enabled rule ${name} (now version 3)`,
      `disabled rule ${name} (now version 2)`,
      expect.stringContaining(`created rule ${name}`),
    ])
    expect(records.every(r => r.keyId === 'bootstrap' && r.keyName === 'bootstrap key (NUXT_ADMIN_API_KEY)')).toBe(true)
  })

  it('answers the trail to admin keys only, and 400 for a tampered cursor', async () => {
    const reader = (await call('POST', '/api/keys', { name: 'audit-reader', scope: 'read' })).body
    expect((await call('GET', '/api/audit', undefined, null)).status).toBe(401)
    expect((await call('GET', '/api/audit', undefined, reader.key)).status).toBe(403)
    expect((await call('GET', '/api/audit?cursor=tampered')).status).toBe(400)
    expect((await call('GET', '/api/audit?limit=0')).status).toBe(400)
  })
})
