// Which accounts a run works on: the rule's explicit accounts and the active accounts beneath its organizational
// units, less the excluded ones.
import type { AccountTargets } from '#shared/account-targets'
import { OrganizationUnavailable } from '../organizations/errors'
import type { ExecutorDeps } from './deps'

/** The accounts of one run, and how they were found. */
export interface RunAccounts {
  accountIds: string[]
  organizationalUnits: string[]
  /** When the units' accounts were read from AWS Organizations (they are cached up to 15 minutes). */
  resolvedAt?: string
  /** Accounts left out because the rule excludes them, of those it would otherwise reach. */
  excluded: number
  /** Why the units reached no account this time; the explicit accounts still run. */
  error?: string
}

/** Resolves the rule's targets now: explicit accounts first, then those beneath its units, never an excluded one. */
export async function runAccounts(deps: Pick<ExecutorDeps, 'organizations'>, targets: AccountTargets): Promise<RunAccounts> {
  const units = targets.organizationalUnits
  let fromUnits: string[] = []
  let resolvedAt: string | undefined
  let error: string | undefined
  if (units.length) {
    try {
      if (!deps.organizations) throw new OrganizationUnavailable('organizational units need NUXT_ORGANIZATION_ROLE_ARN, the role that reads AWS Organizations: none is set')
      const found = await deps.organizations.accountsUnder(units)
      fromUnits = found.accountIds
      resolvedAt = found.resolvedAt
    }
    catch (e) {
      if (!(e instanceof OrganizationUnavailable)) throw e
      error = e.message
    }
  }
  const excluded = new Set(targets.excludeAccountIds)
  const reached = [...new Set([...targets.accountIds, ...fromUnits])]
  const accountIds = reached.filter(id => !excluded.has(id))
  return { accountIds, organizationalUnits: units, ...(resolvedAt ? { resolvedAt } : {}), excluded: reached.length - accountIds.length, ...(error ? { error } : {}) }
}
