// GET /api/keys?cursor&limit: the API keys, newest first, without their secrets (admin key).
import { PageQuerySchema } from '#shared/schemas/list'
import { useAccess } from '../../utils/services'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const query = parsedOrThrow(await getValidatedQuery(event, q => PageQuerySchema.safeParse(q)), 'query')
  const { keys } = await useAccess()
  return keys.list(query)
})
