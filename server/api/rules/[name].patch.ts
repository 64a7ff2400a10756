// PATCH /api/rules/:name { enabled, version? }: turn a rule on or off (admin key).
import { z } from 'zod'
import { RuleNameSchema, RulePatchSchema, toRuleView } from '#shared/schemas/rule'

const ParamsSchema = z.object({ name: RuleNameSchema })

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => ParamsSchema.safeParse(p)), 'rule name')
  const patch = parsedOrThrow(await readValidatedBody(event, b => RulePatchSchema.safeParse(b)), 'change')
  const { schedules } = await useServices()
  return toRuleView(await setRuleEnabled(schedules, name, patch.enabled, patch.version))
})
