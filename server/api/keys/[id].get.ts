// GET /api/keys/:id: one API key, without its secret (admin key).
import { z } from 'zod'
import { useAccess } from '../../utils/services'
import { KeyNotFound } from '../../utils/keys/errors'
import { KEY_ID_PATTERN } from '../../utils/keys/hashing'
import { toKeyView } from '../../utils/keys/repository'

const ParamsSchema = z.object({ id: z.string().regex(KEY_ID_PATTERN, 'id must be 5-32 lowercase letters and digits') })

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { id } = parsedOrThrow(await getValidatedRouterParams(event, p => ParamsSchema.safeParse(p)), 'key id')
  const { keys } = await useAccess()
  const record = await keys.get(id)
  if (!record) throw new KeyNotFound(id)
  return toKeyView(record as unknown as Record<string, unknown>)
})
