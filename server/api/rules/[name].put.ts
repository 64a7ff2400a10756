// PUT /api/rules/:name: full update, guarded by the version the client last read (admin key).
import { z } from 'zod'
import { RuleParamsSchema, RuleUpdateSchema } from '#shared/schemas/rule'

// The name comes from the path; a body may repeat it, but a rename is a new rule.
const BodySchema = z.preprocess(
  body => (body && typeof body === 'object' && !Array.isArray(body) ? body : {}),
  z.record(z.string(), z.unknown()),
)

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const raw = parsedOrThrow(await readValidatedBody(event, b => BodySchema.safeParse(b)), 'rule')
  refuseRename(name, raw)
  const { version, ...draft } = parsedOrThrow(RuleUpdateSchema.safeParse({ ...raw, name }), 'rule')
  const { schedules, calendars, units } = await useServices()
  requireOrganizationRole('rule', draft.organizationalUnits)
  await requireCalendars(calendars, draft.skipCalendars)
  return ruleViewWithNextRun(calendars, await replaceRule(schedules, withServerDefaults(draft), version), units)
})
