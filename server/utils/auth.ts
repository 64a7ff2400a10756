// Authorisation of mutating routes: the x-api-key header against the admin key, compared in constant time.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { H3Event } from 'h3'
import { getHeader } from 'h3'
import { resolveAdminKey } from './admin-key'
import type { AdminKey } from './admin-key'
import { useServerConfig } from './config'
import { Unauthorized } from './errors'

let adminKey: AdminKey | undefined

/** Resolves the admin key of this process once; the answer says whether it was just created. */
export function initAdminKey(): AdminKey {
  adminKey ??= resolveAdminKey(useServerConfig())
  return adminKey
}

function useAdminKey(): string | null {
  return initAdminKey().key
}

/** Compares two keys in constant time: hashing first makes the lengths equal, so length leaks nothing. */
export function keysMatch(presented: string, expected: string): boolean {
  const a = createHash('sha256').update(presented).digest()
  const b = createHash('sha256').update(expected).digest()
  return timingSafeEqual(a, b)
}

/** Throws Unauthorized unless the request carries the admin key. */
export function requireAdmin(event: H3Event): void {
  const expected = useAdminKey()
  const presented = getHeader(event, 'x-api-key')
  if (!presented) throw new Unauthorized()
  if (!expected) throw new Unauthorized('no admin key is configured on this server: set NUXT_ADMIN_API_KEY')
  if (presented.length > 512 || !keysMatch(presented, expected)) throw new Unauthorized('the API key is not valid')
}
