// API keys end to end, against the built server with its embedded store: creation shown once, scopes, revocation,
// the same 401 for every bad key, rate limit and quota headers, failed-auth limiting per address, NUXT_PUBLIC_READ,
// security headers, the first-start key and its migration, and the CLI next to a running app.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const root = fileURLToPath(new URL('../..', import.meta.url))
const BOOT = 'test-bootstrap-key-keys-0123456789'
let server: RunningServer
const call = apiClient(() => server.url, BOOT)

const rule = (name: string) => ({
  name, accountId: '123456789012', regions: ['eu-west-1'], action: 'stop',
  filters: 'tag:Name=web', scheduleExpression: 'cron(0 3 1 1 ? 2099)', timezone: 'UTC',
})

async function createKey(body: Record<string, unknown>): Promise<{ id: string, key: string }> {
  const res = await call('POST', '/api/keys', body)
  expect(res.status, JSON.stringify(res.body)).toBe(201)
  return res.body
}

/** Every file under `dir`, recursively, as bytes. */
function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map(f => join(dir, f))
    .filter(f => statSync(f).isFile())
    .map(f => readFileSync(f))
}

function cli(args: string[], env: Record<string, string>) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/apikey.mjs'), ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

beforeAll(async () => {
  server = await startServer({ NUXT_ADMIN_API_KEY: BOOT })
})
afterAll(async () => server && stopAndClean(server))

describe('creating keys', () => {
  it('shows a new key once, in the creation answer, and stores only a hash of its secret', async () => {
    const created = await createKey({ name: 'ops', scope: 'admin', rateLimit: 50, burst: 50, quota: '1000/day' })
    expect(created).toMatchObject({ name: 'ops', scope: 'admin', rateLimit: 50, burst: 50, quota: { limit: 1000, period: 'day' }, createdBy: 'bootstrap' })
    expect(created.key).toMatch(new RegExp(`^ouro_${created.id}_[\\w-]{43}$`))
    const secret = created.key.split('_').slice(2).join('_')

    const listed = await call('GET', '/api/keys')
    const one = await call('GET', `/api/keys/${created.id}`)
    for (const answer of [listed, one]) {
      expect(answer.status).toBe(200)
      expect(JSON.stringify(answer.body)).not.toContain(secret)
      expect(JSON.stringify(answer.body)).not.toContain('"hash"')
    }
    expect(listed.body.items.map((k: { id: string }) => k.id)).toContain(created.id)

    const whoami = await call('GET', '/api/auth/whoami', undefined, created.key)
    expect(whoami.body).toEqual({ id: created.id, name: 'ops', scope: 'admin' })
    expect(server.output()).not.toContain(secret)
    for (const bytes of filesUnder(server.dataDir)) expect(bytes.includes(secret)).toBe(false)
  })

  it('answers 400 with field issues for an invalid key, and creates nothing', async () => {
    const before = (await call('GET', '/api/keys?limit=100')).body.items.length
    const res = await call('POST', '/api/keys', { name: '', scope: 'root', rateLimit: -1, quota: '5/week' })
    expect(res.status).toBe(400)
    expect(res.body.data.issues.map((i: { path: string }) => i.path)).toEqual(expect.arrayContaining(['name', 'scope', 'rateLimit', 'quota']))
    expect((await call('GET', '/api/keys?limit=100')).body.items).toHaveLength(before)
  })

  it('pages the keys with a cursor, newest first', async () => {
    const a = await createKey({ name: 'page-a', scope: 'read' })
    const b = await createKey({ name: 'page-b', scope: 'read' })
    const first = await call('GET', '/api/keys?limit=1')
    expect(first.body.items.map((k: { id: string }) => k.id)).toEqual([b.id])
    const second = await call('GET', `/api/keys?limit=1&cursor=${first.body.cursor}`)
    expect(second.body.items.map((k: { id: string }) => k.id)).toEqual([a.id])
    expect((await call('GET', '/api/keys?cursor=tampered')).status).toBe(400)
  })
})

