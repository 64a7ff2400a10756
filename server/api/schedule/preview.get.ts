// GET /api/schedule/preview?expression&timezone&calendars&count: the next firings of a rule before it is saved (the
// rule dialog's preview), until `count` of them act, each one its calendars skip with why.
import { SchedulePreviewQuerySchema } from '#shared/schemas/schedule'

export default defineApiHandler(async (event) => {
  const q = parsedOrThrow(await getValidatedQuery(event, query => SchedulePreviewQuerySchema.safeParse(query)), 'schedule preview')
  const { calendars } = await useServices()
  return previewSchedule({ calendars }, { scheduleExpression: q.expression, timezone: q.timezone, skipCalendars: q.calendars }, q.count)
})
