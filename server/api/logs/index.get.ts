// GET /api/logs?rule&cursor&limit: runs, newest first, of one rule or of all.
import { PageQuerySchema } from '#shared/schemas/list'
import { RuleNameSchema } from '#shared/schemas/rule'

const QuerySchema = PageQuerySchema.extend({ rule: RuleNameSchema.optional() })

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => QuerySchema.safeParse(q)), 'query')
  const { logs } = await useServices()
  return logs.list(query)
})
