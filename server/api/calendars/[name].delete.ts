// DELETE /api/calendars/:name[?version=N]: delete a calendar no rule uses (admin key); 409 names the rules that do.
import { VersionQuerySchema } from '#shared/schemas/params'
import { CalendarParamsSchema } from '#shared/schemas/calendar'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => CalendarParamsSchema.safeParse(p)), 'calendar name')
  const { version } = parsedOrThrow(await getValidatedQuery(event, q => VersionQuerySchema.safeParse(q)), 'query')
  const { calendars } = await useServices()
  return deleteCalendar(calendars, name, version)
})
