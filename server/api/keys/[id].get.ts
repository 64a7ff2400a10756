// GET /api/keys/:id: one API key, without its secret (admin key).
import { KeyParamsSchema } from '#shared/schemas/params'
import { useAccess } from '../../utils/services'
import { KeyNotFound } from '../../utils/keys/errors'
import { toKeyView } from '../../utils/keys/repository'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { id } = parsedOrThrow(await getValidatedRouterParams(event, p => KeyParamsSchema.safeParse(p)), 'key id')
  const { keys } = await useAccess()
  const record = await keys.get(id)
  if (!record) throw new KeyNotFound(id)
  return toKeyView(record as unknown as Record<string, unknown>)
})
