// POST /api/keys { name, scope, rateLimit?, burst?, quota? }: create an API key (admin key).
// Answers the record and, this one time, the key itself (201); only its hash is stored.
import { useAccess } from '../../utils/services'
import { KeyInputSchema } from '#shared/schemas/key'

export default defineApiHandler(async (event) => {
  const who = requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => KeyInputSchema.safeParse(b)), 'key')
  const { keys } = await useAccess()
  const { key, record } = await keys.create(input, { createdBy: who.id })
  setResponseStatus(event, 201)
  // The answer holds a secret: no cache may keep it.
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return { ...record, key }
})
