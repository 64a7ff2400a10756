// GET /api/logs?rule&cursor&limit: runs, newest first, of one rule or of all.
import { ByRulePageQuerySchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => ByRulePageQuerySchema.safeParse(q)), 'query')
  const { logs } = await useServices()
  return logs.list(query)
})
