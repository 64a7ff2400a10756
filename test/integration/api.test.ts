// The HTTP API, against the built server with its embedded store.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-0123456789'
let server: RunningServer

const call = apiClient(() => server.url, KEY)

const rule = (overrides: Record<string, unknown> = {}) => ({
  name: 'api-web-stop',
  accountId: '123456789012',
  regions: ['eu-west-1'],
  action: 'stop',
  filters: 'tag:Name=web,vpc-id=vpc-4085e027',
  scheduleExpression: 'cron(55 14 * * ? *)',
  timezone: 'Europe/Berlin',
  ...overrides,
})

beforeAll(async () => {
  server = await startServer({ NUXT_ADMIN_API_KEY: KEY })
})
afterAll(async () => server && stopAndClean(server))

describe('rules API', () => {
  it('creates, reads, updates, disables and deletes a rule', async () => {
    const created = await call('POST', '/api/rules', rule())
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      name: 'api-web-stop',
      version: 1,
      enabled: true,
      filters: [{ key: 'tag:Name', values: ['web'] }, { key: 'vpc-id', values: ['vpc-4085e027'] }],
      filterText: 'tag:Name=web,vpc-id=vpc-4085e027',
    })

    const read = await call('GET', '/api/rules/api-web-stop', undefined, null)
    expect(read.status).toBe(200)
    expect(read.body.nextRuns).toHaveLength(5)
    for (const run of read.body.nextRuns) expect(run).toMatch(/T14:55:00\+0[12]:00$/)

    const updated = await call('PUT', '/api/rules/api-web-stop', { ...rule({ action: 'start' }), version: 1 })
    expect(updated.status).toBe(200)
    expect(updated.body).toMatchObject({ action: 'start', version: 2 })

    const disabled = await call('PATCH', '/api/rules/api-web-stop', { enabled: false })
    expect(disabled.status).toBe(200)
    expect(disabled.body).toMatchObject({ enabled: false, version: 3 })

    const deleted = await call('DELETE', '/api/rules/api-web-stop')
    expect(deleted.status).toBe(200)
    expect((await call('GET', '/api/rules/api-web-stop')).status).toBe(404)
  })

  it('fills regions with the app\'s region when the rule leaves them out', async () => {
    const created = await call('POST', '/api/rules', rule({ name: 'default-region', regions: undefined }))
    expect(created.status).toBe(201)
    expect(created.body.regions).toEqual(['us-east-1'])
  })

  it('lists rules with a cursor', async () => {
    for (const n of ['list-a', 'list-b', 'list-c']) expect((await call('POST', '/api/rules', rule({ name: n }))).status).toBe(201)
    const first = await call('GET', '/api/rules?limit=2&q=list-', undefined, null)
    expect(first.status).toBe(200)
    expect(first.body.items.map((r: { name: string }) => r.name)).toEqual(['list-a', 'list-b'])
    expect(typeof first.body.cursor).toBe('string')
    const second = await call('GET', `/api/rules?limit=2&q=list-&cursor=${first.body.cursor}`, undefined, null)
    expect(second.body.items.map((r: { name: string }) => r.name)).toEqual(['list-c'])
    expect(second.body.cursor).toBeNull()
  })

  it.each([
    ['POST', '/api/rules', rule({ name: 'no-key' })],
    ['PUT', '/api/rules/list-a', { ...rule({ name: 'list-a' }), version: 1 }],
    ['PATCH', '/api/rules/list-a', { enabled: false }],
    ['DELETE', '/api/rules/list-a', undefined],
  ])('refuses %s %s without a key, and with a wrong key', async (method, path, body) => {
    const without = await call(method, path, body, null)
    expect(without.status).toBe(401)
    expect(without.body.statusMessage).toContain('x-api-key')
    const wrong = await call(method, path, body, 'wrong-key')
    expect(wrong.status).toBe(401)
    expect(JSON.stringify(wrong.body)).not.toContain(KEY)
    expect((await call('GET', '/api/rules/list-a')).body.version).toBe(1)
  })

  it('answers 409 for a name that exists', async () => {
    const res = await call('POST', '/api/rules', rule({ name: 'list-a' }))
    expect(res.status).toBe(409)
    expect(res.body.statusMessage).toContain('already exists')
  })

  it('answers 409 for a stale version, saying someone else changed the rule', async () => {
    await call('PATCH', '/api/rules/list-b', { enabled: false })
    const res = await call('PUT', '/api/rules/list-b', { ...rule({ name: 'list-b' }), version: 1 })
    expect(res.status).toBe(409)
    expect(res.body.statusMessage).toContain('changed by someone else')
  })

  it('answers 400 with field issues for an invalid rule, and stores nothing', async () => {
    const res = await call('POST', '/api/rules', rule({ name: 'bad rule!', accountId: '123', scheduleExpression: 'cron(0 18 * * * *)' }))
    expect(res.status).toBe(400)
    const paths = res.body.data.issues.map((i: { path: string }) => i.path)
    expect(paths).toEqual(expect.arrayContaining(['name', 'accountId', 'scheduleExpression']))
    expect(res.body.statusMessage).toContain('accountId')
    expect((await call('GET', '/api/rules?q=bad')).body.items).toEqual([])
  })

  it('gives each field issue of a 400 a stable code and its parameters beside the English message', async () => {
    const res = await call('POST', '/api/rules', rule({ accountId: '123', filters: 'vpc-id=vpc-12', scheduleExpression: 'cron(60 14 * * ? *)' }))
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([
      { path: 'accountId', code: 'rule.accountId.digits', params: {}, message: 'accountId must be exactly 12 digits, e.g. 123456789012' },
      { path: 'filters', code: 'filter.value.vpcId', params: { key: 'vpc-id', value: 'vpc-12' }, message: 'vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'vpc-12\')' },
      {
        path: 'scheduleExpression',
        code: 'schedule.cron.range',
        params: { field: 'Minutes', value: '60', item: '60', allowed: '0-59' },
        message: 'Minutes: 60 is out of range (allowed: 0-59)',
      },
    ])
    const none = await call('POST', '/api/rules', rule({ filters: '' }))
    expect(none.body.data.issues).toEqual([{ path: 'allInstances', code: 'rule.allInstances.confirm', params: {}, message: expect.stringContaining('every instance') }])
  })

  it('refuses renaming through PUT', async () => {
    const res = await call('PUT', '/api/rules/list-c', { ...rule({ name: 'other-name' }), version: 1 })
    expect(res.status).toBe(400)
    expect(res.body.statusMessage).toContain('renaming is not supported')
    expect(res.body.data.issues).toEqual([{ path: 'name', code: 'rule.name.rename', params: {}, message: 'renaming is not supported' }])
  })

  it.each([
    ['GET', '/api/rules?limit=0'],
    ['GET', '/api/rules?limit=abc'],
    ['GET', '/api/rules?limit=101'],
    ['GET', '/api/rules?cursor=tampered'],
    ['GET', '/api/rules?cursor=eyJraW5kIjoicnVsZSJ9'],
    ['GET', '/api/logs?cursor=%7B%7D'],
    ['GET', '/api/logs?rule=has%20space'],
    ['GET', `/api/rules/${'x'.repeat(65)}`],
    ['DELETE', '/api/rules/list-c?version=abc'],
  ])('answers 400, never 500, for %s %s', async (method, path) => {
    const res = await call(method, path)
    expect(res.status).toBe(400)
    expect(res.body.statusMessage).toBeTruthy()
  })

  it.each([
    ['not JSON', '{"name": '],
    ['an array', '[1,2]'],
    ['a string', '"rule"'],
    ['null', 'null'],
  ])('answers 400 for a body that is %s', async (_what, raw) => {
    const res = await fetch(`${server.url}/api/rules`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: raw })
    expect(res.status).toBe(400)
  })

  it('answers 404 for an unknown rule and an unknown run', async () => {
    expect((await call('GET', '/api/rules/missing-rule')).status).toBe(404)
    expect((await call('PATCH', '/api/rules/missing-rule', { enabled: true })).status).toBe(404)
    expect((await call('GET', '/api/logs/evt-missing')).status).toBe(404)
  })
})

