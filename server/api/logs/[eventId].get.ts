// GET /api/logs/:eventId: one run's header (its counts by outcome, account, region and type) with the first page of
// its outcomes and the cursor to the next (GET /api/logs/:eventId/targets), and its notifications' deliveries.
import type { LogHead } from '#shared/schemas/log'
import { LogParamsSchema } from '#shared/schemas/params'

export default defineApiHandler(async (event): Promise<LogHead> => {
  const { eventId } = parsedOrThrow(await getValidatedRouterParams(event, p => LogParamsSchema.safeParse(p)), 'event id')
  const { logs } = await useServices()
  const entry = await logs.head(eventId)
  const { repository } = await useNotifications()
  const deliveries = await repository.deliveriesOf(eventId)
  if (deliveries.length === 0) return entry
  return { ...entry, notifications: deliveries.map(({ eventId: _e, expiresAt: _x, ...d }) => d) }
})
