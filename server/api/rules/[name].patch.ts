// PATCH /api/rules/:name { enabled?, pausedUntil?, version? }: turn a rule on or off, or pause it until an instant
// (null ends the pause), admin key.
import { RuleParamsSchema, RulePatchSchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const { version, ...change } = parsedOrThrow(await readValidatedBody(event, b => RulePatchSchema.safeParse(b)), 'change')
  const { schedules, calendars, units } = await useServices()
  return ruleViewWithNextRun(calendars, await patchRule(schedules, name, change, version), units)
})
