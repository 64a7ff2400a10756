import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { requiredAccess } from '../../server/utils/access/access'
import { changedRule, changedRun, summarizeChange } from '../../server/utils/audit/repository'
import { QuotaExceeded } from '../../server/utils/keys/errors'
import { generateApiKey, hashSecret, parseApiKey, secretMatches } from '../../server/utils/keys/hashing'
import { quotaWindow } from '../../server/utils/access/quota'
import { KeyInputSchema, parseQuota } from '../../shared/schemas/key'
import { inlineScriptHashes, pageCsp } from '../../server/utils/http/security-headers'

describe('API key format', () => {
  it('generates ouro_<id>_<secret> with a 16-hex id and 32 random bytes of secret', () => {
    const { key, id, secret } = generateApiKey()
    expect(key).toBe(`ouro_${id}_${secret}`)
    expect(id).toMatch(/^[0-9a-f]{16}$/)
    expect(Buffer.from(secret, 'base64url')).toHaveLength(32)
    expect(parseApiKey(key)).toEqual({ id, secret })
  })

  it('never generates the same key twice', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey().key))
    expect(keys.size).toBe(1000)
  })

  it.each([
    ['a key whose secret holds _ and -', 'ouro_abc12_a_b-cdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ', { id: 'abc12', secret: 'a_b-cdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ' }],
    ['the first-start admin key', `ouro_admin_${'x'.repeat(43)}`, { id: 'admin', secret: 'x'.repeat(43) }],
    ['an empty string', '', null],
    ['a bare secret', 'x'.repeat(43), null],
    ['an upper-case id', `ouro_ABCDE_${'x'.repeat(43)}`, null],
    ['a short id', `ouro_abc_${'x'.repeat(43)}`, null],
    ['a short secret', `ouro_abcde_${'x'.repeat(42)}`, null],
    ['a secret with a space', `ouro_abcde_${'x'.repeat(42)} `, null],
    ['another prefix', `key_abcde_${'x'.repeat(43)}`, null],
    ['a very long value', `ouro_abcde_${'x'.repeat(500)}`, null],
    ['a newline injection', `ouro_abcde_${'x'.repeat(43)}\nx`, null],
  ])('parses %s', (_what, value, expected) => {
    expect(parseApiKey(value)).toEqual(expected)
  })

  it('stores a hex SHA-256 of the secret, and matches only that secret', () => {
    const { secret } = generateApiKey()
    const hash = hashSecret(secret)
    expect(hash).toMatch(/^[0-9a-f]{64}$/)
    expect(hash).not.toContain(secret)
    expect(secretMatches(secret, hash)).toBe(true)
    expect(secretMatches(`${secret}x`, hash)).toBe(false)
    expect(secretMatches(secret, undefined)).toBe(false)
    expect(secretMatches(secret, 'not-a-hash')).toBe(false)
  })
})

describe('key input', () => {
  it('takes the CLI\'s quota text and derives the burst from the rate', () => {
    expect(KeyInputSchema.parse({ name: 'ops', scope: 'admin', rateLimit: 5, quota: '1000/day' }))
      .toEqual({ name: 'ops', scope: 'admin', rateLimit: 5, burst: 10, quota: { limit: 1000, period: 'day' } })
    expect(KeyInputSchema.parse({ name: 'ci', scope: 'read' })).toMatchObject({ rateLimit: 10, burst: 20, quota: null })
  })

  it.each([
    [{ name: '', scope: 'admin' }, 'name'],
    [{ name: 'ops', scope: 'root' }, 'scope'],
    [{ name: 'ops', scope: 'read', rateLimit: 0 }, 'rateLimit'],
    [{ name: 'ops', scope: 'read', burst: 1.5 }, 'burst'],
    [{ name: 'ops', scope: 'read', quota: '10/week' }, 'quota'],
    [{ name: 'ops', scope: 'read', quota: { limit: 0, period: 'day' } }, 'quota'],
    [{ name: 'ops', scope: 'read', hash: 'x' }, ''],
    [{ name: '<script>', scope: 'read' }, 'name'],
  ])('refuses %j', (input, path) => {
    const result = KeyInputSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error!.issues.map(i => i.path.join('.'))[0]).toContain(path)
  })

  it.each([
    ['1000/day', { limit: 1000, period: 'day' }],
    ['50 / month', { limit: 50, period: 'month' }],
    ['0/day', null],
    ['10/week', null],
    ['day', null],
  ])('parses the quota %s', (text, expected) => {
    expect(parseQuota(text)).toEqual(expected)
  })
})

describe('quota windows', () => {
  it.each([
    ['day', '2026-11-25T23:59:59.999Z', '2026-11-25', '2026-11-26T00:00:00.000Z'],
    ['day', '2026-12-31T10:00:00Z', '2026-12-31', '2027-01-01T00:00:00.000Z'],
    ['month', '2026-11-25T10:00:00Z', '2026-11', '2026-12-01T00:00:00.000Z'],
    ['month', '2026-12-01T00:00:00Z', '2026-12', '2027-01-01T00:00:00.000Z'],
  ] as const)('puts a %s quota at %s into %s, resetting at %s', (period, now, key, resetsAt) => {
    const window = quotaWindow(period, new Date(now))
    expect(window.key).toBe(key)
    expect(window.resetsAt.toISOString()).toBe(resetsAt)
  })

  it('says when a used-up quota resets', () => {
    const error = new QuotaExceeded(100, 'day', new Date('2026-11-26T00:00:00Z'))
    expect(error.message).toContain('quota of 100 requests per day is used up: it resets at 2026-11-26T00:00:00.000Z')
    expect(error.retryAfterSeconds(Date.parse('2026-11-25T23:59:00Z'))).toBe(60)
  })
})

