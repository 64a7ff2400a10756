import { mkdtempSync, existsSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { bootstrapAdminKey, describeBootstrap } from '../../server/utils/access/admin-key'
import { parseServerConfig } from '../../server/utils/config'
import { KeyExists } from '../../server/utils/keys/errors'
import { constantTimeEqual, hashSecret, parseApiKey } from '../../server/utils/keys/hashing'
import type { KeysRepository } from '../../server/utils/keys/repository'
import type { ApiKeyRecord } from '../../shared/schemas/key'

describe('constantTimeEqual', () => {
  it.each([
    ['the same key', 'ouro_admin_abc', 'ouro_admin_abc', true],
    ['a different key', 'ouro_admin_abd', 'ouro_admin_abc', false],
    ['a prefix of the key', 'ouro_admin_ab', 'ouro_admin_abc', false],
    ['a longer key', 'ouro_admin_abcd', 'ouro_admin_abc', false],
    ['an empty key', '', 'ouro_admin_abc', false],
  ])('compares %s', (_what, presented, expected, result) => {
    expect(constantTimeEqual(presented, expected)).toBe(result)
  })
})

/** An in-memory keys repository with what bootstrapAdminKey uses. */
function memoryKeys() {
  const stored = new Map<string, ApiKeyRecord>()
  const repo = {
    any: async () => stored.size > 0,
    create: async (input, options = {}) => {
      const id = options.id ?? 'random0001'
      if (stored.has(id)) throw new KeyExists(id)
      const secret = options.secret ?? 's'.repeat(43)
      stored.set(id, { id, ...input, createdAt: new Date().toISOString(), hash: hashSecret(secret) })
      return { key: `ouro_${id}_${secret}`, record: stored.get(id)! }
    },
  } as Pick<KeysRepository, 'any' | 'create'>
  return { stored, repo: repo as KeysRepository }
}

describe('bootstrapAdminKey', () => {
  const embedded = () => parseServerConfig({ dataDir: mkdtempSync(join(tmpdir(), 'ouroboros-key-')) }, {})

  it('accepts NUXT_ADMIN_API_KEY as the bootstrap key and stores nothing', async () => {
    const { stored, repo } = memoryKeys()
    expect(await bootstrapAdminKey({ ...embedded(), adminApiKey: 'from-env' }, repo)).toEqual({ source: 'env' })
    expect(stored.size).toBe(0)
  })

  it('creates one admin key at first start, stores only its hash and no file, and shows it once', async () => {
    const config = embedded()
    const { stored, repo } = memoryKeys()
    const first = await bootstrapAdminKey(config, repo)
    expect(first.source).toBe('created')
    const key = first.created!.key
    expect(key).toMatch(/^ouro_admin_[\w-]{43}$/)
    const record = stored.get('admin')!
    expect(record).toMatchObject({ scope: 'admin', hash: hashSecret(parseApiKey(key)!.secret) })
    expect(JSON.stringify(record)).not.toContain(parseApiKey(key)!.secret)
    expect(readdirSync(config.dataDir)).toEqual([])
    expect(describeBootstrap(first).join('\n')).toContain(key)

    const second = await bootstrapAdminKey(config, repo)
    expect(second).toEqual({ source: 'stored' })
    expect(describeBootstrap(second).join('\n')).not.toContain(key)
  })

  it('moves the key file of earlier versions into the table, keeping the key, and deletes the file', async () => {
    const config = embedded()
    const old = `ouro_admin_${'k'.repeat(43)}`
    const file = join(config.dataDir, 'admin-api-key')
    writeFileSync(file, `${old}\n`, { mode: 0o600 })
    const { stored, repo } = memoryKeys()
    const outcome = await bootstrapAdminKey(config, repo)
    expect(outcome).toEqual({ source: 'migrated', migratedFrom: file })
    expect(existsSync(file)).toBe(false)
    expect(stored.get('admin')!.hash).toBe(hashSecret('k'.repeat(43)))
    expect(describeBootstrap(outcome).join('\n')).not.toContain(old)
  })

  it('has no key with DynamoDB and no variable, and says how to create one', async () => {
    const { stored, repo } = memoryKeys()
    const outcome = await bootstrapAdminKey(parseServerConfig({ store: 'dynamodb', scheduler: 'local' }, {}), repo)
    expect(outcome).toEqual({ source: 'none' })
    expect(stored.size).toBe(0)
    expect(describeBootstrap(outcome)[0]).toContain('npm run apikey -- create')
  })
})
