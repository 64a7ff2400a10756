// Property-based: random and hostile x-api-key values and request bodies thrown at every mutating route
// (found in server/api, so a new route is covered without editing this) answer no 5xx and store nothing.
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiRoutes } from '../helpers/api-routes'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const BOOT = 'test-bootstrap-key-fuzz-0123456789'
let server: RunningServer
let reader: { id: string, key: string }
let revoked: { id: string, key: string }
const call = apiClient(() => server.url, BOOT)

// Found in server/api, so a new route is covered without editing this.
const routes = apiRoutes(['post', 'put', 'patch', 'delete'])

// Header values fetch can send: printable Latin-1 and tabs (never CR, LF or NUL).
const headerChar = fc.oneof(fc.integer({ min: 0x20, max: 0x7E }), fc.integer({ min: 0xA0, max: 0xFF }), fc.constant(0x09)).map(c => String.fromCharCode(c))
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength })
const keyId = fc.stringMatching(/^[a-z0-9]{5,32}$/)
const secret = fc.stringMatching(/^[\w-]{43}$/)

/** Keys that must never be accepted as admin: none, junk, near misses, a read key, a revoked key, injections. */
const hostileKey = () => fc.oneof(
  fc.constant(undefined),
  headerText(300),
  fc.tuple(keyId, secret).map(([id, s]) => `ouro_${id}_${s}`),
  secret.map(s => `ouro_admin_${s}`),
  fc.constant(reader.key),
  fc.constant(revoked.key),
  fc.constantFrom(
    `${reader.key}x`, reader.key.slice(0, -1), `${BOOT}x`, BOOT.slice(0, -1), BOOT.toUpperCase(),
    `ouro_${revoked.id}_${reader.key.split('_').slice(2).join('_')}`, '\' OR 1=1 --', '{"$ne":null}', '${jndi:ldap://x/a}',
    '../../../../etc/passwd', 'ouro__', 'ouro_admin_', 'null', 'undefined', 'x'.repeat(10_000), `Bearer ${BOOT}`,
  ),
)

const ruleLike = fc.record({
  name: fc.oneof(fc.string(), fc.stringMatching(/^[\w.-]{1,64}$/)),
  accountId: fc.oneof(fc.string(), fc.stringMatching(/^\d{12}$/)),
  regions: fc.oneof(fc.array(fc.string()), fc.constant(['us-east-1'])),
  action: fc.oneof(fc.string(), fc.constantFrom('start', 'stop')),
  filters: fc.oneof(fc.string(), fc.jsonValue()),
  scheduleExpression: fc.oneof(fc.string(), fc.constantFrom('cron(0 3 * * ? *)', 'rate(5 minutes)', 'at(2099-01-01T00:00:00)')),
  timezone: fc.string(),
  enabled: fc.jsonValue(),
  version: fc.jsonValue(),
  dryRun: fc.jsonValue(),
  scope: fc.oneof(fc.string(), fc.constantFrom('read', 'admin')),
  rateLimit: fc.jsonValue(),
  quota: fc.jsonValue(),
}, { requiredKeys: [] })

