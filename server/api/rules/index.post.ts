// POST /api/rules: create a rule (admin key).
import { RuleInputSchema, toRuleView } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const draft = parsedOrThrow(await readValidatedBody(event, b => RuleInputSchema.safeParse(b)), 'rule')
  const { rules } = await useServices()
  const rule = await rules.create(withServerDefaults(draft))
  setResponseStatus(event, 201)
  return toRuleView(rule)
})
