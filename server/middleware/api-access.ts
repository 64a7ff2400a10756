// Every /api request: authenticate the x-api-key header, apply the key's rate limit, scope and quota
// (server/utils/access/access.ts). Route handlers then assert the outcome with requireAdmin / requireKey.
import { enforceAccess } from '../utils/access/access'
import { useAccess } from '../utils/services'

export default defineEventHandler(async (event) => {
  // Collapsed slashes and any case: //api or /API must not slip past what the router may still match.
  const path = event.path.split('?')[0]!.replace(/\/{2,}/g, '/').toLowerCase()
  if (path !== '/api' && !path.startsWith('/api/')) return
  try {
    await enforceAccess(event, await useAccess(), path)
  }
  catch (error) {
    throw toHttpError(error)
  }
})
