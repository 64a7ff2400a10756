// GET /api/rules/:name: one rule, with its next runs.
import { z } from 'zod'
import { RuleNameSchema, toRuleView } from '#shared/schemas/rule'

const ParamsSchema = z.object({ name: RuleNameSchema })

export default defineApiHandler(async (event) => {
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => ParamsSchema.safeParse(p)), 'rule name')
  const { rules } = await useServices()
  const rule = await rules.get(name)
  return { ...toRuleView(rule), nextRuns: upcomingRuns(rule) }
})
