// The access repositories on both stores (moto's DynamoDB and the embedded dynalite): keys, the token bucket and
// the quota counter at one instant (the clock is injected, so the counts are exact), the per-address failure
// counter, and the audit trail's pages.
//
// Concurrent callers race only on the embedded store, which is atomic per item as DynamoDB is; on moto they go one
// at a time (`callers` in helpers/stores.ts says why). test/unit/rate-limit.test.ts shows moto's race and proves the
// limiter exact under every interleaving on a store that is atomic per item.
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAccess } from '../../server/utils/access/access'
import type { Access } from '../../server/utils/access/access'
import { KeyExists, KeyNotFound } from '../../server/utils/keys/errors'
import { hashSecret, parseApiKey } from '../../server/utils/keys/hashing'
import { KeyInputSchema } from '../../shared/schemas/key'
import { ensureTables } from '../../server/utils/tables'
import { callers, embeddedStore, motoStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const input = (overrides: Record<string, unknown> = {}) => KeyInputSchema.parse({ name: 'ops', scope: 'admin', ...overrides })

describe.each([
  ['moto DynamoDB', motoStore],
  ['embedded store', embeddedStore],
] as const)('access repositories on %s', (_label, open) => {
  let ctx: TestStore
  let access: Access
  let accessTables: { keys: string, limits: string, audit: string }

  beforeAll(async () => {
    ctx = await open()
    const prefix = ctx.tables.rules.slice(0, -'rules'.length)
    accessTables = { keys: `${prefix}keys`, limits: `${prefix}limits`, audit: `${prefix}audit` }
    await ensureTables(ctx.store.client, accessTables)
    access = createAccess(ctx.store.doc, {
      accessTables,
      adminApiKey: '',
      access: { publicRead: true, authFailureLimit: 3, authFailureWindowSeconds: 60, trustProxy: false },
    })
  })
  afterAll(async () => {
    for (const TableName of Object.values(accessTables ?? {})) await ctx?.store.client.send(new DeleteTableCommand({ TableName })).catch(() => {})
    await ctx?.cleanup()
  })

  describe('keys', () => {
    it('stores a key with only the hash of its secret, and reads it back', async () => {
      const { key, record } = await access.keys.create(input({ quota: '10/day' }), { now: new Date('2026-11-25T10:00:00Z') })
      const { id, secret } = parseApiKey(key)!
      expect(record).toEqual({ id, name: 'ops', scope: 'admin', rateLimit: 10, burst: 20, quota: { limit: 10, period: 'day' }, createdAt: '2026-11-25T10:00:00.000Z' })
      const stored = await access.keys.get(id)
      expect(stored).toMatchObject({ ...record, hash: hashSecret(secret) })
      expect(JSON.stringify(stored)).not.toContain(secret)
    })

    it('keeps the first of two keys with one id, revokes once, and answers 404s for unknown ids', async () => {
      await access.keys.create(input(), { id: 'fixedid1' })
      await expect(access.keys.create(input(), { id: 'fixedid1' })).rejects.toBeInstanceOf(KeyExists)
      const first = await access.keys.revoke('fixedid1', new Date('2026-11-25T11:00:00Z'))
      const second = await access.keys.revoke('fixedid1', new Date('2026-11-25T12:00:00Z'))
      expect(first.revokedAt).toBe('2026-11-25T11:00:00.000Z')
      expect(second.revokedAt).toBe('2026-11-25T11:00:00.000Z')
      await expect(access.keys.revoke('nosuchid')).rejects.toBeInstanceOf(KeyNotFound)
      expect(await access.keys.get('nosuchid')).toBeNull()
    })

    it('writes lastUsedAt at most once a minute', async () => {
      const { record } = await access.keys.create(input())
      await access.keys.touch(record.id, new Date('2026-11-25T10:00:00Z'))
      await access.keys.touch(record.id, new Date('2026-11-25T10:00:30Z'))
      expect((await access.keys.get(record.id))!.lastUsedAt).toBe('2026-11-25T10:00:00.000Z')
      await access.keys.touch(record.id, new Date('2026-11-25T10:01:01Z'))
      expect((await access.keys.get(record.id))!.lastUsedAt).toBe('2026-11-25T10:01:01.000Z')
    })

    it('lists keys newest first, page by page, never with their hashes', async () => {
      const ids: string[] = []
      for (let i = 0; i < 3; i++) ids.push((await access.keys.create(input({ name: `page ${i}` }), { now: new Date(Date.UTC(2030, 0, 1, 0, 0, i)) })).record.id)
      const first = await access.keys.list({ limit: 2 })
      expect(first.items.map(k => k.id)).toEqual([ids[2], ids[1]])
      expect(first.items.every(k => !('hash' in k))).toBe(true)
      const second = await access.keys.list({ limit: 2, cursor: first.cursor! })
      expect(second.items[0]!.id).toBe(ids[0])
    })
  })

  describe('token bucket', () => {
    it('lets exactly the burst through at one instant, however many callers race', async () => {
      const policy = { rate: 5, burst: 10 }
      const now = Date.now()
      const answers = await callers(ctx, 40, () => access.limiter.take('race', policy, now))
      expect(answers.filter(a => a.allowed)).toHaveLength(10)
      expect(answers.filter(a => !a.allowed).every(a => a.retryAfterSeconds === 1)).toBe(true)
      // One interval (200 ms) later, exactly one more.
      const later = await callers(ctx, 10, () => access.limiter.take('race', policy, now + 200))
      expect(later.filter(a => a.allowed)).toHaveLength(1)
      // After a quiet spell, a full burst again and never more.
      const rested = await callers(ctx, 30, () => access.limiter.take('race', policy, now + 3_600_000))
      expect(rested.filter(a => a.allowed)).toHaveLength(10)
    })

    it('shares one bucket between two processes\' limiters', async () => {
      const other = createAccess(ctx.store.doc, { accessTables, adminApiKey: '', access: { publicRead: true, authFailureLimit: 3, authFailureWindowSeconds: 60, trustProxy: false } })
      const policy = { rate: 1, burst: 4 }
      const now = Date.now()
      const answers = await callers(ctx, 20, i => (i % 2 ? other : access).limiter.take('shared', policy, now))
      expect(answers.filter(a => a.allowed)).toHaveLength(4)
    })
  })

  describe('quota', () => {
    it('counts exactly the limit under concurrent callers, per period', async () => {
      const quota = { limit: 25, period: 'day' as const }
      const day = new Date()
      const answers = await callers(ctx, 60, () => access.quotas.consume('quota-key', quota, day))
      expect(answers.filter(a => a.allowed)).toHaveLength(25)
      expect(answers.filter(a => a.allowed).map(a => a.remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i))
      const nextDay = await access.quotas.consume('quota-key', quota, new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 1, 0, 0, 1)))
      expect(nextDay).toMatchObject({ allowed: true, remaining: 24 })
    })
  })

  describe('failed authentications per address', () => {
    it('blocks an address once it reaches the limit in its window, until the window ends', async () => {
      // The start of a 60 s window, taken from the clock so that the counters' expiry lies ahead of it.
      const now = Math.floor(Date.now() / 60_000) * 60_000
      for (let i = 0; i < 3; i++) {
        expect((await access.failures.check('192.0.2.1', now)).blocked).toBe(false)
        await access.failures.record('192.0.2.1', now)
      }
      expect(await access.failures.check('192.0.2.1', now + 1000)).toEqual({ blocked: true, retryAfterSeconds: 59 })
      expect((await access.failures.check('192.0.2.2', now)).blocked).toBe(false)
      expect((await access.failures.check('192.0.2.1', now + 60_000)).blocked).toBe(false)
    })
  })

  describe('audit trail', () => {
    it('pages records newest first, of everything or of one rule', async () => {
      const base = { keyId: 'k1', keyName: 'ops', path: '/api/rules', status: 201, ip: '192.0.2.9' }
      for (let i = 0; i < 4; i++) {
        await access.audit.record({ ...base, route: 'POST /api/rules', rule: i % 2 ? 'odd' : 'even', summary: `change ${i}` }, new Date(Date.UTC(2026, 10, 25, 10, 0, i)))
      }
      await access.audit.record({ ...base, route: 'POST /api/keys', summary: 'a key' }, new Date(Date.UTC(2026, 10, 25, 10, 0, 9)))
      const first = await access.audit.list({ limit: 3 })
      expect(first.items.map(r => r.summary)).toEqual(['a key', 'change 3', 'change 2'])
      const second = await access.audit.list({ limit: 3, cursor: first.cursor! })
      expect(second.items.map(r => r.summary)).toEqual(['change 1', 'change 0'])
      expect((await access.audit.list({ limit: 10, rule: 'odd' })).items.map(r => r.summary)).toEqual(['change 3', 'change 1'])
      expect(first.items[0]).not.toHaveProperty('kind')
    })
  })
})
