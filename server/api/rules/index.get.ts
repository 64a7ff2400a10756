// GET /api/rules?cursor&limit&q: one page of rules in name order, each with its next run, and what a rule naming
// units reached when they were last resolved.
import { readRulesQuery } from '../../utils/rules/list-query'
import { withReach } from '../../utils/organizations/reach'

export default defineApiHandler(async (event) => {
  const query = await readRulesQuery(event)
  const { rules, calendars, units } = await useServices()
  const page = await rules.list(query)
  return { items: await withReach(units, await ruleViewsWithNextRun(calendars, page.items)), cursor: page.cursor }
})