/** Bodies: none, any JSON, rule-shaped junk, text that is not JSON, invalid UTF-8, prototype tricks, deep nesting. */
const hostileBody = fc.oneof(
  fc.constant(undefined),
  fc.jsonValue().map(v => JSON.stringify(v)),
  ruleLike.map(v => JSON.stringify(v)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(
    '{"__proto__":{"scope":"admin","isAdmin":true}}', '{"constructor":{"prototype":{"polluted":1}}}',
    `${'['.repeat(5000)}${']'.repeat(5000)}`, `{"name":"${'a'.repeat(200_000)}"}`, '{"name": "x", "name": "y"}', '\u0000', '',
  ),
)

const pathValue = fc.oneof(
  fc.stringMatching(/^[\w.-]{1,64}$/),
  fc.string({ maxLength: 80 }).map(encodeURIComponent),
  fc.constantFrom('..', '%2e%2e', '%2F', 'a%2Fb', '%E0%A4%A', '%', '%00', 'x'.repeat(2000), ' ', '__proto__', 'constructor'),
)

const contentType = fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', undefined)

interface Attempt {
  route: [string, string]
  params: string[]
  key: string | undefined
  body: string | Uint8Array<ArrayBuffer> | undefined
  type: string | undefined
}

async function send({ route: [method, template], params, key, body, type }: Attempt): Promise<number> {
  let i = 0
  const path = template.replace(/:\w+/g, () => params[i++] ?? 'x')
  const headers: Record<string, string> = {}
  if (key !== undefined) headers['x-api-key'] = key
  if (type) headers['content-type'] = type
  const res = await fetch(`${server.url}${path}`, { method, headers, body: method === 'GET' ? undefined : body })
  await res.arrayBuffer()
  return res.status
}

const attempt = (key: fc.Arbitrary<string | undefined>, only = routes) => fc.record({
  route: fc.constantFrom(...only),
  params: fc.array(pathValue, { minLength: 2, maxLength: 2 }),
  key,
  body: hostileBody,
  type: contentType,
})

async function stored() {
  const [rules, keys, audit] = await Promise.all([call('GET', '/api/rules?limit=100'), call('GET', '/api/keys?limit=100'), call('GET', '/api/audit?limit=100')])
  return { rules: rules.body.items, keys: keys.body.items, audit: audit.body.items }
}

beforeAll(async () => {
  // Failed keys are counted per address; a high limit keeps every attempt on the full authentication path.
  server = await startServer({ NUXT_ADMIN_API_KEY: BOOT, NUXT_AUTH_FAILURE_LIMIT: '1000000' })
  reader = (await call('POST', '/api/keys', { name: 'fuzz-reader', scope: 'read', rateLimit: 10_000, burst: 10_000 })).body
  revoked = (await call('POST', '/api/keys', { name: 'fuzz-revoked', scope: 'admin', rateLimit: 10_000, burst: 10_000 })).body
  await call('DELETE', `/api/keys/${revoked.id}`)
})
afterAll(async () => server && stopAndClean(server))

describe('hostile requests to every mutating route', () => {
  it('finds the mutating routes', () => {
    expect(routes).toEqual(expect.arrayContaining([
      ['POST', '/api/rules'], ['PUT', '/api/rules/:name'], ['PATCH', '/api/rules/:name'], ['DELETE', '/api/rules/:name'],
      ['POST', '/api/rules/:name/run'], ['POST', '/api/preview'], ['POST', '/api/admin/reconcile'],
      ['POST', '/api/keys'], ['DELETE', '/api/keys/:id'],
    ]))
  })

  it('refuses every request without an admin key (never 2xx, never 5xx) and stores nothing', async () => {
    const before = await stored()
    const statuses = new Map<number, number>()
    await fc.assert(fc.asyncProperty(attempt(hostileKey()), async (a) => {
      const status = await send(a)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      expect(status, `${a.route.join(' ')} with key ${JSON.stringify(a.key)?.slice(0, 80)}`).toBeGreaterThanOrEqual(400)
      expect(status).toBeLessThan(500)
    }), { numRuns: 600 })
    console.info(`[fuzz] no admin key: statuses ${JSON.stringify(Object.fromEntries(statuses))}`)
    expect(await stored()).toEqual(before)
  }, 180_000)

  it('answers hostile bodies sent with the admin key without a 5xx, and creates nothing', async () => {
    const before = await stored()
    // Reconcile takes no input: with the admin key it is a real change, and would be recorded.
    const withInput = routes.filter(([, path]) => path !== '/api/admin/reconcile')
    const statuses = new Map<number, number>()
    await fc.assert(fc.asyncProperty(attempt(fc.constant(BOOT), withInput), async (a) => {
      const status = await send(a)
      statuses.set(status, (statuses.get(status) ?? 0) + 1)
      expect(status, `${a.route.join(' ')} ${a.params.join(' ')} ${String(a.body).slice(0, 120)}`).toBeLessThan(500)
    }), { numRuns: 600 })
    console.info(`[fuzz] admin key: statuses ${JSON.stringify(Object.fromEntries(statuses))}`)
    const after = await stored()
    expect(after.rules).toEqual([])
    expect(after.keys).toEqual(before.keys)
  }, 180_000)
})
