// API key secrets, hashed and compared in constant time: keys look like `ouro_<id>_<secret>`; the id names the stored
// record, and only the SHA-256 of the secret is stored.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { KEY_ID_PATTERN } from '#shared/key-format'

export { KEY_ID_PATTERN }

/** The id of the admin key created at first start in embedded mode (and of a migrated .data/admin-api-key). */
export const BOOTSTRAP_KEY_ID = 'admin'

// The id has no underscore, so the first one after it ends it; the secret is base64url and may contain _ and -.
const KEY_PATTERN = /^ouro_([a-z0-9]{5,32})_([\w-]{43,128})$/
const SECRET_BYTES = 32

export interface ParsedKey {
  id: string
  secret: string
}

/** Splits a presented key into id and secret; null for anything not shaped like one of our keys. */
export function parseApiKey(value: string | undefined | null): ParsedKey | null {
  if (typeof value !== 'string' || value.length > 200) return null
  const match = KEY_PATTERN.exec(value)
  return match ? { id: match[1]!, secret: match[2]! } : null
}

/** A new random key id: 16 lowercase hex characters. */
export function newKeyId(): string {
  return randomBytes(8).toString('hex')
}

/** A new key with `id` (a random one by default): answers the plain key, to show once, and its parts. */
export function generateApiKey(id = newKeyId()): ParsedKey & { key: string } {
  const secret = randomBytes(SECRET_BYTES).toString('base64url')
  return { id, secret, key: `ouro_${id}_${secret}` }
}

/** The stored form of a secret: SHA-256, hex. Enough for 256-bit random secrets (no need for a slow hash). */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}

// Compared against when the key id is unknown, so an unknown id costs the same work as a wrong secret.
const DUMMY_HASH = hashSecret(randomBytes(SECRET_BYTES).toString('base64url'))

/** Whether `secret` hashes to `storedHash`, in constant time; `storedHash` undefined always answers false. */
export function secretMatches(secret: string, storedHash: string | undefined): boolean {
  const expected = Buffer.from(storedHash && /^[0-9a-f]{64}$/.test(storedHash) ? storedHash : DUMMY_HASH, 'hex')
  const actual = createHash('sha256').update(secret, 'utf8').digest()
  return timingSafeEqual(actual, expected) && storedHash !== undefined
}

/** Compares two strings in constant time: hashing first makes the lengths equal, so length leaks nothing. */
export function constantTimeEqual(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}