describe('logs API and health', () => {
  it('answers an empty first page of logs', async () => {
    const res = await call('GET', '/api/logs?rule=list-a', undefined, null)
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ items: [], cursor: null })
  })

  it('reports health and the store in use', async () => {
    const res = await call('GET', '/api/health', undefined, null)
    expect(res.body).toMatchObject({ status: 'ok', store: 'embedded' })
  })

  it('says which store it started with, in one line, and never prints the configured key', () => {
    expect(server.output()).toMatch(/\[ouroboros\] store: embedded DynamoDB \(dynalite\)/)
    expect(server.output()).not.toContain(KEY)
  })
})

describe('embedded mode without a configured key', () => {
  it('generates an admin key at first start, prints it once, and keeps rules across a restart', async () => {
    const first = await startServer({ NUXT_ADMIN_API_KEY: '' })
    try {
      const printed = first.output().match(/ouro_admin_[\w-]+/)
      expect(printed).not.toBeNull()
      const key = printed![0]
      const created = await fetch(`${first.url}/api/rules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify(rule({ name: 'survives-restart' })),
      })
      expect(created.status).toBe(201)
      await first.stop()

      const second = await startServer({ NUXT_ADMIN_API_KEY: '' }, first.dataDir)
      try {
        expect(second.output()).not.toContain(key)
        const read = await fetch(`${second.url}/api/rules/survives-restart`)
        expect(read.status).toBe(200)
        const patched = await fetch(`${second.url}/api/rules/survives-restart`, {
          method: 'PATCH',
          headers: { 'content-type': 'application/json', 'x-api-key': key },
          body: JSON.stringify({ enabled: false }),
        })
        expect(patched.status).toBe(200)
      }
      finally {
        await stopAndClean(second)
      }
    }
    finally {
      await first.stop()
    }
  })
})
