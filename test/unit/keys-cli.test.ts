import { describe, expect, it } from 'vitest'
import { ConfigError, parseServerConfig } from '../../server/utils/config'
import { configFromEnv, createInput, httpAdmin, runCli } from '../../server/cli/apikey'
import type { KeyAdmin } from '../../server/cli/apikey'

function capture() {
  const lines = { out: [] as string[], err: [] as string[] }
  return { lines, out: (s: string) => lines.out.push(s), err: (s: string) => lines.err.push(s) }
}

/** A store admin that remembers what it was asked. */
function fakeAdmin(calls: unknown[]): () => Promise<KeyAdmin> {
  return async () => ({
    create: async (input) => {
      calls.push(['create', input])
      return { id: 'abcdef0123456789', name: 'ops', scope: 'admin', rateLimit: 5, burst: 10, quota: { limit: 1000, period: 'day' }, createdAt: '2026-11-25T10:00:00.000Z', key: 'ouro_abcdef0123456789_secret' }
    },
    list: async () => [],
    revoke: async (id) => {
      calls.push(['revoke', id])
      return { id, name: 'ops', scope: 'admin', rateLimit: 5, burst: 10, quota: null, createdAt: '2026-11-25T10:00:00.000Z', revokedAt: '2026-11-25T11:00:00.000Z' }
    },
    close: async () => {},
  })
}

describe('apikey CLI', () => {
  it('creates a key from the issue\'s example command and shows it once', async () => {
    const calls: unknown[] = []
    const { lines, out, err } = capture()
    const code = await runCli(['create', '--name', 'ops', '--scope', 'admin', '--rate', '5', '--burst', '10', '--quota', '1000/day'], {}, out, err, fakeAdmin(calls))
    expect(code).toBe(0)
    expect(calls).toEqual([['create', { name: 'ops', scope: 'admin', rateLimit: 5, burst: 10, quota: '1000/day' }]])
    expect(lines.out.join('\n')).toContain('ouro_abcdef0123456789_secret')
    expect(lines.out.join('\n')).toContain('only time the key is shown')
  })

  it.each([
    [['revoke'], 2, 'usage'],
    [['bogus'], 2, 'usage'],
    [[], 2, 'usage'],
    [['--nope'], 2, 'Unknown option'],
    [['create', '--name', 'x', '--scope', 'read', '--rate', 'fast'], 1, '--rate must be a number'],
    [['list', '--url', 'http://127.0.0.1:1'], 1, 'OUROBOROS_API_KEY'],
  ])('answers %j with exit %i and a clear message', async (args, status, message) => {
    const { lines, out, err } = capture()
    expect(await runCli(args, {}, out, err, fakeAdmin([]))).toBe(status)
    expect(lines.err.join('\n')).toContain(message)
  })

  it('revokes by id', async () => {
    const calls: unknown[] = []
    const { lines, out, err } = capture()
    expect(await runCli(['revoke', 'abcdef0123456789'], {}, out, err, fakeAdmin(calls))).toBe(0)
    expect(calls).toEqual([['revoke', 'abcdef0123456789']])
    expect(lines.out[0]).toContain('revoked key abcdef0123456789 \'ops\'')
  })

  it('turns --quota none into no quota, and leaves unset options to the defaults', () => {
    expect(createInput({ name: 'a', scope: 'read', quota: 'none' })).toEqual({ name: 'a', scope: 'read', quota: null })
    expect(createInput({ name: 'a', scope: 'read' })).toEqual({ name: 'a', scope: 'read' })
  })

  it('reads the store settings as the app does, whatever scheduler settings are around', () => {
    const config = configFromEnv({ NUXT_STORE: 'dynamodb', NUXT_TABLE_PREFIX: 'prod-', AWS_REGION: 'eu-west-1' })
    expect(config).toMatchObject({ store: 'dynamodb', region: 'eu-west-1', accessTables: { keys: 'prod-keys', limits: 'prod-limits', audit: 'prod-audit' } })
    expect(() => configFromEnv({ NUXT_STORE: 'postgres' })).toThrow('NUXT_STORE')
  })

  it('sends the admin key only in the x-api-key header over --url', async () => {
    const seen: { url: string, init: RequestInit }[] = []
    const fetcher = (async (url: string, init: RequestInit) => {
      seen.push({ url, init })
      return new Response(JSON.stringify({ items: [], cursor: null }), { status: 200 })
    }) as unknown as typeof fetch
    await httpAdmin('http://app.example/', 'ouro_admin_secret', fetcher).list()
    expect(seen[0]!.url).toBe('http://app.example/api/keys?limit=100')
    expect(seen[0]!.url).not.toContain('secret')
    expect((seen[0]!.init.headers as Record<string, string>)['x-api-key']).toBe('ouro_admin_secret')
  })
})

describe('access settings', () => {
  it('defaults to public reads, 20 failures a minute, and no proxy outside Lambda', () => {
    expect(parseServerConfig({}, {}).access).toEqual({ publicRead: true, authFailureLimit: 20, authFailureWindowSeconds: 60, trustProxy: false })
    expect(parseServerConfig({ store: 'embedded' }, { AWS_LAMBDA_FUNCTION_NAME: 'f' }).access.trustProxy).toBe(true)
  })

  it.each([
    [{ publicRead: 'false' }, { publicRead: false }],
    [{ publicRead: false }, { publicRead: false }],
    [{ publicRead: 'true' }, { publicRead: true }],
    [{ trustProxy: '1' }, { trustProxy: true }],
    [{ authFailureLimit: '5', authFailureWindowSeconds: '300' }, { authFailureLimit: 5, authFailureWindowSeconds: 300 }],
  ])('reads %j', (raw, expected) => {
    expect(parseServerConfig(raw, {}).access).toMatchObject(expected)
  })

  it.each([
    [{ publicRead: 'nope' }, 'NUXT_PUBLIC_READ: must be true or false'],
    [{ authFailureLimit: 0 }, 'NUXT_AUTH_FAILURE_LIMIT'],
    [{ authFailureWindowSeconds: 'soon' }, 'NUXT_AUTH_FAILURE_WINDOW_SECONDS'],
    [{ trustProxy: 'maybe' }, 'NUXT_TRUST_PROXY'],
  ])('stops with a message naming the variable for %j', (raw, message) => {
    expect(() => parseServerConfig(raw, {})).toThrow(ConfigError)
    expect(() => parseServerConfig(raw, {})).toThrow(message)
  })

  it('names the access tables after the prefix', () => {
    expect(parseServerConfig({ tablePrefix: 'dev-' }, {}).accessTables).toEqual({ keys: 'dev-keys', limits: 'dev-limits', audit: 'dev-audit' })
  })
})
