// GET /api/rules?cursor&limit&q: one page of rules in name order, each with its next run.
import { z } from 'zod'
import { PageQuerySchema } from '#shared/schemas/list'

const QuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(100, 'q must be at most 100 characters').optional(),
})

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => QuerySchema.safeParse(q)), 'query')
  const { rules, calendars } = await useServices()
  const page = await rules.list(query)
  return { items: await ruleViewsWithNextRun(calendars, page.items), cursor: page.cursor }
})
