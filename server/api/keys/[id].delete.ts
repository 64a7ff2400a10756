// DELETE /api/keys/:id: revoke an API key, from the next request on (admin key). The record stays, for the audit trail.
import { KeyParamsSchema } from '#shared/schemas/params'
import { useAccess } from '../../utils/services'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { id } = parsedOrThrow(await getValidatedRouterParams(event, p => KeyParamsSchema.safeParse(p)), 'key id')
  const { keys } = await useAccess()
  return keys.revoke(id)
})
