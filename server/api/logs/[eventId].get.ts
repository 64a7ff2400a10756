// GET /api/logs/:eventId: one run with every instance's outcome, and its notifications' deliveries.
import { z } from 'zod'
import type { LogEntry } from '#shared/schemas/log'

const ParamsSchema = z.object({
  eventId: z.string().regex(/^[\w.:-]{1,128}$/, 'eventId must be 1-128 letters, digits, . _ : or -'),
})

export default defineApiHandler(async (event): Promise<LogEntry> => {
  const { eventId } = parsedOrThrow(await getValidatedRouterParams(event, p => ParamsSchema.safeParse(p)), 'event id')
  const { logs } = await useServices()
  const entry = await logs.get(eventId)
  const { repository } = await useNotifications()
  const deliveries = await repository.deliveriesOf(eventId)
  if (deliveries.length === 0) return entry
  return { ...entry, notifications: deliveries.map(({ eventId: _e, expiresAt: _x, ...d }) => d) }
})