describe('scopes and revocation', () => {
  it('lets a read key read but not change anything (403), and nothing is stored', async () => {
    const reader = await createKey({ name: 'reader', scope: 'read' })
    expect((await call('GET', '/api/rules', undefined, reader.key)).status).toBe(200)
    expect((await call('GET', '/api/auth/whoami', undefined, reader.key)).body.scope).toBe('read')
    const attempts = [
      await call('POST', '/api/rules', rule('by-reader'), reader.key),
      await call('POST', '/api/keys', { name: 'escalate', scope: 'admin' }, reader.key),
      await call('GET', '/api/keys', undefined, reader.key),
      await call('GET', '/api/audit', undefined, reader.key),
      await call('POST', '/api/admin/reconcile', undefined, reader.key),
    ]
    for (const res of attempts) {
      expect(res.status).toBe(403)
      expect(res.body.statusMessage).toContain('admin scope')
    }
    expect((await call('GET', '/api/rules/by-reader')).status).toBe(404)
  })

  it('refuses a revoked key at once, with the same answer as a key that never existed', async () => {
    const doomed = await createKey({ name: 'doomed', scope: 'admin' })
    expect((await call('POST', '/api/rules', rule('before-revoke'), doomed.key)).status).toBe(201)
    const revoked = await call('DELETE', `/api/keys/${doomed.id}`)
    expect(revoked.status).toBe(200)
    expect(revoked.body.revokedAt).toBeTruthy()

    const after = await call('DELETE', '/api/rules/before-revoke', undefined, doomed.key)
    const unknown = await call('DELETE', '/api/rules/before-revoke', undefined, `ouro_0123456789abcdef_${'A'.repeat(43)}`)
    const wrongSecret = await call('DELETE', '/api/rules/before-revoke', undefined, `ouro_${doomed.id}_${'B'.repeat(43)}`)
    const malformed = await call('DELETE', '/api/rules/before-revoke', undefined, 'not-a-key')
    const missing = await call('DELETE', '/api/rules/before-revoke', undefined, null)
    const shape = (b: Record<string, unknown>) => ({ ...b, url: undefined })
    for (const res of [after, unknown, wrongSecret, malformed, missing]) {
      expect(res.status).toBe(401)
      expect(shape(res.body)).toEqual(shape(after.body))
      expect(res.headers.get('x-ratelimit-limit')).toBeNull()
    }
    expect(after.body.statusMessage).toBe('a valid API key is required in the x-api-key header')
    expect((await call('GET', '/api/rules/before-revoke')).status).toBe(200)
    expect((await call('GET', '/api/auth/whoami', undefined, doomed.key)).status).toBe(401)
  })

  it('answers 404 for revoking a key that does not exist, and 400 for a malformed id', async () => {
    expect((await call('DELETE', '/api/keys/ffffffffffffffff')).status).toBe(404)
    expect((await call('DELETE', '/api/keys/NOT_AN_ID')).status).toBe(400)
  })
})

