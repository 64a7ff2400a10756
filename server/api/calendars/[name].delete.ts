// DELETE /api/calendars/:name[?version=N]: delete a calendar no rule uses (admin key); 409 names the rules that do.
import { z } from 'zod'
import { CalendarParamsSchema } from '#shared/schemas/calendar'

const QuerySchema = z.object({ version: z.coerce.number({ message: 'version must be a number' }).int().min(1).optional() })

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => CalendarParamsSchema.safeParse(p)), 'calendar name')
  const { version } = parsedOrThrow(await getValidatedQuery(event, q => QuerySchema.safeParse(q)), 'query')
  const { calendars } = await useServices()
  return deleteCalendar(calendars, name, version)
})
