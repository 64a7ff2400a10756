// GET /api/savings?from&to&groupBy: the instance-hours the rules' stops avoided in a range (dates are UTC days,
// or ISO 8601 instants), grouped by rule, account, region, instance type or day, and the money where prices are
// known; read-only visitors may read it.
import { savingsQuerySchema } from '#shared/schemas/savings'

export default defineApiHandler(async (event) => {
  const now = new Date()
  const query = parsedOrThrow(await getValidatedQuery(event, q => savingsQuerySchema(() => now).safeParse(q)), 'savings query')
  const { savings } = await useServices()
  return readSavings(savings, query, now)
})
