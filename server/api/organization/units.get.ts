// GET /api/organization/units?parent (admin key): the organization's roots, or the units directly beneath `parent`,
// for the rule dialog's picker; 409 when no organization role is set, 503 when AWS Organizations refuses.
import { OrganizationUnitsQuerySchema } from '#shared/schemas/params'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { parent } = parsedOrThrow(await getValidatedQuery(event, q => OrganizationUnitsQuerySchema.safeParse(q)), 'query')
  return (await useOrganizationTree()).children(parent)
})
