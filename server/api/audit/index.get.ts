// GET /api/audit?rule&cursor&limit: the audit trail, newest first, of one rule or of everything (admin key).
import { PageQuerySchema } from '#shared/schemas/list'
import { RuleNameSchema } from '#shared/schemas/rule'
import { useAccess } from '../../utils/services'

const QuerySchema = PageQuerySchema.extend({ rule: RuleNameSchema.optional() })

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const query = parsedOrThrow(await getValidatedQuery(event, q => QuerySchema.safeParse(q)), 'query')
  const { audit } = await useAccess()
  return audit.list(query)
})
