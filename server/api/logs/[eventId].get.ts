// GET /api/logs/:eventId: one run with every instance's outcome.
import { z } from 'zod'

const ParamsSchema = z.object({
  eventId: z.string().regex(/^[\w.:-]{1,128}$/, 'eventId must be 1-128 letters, digits, . _ : or -'),
})

export default defineApiHandler(async (event) => {
  const { eventId } = parsedOrThrow(await getValidatedRouterParams(event, p => ParamsSchema.safeParse(p)), 'event id')
  const { logs } = await useServices()
  return logs.get(eventId)
})
