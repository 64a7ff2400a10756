// GET /api/rules?cursor&limit&q: one page of rules in name order, each with its next run.
import { RulesQuerySchema } from '#shared/schemas/list'

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => RulesQuerySchema.safeParse(q)), 'query')
  const { rules, calendars } = await useServices()
  const page = await rules.list(query)
  return { items: await ruleViewsWithNextRun(calendars, page.items), cursor: page.cursor }
})
