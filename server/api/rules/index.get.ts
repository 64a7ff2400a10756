// GET /api/rules?cursor&limit&q: one page of rules in name order, each with its next run, and what a rule naming
// units reached when they were last resolved.
import { RulesQuerySchema } from '#shared/schemas/list'
import { withReach } from '../../utils/organizations/reach'

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => RulesQuerySchema.safeParse(q)), 'query')
  const { rules, calendars, units } = await useServices()
  const page = await rules.list(query)
  return { items: await withReach(units, await ruleViewsWithNextRun(calendars, page.items)), cursor: page.cursor }
})
