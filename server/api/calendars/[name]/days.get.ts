// GET /api/calendars/:name/days?from=YYYY-MM-DD&to=YYYY-MM-DD: the calendar's days in that window (at most 3 years),
// as { items: [{ date, label, source }] }; a holiday also carries its names in English and Chinese.
import { CalendarParamsSchema, DaysQuerySchema } from '#shared/schemas/calendar'

export default defineApiHandler(async (event) => {
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => CalendarParamsSchema.safeParse(p)), 'calendar name')
  const { from, to } = parsedOrThrow(await getValidatedQuery(event, q => DaysQuerySchema.safeParse(q)), 'window')
  const { calendars } = await useServices()
  return { items: await daysOfCalendar(calendars, name, from, to) }
})
