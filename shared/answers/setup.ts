// What the setup and health routes answer.
import { z } from 'zod'

/** `GET /api/setup/member-role`: the member-account role and the exact commands that create it. */
export const MemberRoleSetupAnswer = z.object({
  accountId: z.string(),
  roleName: z.string(),
  roleArn: z.string().describe('the role a rule in this account assumes'),
  hubRoleArn: z.string().nullable().describe('the hub Lambda\'s role; null when the server does not know it'),
  externalId: z.string(),
  ready: z.boolean().describe('false while the commands hold a placeholder'),
  template: z.string().describe('the CloudFormation template (JSON), saved as member-account.json'),
  commands: z.object({ cloudformation: z.string(), iam: z.array(z.string()), stackSet: z.array(z.string()) }),
  organization: z.object({
    roleArn: z.string().nullable().describe('NUXT_ORGANIZATION_ROLE_ARN: set, rules may target organizational units; null when it is not'),
    command: z.string().describe('deploys infra/organization-role.yaml in the management (or a delegated administrator) account'),
  }),
})

/** `GET /api/health`. */
export const HealthAnswer = z.object({
  status: z.enum(['ok', 'unavailable']),
  store: z.enum(['embedded', 'dynamodb']),
  region: z.string(),
  reason: z.string().optional().describe('a 503: what failed and what to do'),
})

export type MemberRoleSetup = z.output<typeof MemberRoleSetupAnswer>
