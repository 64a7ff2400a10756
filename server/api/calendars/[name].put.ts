// PUT /api/calendars/:name: full update, guarded by the version the client last read (admin key). An .ics entry sent
// back as it was read stays as imported; one sent as text is imported again.
import { z } from 'zod'
import { CalendarParamsSchema, CalendarUpdateSchema } from '#shared/schemas/calendar'
import { issue } from '#shared/schemas/issue'

// The name comes from the path; a body may repeat it, but a rename is a new calendar.
const BodySchema = z.preprocess(
  body => (body && typeof body === 'object' && !Array.isArray(body) ? body : {}),
  z.record(z.string(), z.unknown()),
)

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => CalendarParamsSchema.safeParse(p)), 'calendar name')
  const raw = parsedOrThrow(await readValidatedBody(event, b => BodySchema.safeParse(b)), 'calendar')
  if (raw.name !== undefined && raw.name !== name) throw new InvalidInput('calendar', [{ path: 'name', ...issue('calendar.name.rename') }])
  const { version, ...input } = parsedOrThrow(CalendarUpdateSchema.safeParse({ ...raw, name }), 'calendar')
  const { calendars } = await useServices()
  return replaceCalendar(calendars, input, version)
})
