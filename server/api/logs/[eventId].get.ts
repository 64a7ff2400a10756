// GET /api/logs/:eventId: one run with every instance's outcome.
import { LogParamsSchema } from '#shared/schemas/params'

export default defineApiHandler(async (event) => {
  const { eventId } = parsedOrThrow(await getValidatedRouterParams(event, p => LogParamsSchema.safeParse(p)), 'event id')
  const { logs } = await useServices()
  return logs.get(eventId)
})
