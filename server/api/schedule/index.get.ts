// GET /api/schedule?from&to&rules: every firing of the rules named (comma-separated; every rule when left out) in a
// window of at most 62 days, each skipped one with why, and the days of their calendars; read-only visitors may read it.
import { scheduleQuerySchema } from '#shared/schemas/schedule'

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => scheduleQuerySchema(new Date()).safeParse(q)), 'schedule query')
  const { rules, calendars } = await useServices()
  return readSchedule({ rules, calendars }, query)
})
