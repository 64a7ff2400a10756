// GET /api/overrides?cursor&limit: a page of the overrides still active, soonest end first.
import { PageQuerySchema } from '#shared/schemas/list'

export default defineApiHandler(async (event) => {
  const query = parsedOrThrow(await getValidatedQuery(event, q => PageQuerySchema.safeParse(q)), 'query')
  const { overrides } = await useServices()
  return overrides.list(query)
})
