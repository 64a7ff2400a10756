// POST /api/calendars { name, description?, entries }: create a calendar (admin key); .ics files are imported here.
import { CalendarInputSchema } from '#shared/schemas/calendar'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => CalendarInputSchema.safeParse(b)), 'calendar')
  const { calendars } = await useServices()
  const calendar = await createCalendar(calendars, input)
  setResponseStatus(event, 201)
  return calendar
})
