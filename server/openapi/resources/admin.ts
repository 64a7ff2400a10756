// The audit trail, the reconcile, the member-account setup, the organization's tree, the health check and this document.
import { z } from 'zod'
import { AuditPageAnswer } from '#shared/answers/audit'
import { ReconcileAnswer } from '#shared/answers/rule'
import { HealthAnswer, MemberRoleSetupAnswer } from '#shared/answers/setup'
import { OrganizationUnitsAnswer } from '#shared/answers/organization'
import { MemberRoleQuerySchema, OrganizationUnitsQuerySchema } from '#shared/schemas/params'
import { ByRulePageQuerySchema } from '#shared/schemas/rule'
import { operation } from '../operation'

export const paths = {
  '/api/audit': {
    get: operation({
      summary: 'The audit trail of every change, newest first, of one rule or of everything',
      access: 'admin',
      query: ByRulePageQuerySchema,
      answers: { 200: { schema: AuditPageAnswer, description: 'a page of audit records' } },
    }),
  },
  '/api/admin/reconcile': {
    post: operation({
      summary: 'Repair every schedule now: missing, orphan and drifted ones',
      access: 'admin',
      answers: { 200: { schema: ReconcileAnswer, description: 'what the reconcile found and changed' } },
      errors: [502],
    }),
  },
  '/api/setup/member-role': {
    get: operation({
      summary: 'The member-account role for one account: its template and the commands that create it',
      access: 'admin',
      query: MemberRoleQuerySchema,
      answers: { 200: { schema: MemberRoleSetupAnswer, description: 'the role and the commands' } },
    }),
  },
  '/api/organization/units': {
    get: operation({
      summary: 'One level of the organization\'s tree: its roots, or the units directly beneath `parent`',
      description: 'Read through the organization role (NUXT_ORGANIZATION_ROLE_ARN) and cached 15 minutes per parent. 409 `OrganizationRoleMissing` when no role is set; 503 `OrganizationUnavailable` when AWS Organizations refuses.',
      access: 'admin',
      query: OrganizationUnitsQuerySchema,
      answers: { 200: { schema: OrganizationUnitsAnswer, description: 'the units of that level, in name order' } },
      errors: [400, 409],
      describe: { parent: 'an OU or root id; absent: the roots' },
    }),
  },
  '/api/health': {
    get: operation({
      summary: 'Whether the store answers',
      access: 'public',
      answers: {
        200: { schema: HealthAnswer, description: 'the store answers' },
        503: { schema: HealthAnswer, description: 'the store does not answer: `reason` says what failed and what to do' },
      },
    }),
  },
  '/api/openapi.json': {
    get: operation({
      summary: 'This document: OpenAPI 3.1, generated from the schemas the routes validate with',
      access: 'public',
      answers: { 200: { schema: z.looseObject({ openapi: z.string() }), description: 'the OpenAPI document' } },
    }),
  },
}
