// DELETE /api/rules/:name[?version=N]: delete a rule (admin key); answers the deleted rule.
import { VersionQuerySchema } from '#shared/schemas/params'
import { toRuleView } from '#shared/rule-view'
import { RuleParamsSchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const { version } = parsedOrThrow(await getValidatedQuery(event, q => VersionQuerySchema.safeParse(q)), 'query')
  const { schedules } = await useServices()
  return toRuleView(await deleteRule(schedules, name, version))
})
