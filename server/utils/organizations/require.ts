// Organizational units are resolved through the organization role: a rule or a preview that names units without
// one set would reach no account beneath them, so it is refused up front with a field issue.
import { issue } from '#shared/schemas/issue'
import { InvalidInput } from '../errors'
import { useServerConfig } from '../config'

/** Throws InvalidInput on `organizationalUnits` when `units` is not empty and NUXT_ORGANIZATION_ROLE_ARN is not set. */
export function requireOrganizationRole(what: string, units: readonly string[], roleArn = useServerConfig().execution.organizationRoleArn): void {
  if (units.length && !roleArn) throw new InvalidInput(what, [{ path: 'organizationalUnits', ...issue('rule.organizationalUnits.noRole') }])
}
