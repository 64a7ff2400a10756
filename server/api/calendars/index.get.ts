// GET /api/calendars?cursor&limit: one page of calendars in name order, each .ics file's days counted, not listed.
import { toCalendarSummary } from '#shared/schemas/calendar'
import { PageQuerySchema } from '#shared/schemas/list'

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => PageQuerySchema.safeParse(q)), 'query')
  const { calendars } = await useServices()
  const page = await calendars.calendars.list(query)
  return { items: page.items.map(toCalendarSummary), cursor: page.cursor }
})
