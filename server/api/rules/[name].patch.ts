// PATCH /api/rules/:name { enabled, version? }: turn a rule on or off (admin key).
import { RuleParamsSchema, RulePatchSchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const patch = parsedOrThrow(await readValidatedBody(event, b => RulePatchSchema.safeParse(b)), 'change')
  const { schedules, calendars } = await useServices()
  return ruleViewWithNextRun(calendars, await setRuleEnabled(schedules, name, patch.enabled, patch.version))
})
