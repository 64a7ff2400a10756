// DELETE /api/keys/:id: revoke an API key, from the next request on (admin key). The record stays, for the audit trail.
import { z } from 'zod'
import { useAccess } from '../../utils/services'
import { KEY_ID_PATTERN } from '../../utils/keys/hashing'

const ParamsSchema = z.object({ id: z.string().regex(KEY_ID_PATTERN, 'id must be 5-32 lowercase letters and digits') })

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { id } = parsedOrThrow(await getValidatedRouterParams(event, p => ParamsSchema.safeParse(p)), 'key id')
  const { keys } = await useAccess()
  return keys.revoke(id)
})
