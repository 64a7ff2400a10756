// DELETE /api/rules/:name[?version=N]: delete a rule (admin key); answers the deleted rule.
import { z } from 'zod'
import { toRuleView } from '#shared/rule-view'
import { RuleParamsSchema } from '#shared/schemas/rule'

const QuerySchema = z.object({ version: z.coerce.number({ message: 'version must be a number' }).int().min(1).optional() })

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const { version } = parsedOrThrow(await getValidatedQuery(event, q => QuerySchema.safeParse(q)), 'query')
  const { schedules } = await useServices()
  return toRuleView(await deleteRule(schedules, name, version))
})
