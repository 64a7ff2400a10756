// GET /api/calendars/:name: one calendar, every entry in full, and the rules that skip its days.
import { CalendarParamsSchema } from '#shared/schemas/calendar'

export default defineApiHandler(async (event) => {
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => CalendarParamsSchema.safeParse(p)), 'calendar name')
  const { calendars } = await useServices()
  const [calendar, usedBy] = await Promise.all([calendars.calendars.get(name), calendars.rules.usingCalendar(name)])
  return { ...calendar, usedBy }
})
