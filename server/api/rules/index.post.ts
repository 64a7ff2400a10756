// POST /api/rules: create a rule (admin key).
import { RuleInputSchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const draft = parsedOrThrow(await readValidatedBody(event, b => RuleInputSchema.safeParse(b)), 'rule')
  const { schedules, calendars, units } = await useServices()
  requireOrganizationRole('rule', draft.organizationalUnits)
  await requireCalendars(calendars, draft.skipCalendars)
  const rule = await createRule(schedules, withServerDefaults(draft))
  setResponseStatus(event, 201)
  return ruleViewWithNextRun(calendars, rule, units)
})
