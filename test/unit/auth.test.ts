import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveAdminKey } from '../../server/utils/admin-key'
import { keysMatch } from '../../server/utils/auth'
import { parseServerConfig } from '../../server/utils/config'

describe('keysMatch', () => {
  it.each([
    ['the same key', 'ouro_admin_abc', 'ouro_admin_abc', true],
    ['a different key', 'ouro_admin_abd', 'ouro_admin_abc', false],
    ['a prefix of the key', 'ouro_admin_ab', 'ouro_admin_abc', false],
    ['a longer key', 'ouro_admin_abcd', 'ouro_admin_abc', false],
    ['an empty key', '', 'ouro_admin_abc', false],
  ])('compares %s', (_what, presented, expected, result) => {
    expect(keysMatch(presented, expected)).toBe(result)
  })
})

describe('resolveAdminKey', () => {
  it('uses NUXT_ADMIN_API_KEY when it is set', () => {
    const config = parseServerConfig({ adminApiKey: 'from-env' }, {})
    expect(resolveAdminKey(config)).toEqual({ key: 'from-env', source: 'env' })
  })

  it('generates a key once in embedded mode, keeps it private on disk, and reuses it', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-key-'))
    const config = parseServerConfig({ dataDir }, {})
    const first = resolveAdminKey(config)
    expect(first.created?.key).toMatch(/^ouro_admin_[\w-]{43}$/)
    const file = join(dataDir, 'admin-api-key')
    expect(readFileSync(file, 'utf8').trim()).toBe(first.key)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const second = resolveAdminKey(config)
    expect(second).toEqual({ key: first.key, source: 'file' })
  })

  it('has no key with DynamoDB and no variable, so every change is refused', () => {
    expect(resolveAdminKey(parseServerConfig({ store: 'dynamodb', scheduler: 'local' }, {}))).toEqual({ key: null, source: 'none' })
  })
})