describe('rate limits and quotas', () => {
  it('puts X-RateLimit-* on every answer to a stored key, and answers 429 with Retry-After over the rate', async () => {
    // One request per 10 s refills: the five requests below see no refill unless they take 10 s, on any machine.
    const slow = await createKey({ name: 'slow', scope: 'read', rateLimit: 0.1, burst: 3 })
    const answers = []
    for (let i = 0; i < 5; i++) answers.push(await call('GET', '/api/rules?limit=1', undefined, slow.key))
    expect(answers.map(a => a.status)).toEqual([200, 200, 200, 429, 429])
    expect(answers.map(a => a.headers.get('x-ratelimit-remaining'))).toEqual(['2', '1', '0', '0', '0'])
    for (const a of answers) {
      expect(a.headers.get('x-ratelimit-limit')).toBe('3')
      expect(Number(a.headers.get('x-ratelimit-reset'))).toBeGreaterThanOrEqual(1)
    }
    const retryAfter = Number(answers[4]!.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(10)
    expect(answers[3]!.body.statusMessage).toContain('rate limit of 0.1 requests per second')
    // After the wait it asked for, however long the requests took, the next one passes.
    await new Promise(r => setTimeout(r, retryAfter * 1000))
    expect((await call('GET', '/api/rules?limit=1', undefined, slow.key)).status).toBe(200)
  })

  it('accepts exactly the quota, then answers 429 saying when it resets', async () => {
    const counted = await createKey({ name: 'counted', scope: 'read', rateLimit: 1000, burst: 1000, quota: { limit: 7, period: 'month' } })
    const answers = await Promise.all(Array.from({ length: 12 }, () => call('GET', '/api/rules?limit=1', undefined, counted.key)))
    expect(answers.filter(a => a.status === 200)).toHaveLength(7)
    const refused = answers.filter(a => a.status === 429)
    expect(refused).toHaveLength(5)
    const nextMonth = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1)).toISOString()
    expect(refused[0]!.body.statusMessage).toBe(`this API key's quota of 7 requests per month is used up: it resets at ${nextMonth} (the start of the next month, UTC)`)
    expect(Number(refused[0]!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(refused[0]!.headers.get('x-quota-remaining')).toBe('0')
  })

  it('leaves the bootstrap key of NUXT_ADMIN_API_KEY without limits', async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => call('GET', '/api/auth/whoami')))
    expect(answers.every(a => a.status === 200 && a.body.id === 'bootstrap')).toBe(true)
  })
})

describe('security headers', () => {
  it.each([
    ['a page', '/'],
    ['an API answer', '/api/rules'],
    ['an API error', '/api/rules/missing-rule'],
    ['a missing page', '/no-such-page'],
  ])('are on %s', async (_what, path) => {
    const res = await fetch(`${server.url}${path}`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toContain('frame-ancestors \'none\'')
    expect(csp).not.toContain('unsafe-eval')
    expect(csp.match(/script-src[^;]*/)?.[0] ?? '').not.toContain('unsafe-inline')
  })

  it('allows exactly the page\'s own inline scripts by hash, and are on its assets too', async () => {
    const res = await fetch(server.url)
    const html = await res.text()
    const csp = res.headers.get('content-security-policy')!
    expect(csp).toMatch(/script-src 'self'( 'sha256-[\w+/=]+')+;/)
    const asset = html.match(/src="(\/_nuxt\/[^"]+\.js)"/)![1]
    const js = await fetch(`${server.url}${asset}`)
    expect(js.status).toBe(200)
    expect(js.headers.get('x-content-type-options')).toBe('nosniff')
  })
})

