// The bootstrap admin key given as its SHA-256 (NUXT_ADMIN_API_KEY_SHA256), as a deployed stack gives it: it lets the
// key in as the plain NUXT_ADMIN_API_KEY does, and nothing else; the plain variable keeps working.
import { createHash } from 'node:crypto'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { describe, expect, it } from 'vitest'
import { authenticate, BOOTSTRAP_IDENTITY, createAccess } from '../../server/utils/access/access'
import { bootstrapAdminKey } from '../../server/utils/access/admin-key'
import { ConfigError, parseServerConfig } from '../../server/utils/config'
import type { KeysRepository } from '../../server/utils/keys/repository'

const KEY = 'ouro_admin_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG'
// printf %s "$KEY" | sha256sum
const HASH = createHash('sha256').update(KEY).digest('hex')

// The stored keys are never reached for the bootstrap key; an unknown id answers "no such key".
const noKeys = { get: async () => null } as unknown as KeysRepository

function accessWith(env: Record<string, string>) {
  const config = parseServerConfig(env, { AWS_REGION: 'us-east-1' })
  return { ...createAccess({} as DynamoDBDocumentClient, config), keys: noKeys }
}

describe('NUXT_ADMIN_API_KEY_SHA256', () => {
  it('lets the key whose SHA-256 it is in as the bootstrap admin, and no other', async () => {
    const access = accessWith({ adminApiKeySha256: HASH })
    expect(await authenticate(access, KEY)).toEqual(BOOTSTRAP_IDENTITY)
    expect(await authenticate(access, `${KEY}x`)).toBeNull()
    // The hash itself is not a key.
    expect(await authenticate(access, HASH)).toBeNull()
  })

  it('accepts the hash in upper case, as some tools print it', async () => {
    expect(await authenticate(accessWith({ adminApiKeySha256: HASH.toUpperCase() }), KEY)).toEqual(BOOTSTRAP_IDENTITY)
  })

  it('keeps the plain NUXT_ADMIN_API_KEY working, for local use, and holds only its hash', async () => {
    const access = accessWith({ adminApiKey: KEY })
    expect(await authenticate(access, KEY)).toEqual(BOOTSTRAP_IDENTITY)
    expect(access.bootstrapKeyHashes).toEqual([HASH])
    expect(JSON.stringify(access.bootstrapKeyHashes)).not.toContain(KEY)
  })

  it('lets nobody in as the bootstrap admin when neither is set', async () => {
    const access = accessWith({})
    expect(access.bootstrapKeyHashes).toEqual([])
    expect(await authenticate(access, '')).toBeNull()
  })

  it('stops the start with a message naming the variable when it is not a SHA-256', () => {
    expect(() => parseServerConfig({ adminApiKeySha256: 'abc' }, {})).toThrow(ConfigError)
    expect(() => parseServerConfig({ adminApiKeySha256: KEY }, {})).toThrow(/NUXT_ADMIN_API_KEY_SHA256: must be the SHA-256 of the admin key as 64 hex digits/)
  })

  it('counts as a way in: no first key is generated beside it', async () => {
    const config = parseServerConfig({ adminApiKeySha256: HASH, dataDir: '/nonexistent' }, {})
    const untouched = {
      any: async () => {
        throw new Error('not asked')
      },
    } as unknown as KeysRepository
    expect(await bootstrapAdminKey(config, untouched)).toEqual({ source: 'env' })
  })
})
