// Authorisation inside route handlers. The API access middleware (server/middleware/api-access.ts) has already
// authenticated the x-api-key header, applied its limits and set event.context.auth; these assert what it
// established, so a handler checks auth before it reads the body, also should a route be missed by the middleware.
import type { H3Event } from 'h3'
import { Unauthorized } from '../errors'
import { UNAUTHORIZED_MESSAGE } from './access'
import type { AccessIdentity } from './access'
import { Forbidden } from '../keys/errors'

/** The key the request was authenticated with; throws Unauthorized when there is none. */
export function requireKey(event: H3Event): AccessIdentity {
  const who = event.context.auth
  if (!who) throw new Unauthorized(UNAUTHORIZED_MESSAGE)
  return who
}

/** Throws Unauthorized without a valid key and Forbidden for a key without the admin scope. */
export function requireAdmin(event: H3Event): AccessIdentity {
  const who = requireKey(event)
  if (who.scope !== 'admin') throw new Forbidden()
  return who
}
