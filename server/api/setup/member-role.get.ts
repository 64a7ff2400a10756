// GET /api/setup/member-role?accountId=123456789012 (admin key): the template and the exact commands that create
// the member role in that account, trusting this hub's Lambda role with this hub's ExternalId.
import { MemberRoleQuerySchema } from '#shared/schemas/params'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { accountId } = parsedOrThrow(await getValidatedQuery(event, q => MemberRoleQuerySchema.safeParse(q)), 'query')
  const config = useServerConfig()
  return memberRoleSetup({
    accountId,
    hubRoleArn: hubRoleArnFromEnv(),
    externalId: config.execution.externalId || null,
    roleName: config.execution.memberRoleName,
    region: config.region,
    organizationRoleArn: config.execution.organizationRoleArn,
  })
})