describe('requiredAccess', () => {
  it.each([
    ['GET', '/api/rules', true, 'none'],
    ['GET', '/api/rules', false, 'key'],
    ['GET', '/api/health', false, 'none'],
    ['HEAD', '/api/logs/x', true, 'none'],
    ['POST', '/api/rules', true, 'admin'],
    ['PATCH', '/api/rules/x', true, 'admin'],
    ['DELETE', '/api/keys/abcde', true, 'admin'],
    ['GET', '/api/keys', true, 'admin'],
    ['GET', '/API/Keys/', true, 'admin'],
    ['GET', '/api/audit?limit=5', true, 'admin'],
    ['GET', '/api/auth/whoami', true, 'key'],
    ['GET', '/api/keysmith', true, 'none'],
  ])('%s %s (public reads: %s) needs %s', (method, path, publicRead, need) => {
    expect(requiredAccess(method, path, publicRead)).toBe(need)
  })
})

describe('audit summaries', () => {
  it.each([
    ['POST', '/api/rules', {}, { name: 'web', action: 'stop', scheduleExpression: 'cron(0 19 * * ? *)', timezone: 'UTC' }, 'created rule web: stop on cron(0 19 * * ? *) UTC', 'web'],
    ['PATCH', '/api/rules/:name', { name: 'web' }, { enabled: false, version: 3 }, 'disabled rule web (now version 3)', 'web'],
    ['DELETE', '/api/rules/:name', { name: 'web' }, { version: 2 }, 'deleted rule web (was version 2)', 'web'],
    ['POST', '/api/rules/:name/run', { name: 'web' }, { status: 'succeeded', counts: { acted: 2, total: 3 }, eventId: 'e1' }, 'ran rule web now: succeeded, acted on 2 of 3 (run e1)', 'web'],
    ['POST', '/api/admin/reconcile', {}, { rules: 4, created: ['a'], updated: [], deleted: [], errors: [] }, 'reconciled schedules of 4 rules: 1 created, 0 updated, 0 removed, 0 errors', undefined],
    ['POST', '/api/admin/reconcile', {}, { rules: 1, created: [], updated: [], deleted: [], errors: [], reverts: { inSync: 3, armed: 1, removed: 2, ran: 0, moved: 1, errors: [] } }, 'reconciled schedules of 1 rules: 0 created, 0 updated, 0 removed, 0 errors; reverts: 1 armed, 2 removed, 0 run, 1 moved, 0 errors', undefined],
    ['POST', '/api/unknown', {}, null, 'POST /api/unknown', undefined],
  ])('summarises %s %s', (method, route, params, body, summary, rule) => {
    const facts = { method, route, params, body }
    expect(summarizeChange(facts)).toBe(summary)
    expect(changedRule(facts)).toBe(rule)
  })

  it.each([
    ['a run made now', { status: 'succeeded', eventId: 'manual-web-1' }, 'manual-web-1'],
    ['a dry run, which logs nothing', { dryRun: true, eventId: 'manual-web-2' }, undefined],
    ['an answer without an eventId', { status: 'succeeded' }, undefined],
  ])('links %s to its run', (_what, body, runId) => {
    expect(changedRun({ method: 'POST', route: '/api/rules/:name/run', params: { name: 'web' }, body })).toBe(runId)
  })

  it('links no other change to a run', () => {
    expect(changedRun({ method: 'POST', route: '/api/rules', params: {}, body: { eventId: 'e1' } })).toBeUndefined()
  })

  it('never copies a new key into the trail', () => {
    const key = generateApiKey()
    const body = { id: key.id, name: 'ops', scope: 'admin', rateLimit: 5, burst: 10, quota: { limit: 1000, period: 'day' }, key: key.key }
    const summary = summarizeChange({ method: 'POST', route: '/api/keys', params: {}, body })
    expect(summary).toBe(`created admin key ${key.id} 'ops' (5/s, burst 10, quota 1000/day)`)
    expect(summary).not.toContain(key.secret)
  })
})

describe('page CSP', () => {
  const html = '<html><head><script>window.a=1</script><script type="module" src="/_nuxt/e.js"></script>'
    + '<script type="application/json" id="__NUXT_DATA__">[1]</script></head><body></body></html>'

  it('allows each inline script by its hash, and no unsafe script source', () => {
    const hashes = inlineScriptHashes(html)
    expect(hashes).toEqual([
      `'sha256-${createHash('sha256').update('window.a=1').digest('base64')}'`,
      expect.stringMatching(/^'sha256-[\w+/=]+'$/),
    ])
    const csp = pageCsp(html)
    expect(csp).toContain(`script-src 'self' ${hashes.join(' ')}`)
    expect(csp).not.toContain('unsafe-eval')
    expect(csp.match(/script-src[^;]*/)![0]).not.toContain('unsafe-inline')
    expect(csp).toContain('frame-ancestors \'none\'')
  })
})
