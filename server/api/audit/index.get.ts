// GET /api/audit?rule&cursor&limit: the audit trail, newest first, of one rule or of everything (admin key).
import { ByRulePageQuerySchema } from '#shared/schemas/rule'
import { useAccess } from '../../utils/services'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const query = parsedOrThrow(await getValidatedQuery(event, q => ByRulePageQuerySchema.safeParse(q)), 'query')
  const { audit } = await useAccess()
  return audit.list(query)
})