describe('failed authentication per address', () => {
  it('refuses an address after too many bad keys, even with a valid key, until the window ends', async () => {
    // A window of 8 s: the six requests below fall into one unless they take 8 s together.
    const guarded = await startServer({ NUXT_ADMIN_API_KEY: BOOT, NUXT_AUTH_FAILURE_LIMIT: '3', NUXT_AUTH_FAILURE_WINDOW_SECONDS: '8' })
    try {
      const g = apiClient(() => guarded.url, BOOT)
      // Aligned to the start of a window, so all attempts fall into one.
      await new Promise(r => setTimeout(r, 8000 - (Date.now() % 8000) + 20))
      const bad = []
      for (let i = 0; i < 4; i++) bad.push((await g('POST', '/api/rules', rule('guess'), `ouro_abcdef1234_${String(i).repeat(43)}`)).status)
      expect(bad).toEqual([401, 401, 401, 429])
      const valid = await g('GET', '/api/auth/whoami')
      expect(valid.status).toBe(429)
      expect(Number(valid.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
      expect((await g('GET', '/api/rules', undefined, null)).status).toBe(200)
      // Once the window has ended, whenever that is.
      await new Promise(r => setTimeout(r, 8000 - (Date.now() % 8000) + 20))
      expect((await g('GET', '/api/auth/whoami')).status).toBe(200)
    }
    finally {
      await stopAndClean(guarded)
    }
  })
})

describe('NUXT_PUBLIC_READ=false', () => {
  it('needs a valid key for every read, and keeps health public for probes', async () => {
    const closed = await startServer({ NUXT_ADMIN_API_KEY: BOOT, NUXT_PUBLIC_READ: 'false' })
    try {
      const c = apiClient(() => closed.url, BOOT)
      expect((await c('GET', '/api/rules', undefined, null)).status).toBe(401)
      expect((await c('GET', '/api/logs', undefined, 'wrong')).status).toBe(401)
      expect((await c('GET', '//api/rules', undefined, null)).status).not.toBe(200)
      expect((await c('GET', '/api/health', undefined, null)).status).toBe(200)
      const reader = (await c('POST', '/api/keys', { name: 'reader', scope: 'read' })).body
      expect((await c('GET', '/api/rules', undefined, reader.key)).status).toBe(200)
      expect((await c('GET', '/api/logs', undefined, reader.key)).status).toBe(200)
    }
    finally {
      await stopAndClean(closed)
    }
  })
})

describe('the first admin key, and the CLI', () => {
  it('moves a key file of earlier versions into the keys table, deletes the file, and keeps the key working', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-migrate-'))
    const old = `ouro_admin_${'m'.repeat(43)}`
    writeFileSync(join(dataDir, 'admin-api-key'), `${old}\n`, { mode: 0o600 })
    const migrated = await startServer({ NUXT_ADMIN_API_KEY: '' }, dataDir)
    try {
      expect(migrated.output()).toContain('moved the admin API key')
      expect(migrated.output()).not.toContain(old)
      expect(readdirSync(dataDir)).not.toContain('admin-api-key')
      const who = await apiClient(() => migrated.url, old)('GET', '/api/auth/whoami')
      expect(who.body).toEqual({ id: 'admin', name: 'admin (migrated)', scope: 'admin' })
    }
    finally {
      await stopAndClean(migrated)
    }
  })

  it('refuses to open the embedded store of a running app, works through --url, and on the store once it stops', async () => {
    const running = await startServer({ NUXT_ADMIN_API_KEY: '' })
    try {
      const admin = running.output().match(/ouro_admin_[\w-]{43}/)![0]
      const locked = cli(['list'], { NUXT_DATA_DIR: running.dataDir })
      expect(locked.status).toBe(1)
      expect(locked.stderr).toContain('is in use by a running app')
      expect(locked.stderr).toContain('--url')

      const viaUrl = cli(['create', '--name', 'ci', '--scope', 'read', '--rate', '2', '--quota', '100/day', '--url', running.url, '--json'], { OUROBOROS_API_KEY: admin })
      expect(viaUrl.stderr).toBe('')
      const created = JSON.parse(viaUrl.stdout)
      expect(created).toMatchObject({ name: 'ci', scope: 'read', rateLimit: 2, burst: 4, quota: { limit: 100, period: 'day' }, createdBy: 'admin' })
      expect((await apiClient(() => running.url, created.key)('GET', '/api/auth/whoami')).body.name).toBe('ci')
      expect(cli(['list', '--url', running.url], {}).stderr).toContain('OUROBOROS_API_KEY')
      await running.stop()

      const listed = cli(['list'], { NUXT_DATA_DIR: running.dataDir })
      expect(listed.status).toBe(0)
      expect(listed.stdout).toMatch(new RegExp(`${created.id}\\s+ci\\s+read\\s+2\\s+4\\s+100/day`))
      expect(listed.stdout).not.toContain(created.key)
      const revoked = cli(['revoke', created.id], { NUXT_DATA_DIR: running.dataDir })
      expect(revoked.status).toBe(0)
      expect(revoked.stdout).toContain(`revoked key ${created.id} 'ci'`)
    }
    finally {
      await stopAndClean(running)
    }
  })
})
