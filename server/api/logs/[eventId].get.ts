// GET /api/logs/:eventId: one run with every instance's outcome, and its notifications' deliveries.
import type { LogEntry } from '#shared/schemas/log'
import { LogParamsSchema } from '#shared/schemas/params'

export default defineApiHandler(async (event): Promise<LogEntry> => {
  const { eventId } = parsedOrThrow(await getValidatedRouterParams(event, p => LogParamsSchema.safeParse(p)), 'event id')
  const { logs } = await useServices()
  const entry = await logs.get(eventId)
  const { repository } = await useNotifications()
  const deliveries = await repository.deliveriesOf(eventId)
  if (deliveries.length === 0) return entry
  return { ...entry, notifications: deliveries.map(({ eventId: _e, expiresAt: _x, ...d }) => d) }
})
