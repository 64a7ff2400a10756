// The fan-out of a run: every account, then every region of each, with bounded concurrency. A region's failure, or
// an account's (its role cannot be assumed), stays its own; the others go on.
import type { RegionError } from '#shared/schemas/log'
import { describeAwsError } from '../aws/errors'
import { createLimiter, mapWithConcurrency } from '../concurrency'
import { AssumeRoleDenied, IdentityUnavailable } from './credentials'
import type { AccountAccess } from './credentials'
import type { ExecutorDeps, RunSpec } from './deps'
import type { RegionScope } from './resources/types'

type RegionResult<T> = { region: string, items: T[] } | { region: string, error: string }

/** Resolves access to the account once, then works each region with bounded concurrency; a region's failure stays its own. */
export async function forEachRegion<T>(deps: ExecutorDeps, spec: RunSpec, work: (scope: RegionScope) => Promise<T[]>): Promise<{ items: T[], errors: RegionError[] }> {
  const limiter = deps.limiter ?? createLimiter(deps.execution.concurrency)
  let access: AccountAccess
  try {
    // Through the limiter too: 500 rules firing together must not send 500 AssumeRoles at once (STS throttles bursts).
    // One AssumeRole per account per run, whatever the rule's resource types.
    access = await limiter(() => deps.credentials.forAccount(spec.accountId, spec.ruleName || 'preview'))
  }
  catch (error) {
    // Nothing can be reached in the account: every region fails with the same reason.
    const message = error instanceof AssumeRoleDenied || error instanceof IdentityUnavailable ? error.message : describeAwsError(error)
    return { items: [], errors: spec.regions.map(region => ({ region, message })) }
  }
  const results = await mapWithConcurrency(spec.regions, limiter, async (region): Promise<RegionResult<T>> => {
    try {
      return { region, items: await work({ accountId: spec.accountId, region, credentials: access.credentials }) }
    }
    catch (error) {
      return { region, error: describeAwsError(error) }
    }
  })
  return {
    items: results.flatMap(r => ('items' in r ? r.items : [])),
    errors: results.flatMap(r => ('error' in r ? [{ region: r.region, message: r.error }] : [])),
  }
}

/**
 * Works every account of the run: `work` per account-region, through forEachRegion (one AssumeRole per account).
 * With `tagAccounts` (a run over several accounts), items and errors carry their account; a run of one account logs
 * them as it always has, its account being the entry's. Accounts are opened `execution.concurrency` at a time; their
 * regions share the run's limiter (a separate bound: an account waiting for its regions must not hold a region's slot).
 */
export async function forEachAccount<T extends object>(deps: ExecutorDeps, spec: Omit<RunSpec, 'accountId'>, accountIds: readonly string[], tagAccounts: boolean, work: (accountSpec: RunSpec, scope: RegionScope) => Promise<T[]>): Promise<{ items: (T & { accountId?: string })[], errors: RegionError[] }> {
  // One limiter for all the run's account-regions (the app passes one for the whole process).
  const shared = deps.limiter ? deps : { ...deps, limiter: createLimiter(deps.execution.concurrency) }
  const perAccount = await mapWithConcurrency(accountIds, createLimiter(deps.execution.concurrency), async (accountId) => {
    const accountSpec: RunSpec = { ...spec, accountId }
    const { items, errors } = await forEachRegion(shared, accountSpec, scope => work(accountSpec, scope))
    if (!tagAccounts) return { items, errors }
    return {
      items: items.map(item => ({ ...item, accountId })),
      errors: errors.map(e => ({ ...e, accountId })),
    }
  })
  return { items: perAccount.flatMap(a => a.items), errors: perAccount.flatMap(a => a.errors) }
}
