// The fan-out of a run: every account, then every region of each, with bounded concurrency. A region's failure, or
// an account's (its role cannot be assumed), stays its own; the others go on.
import type { RegionError } from '#shared/schemas/log'
import { describeAwsError } from '../aws/errors'
import { createLimiter, mapWithConcurrency } from '../concurrency'
import { AssumeRoleDenied, IdentityUnavailable } from './credentials'
import type { AccountAccess } from './credentials'
import type { ExecutorDeps, RunSpec } from './deps'
import type { RegionScope } from './resources/types'

/** An account-region's outcome: its items, or why it could not be worked. */
export interface RegionOutcome<T> {
  items: T[]
  error?: string
}

/**
 * What a run over several accounts keeps while it runs (run-journal.ts): the account-regions a delivery before this
 * one finished are not worked again, and each one done (or failed) is recorded at once.
 */
export interface RegionJournal<T> {
  done: (accountId: string, region: string) => RegionOutcome<T> | undefined
  record: (accountId: string, region: string, outcome: RegionOutcome<T>) => Promise<void>
}

/**
 * Resolves access to the account once, then works each region with bounded concurrency; a region's failure stays its
 * own. With a journal, a region already done answers what it recorded, and an account with every region done is not
 * even assumed.
 */
export async function forEachRegion<T>(deps: ExecutorDeps, spec: RunSpec, work: (scope: RegionScope) => Promise<T[]>, journal?: RegionJournal<T>): Promise<{ items: T[], errors: RegionError[] }> {
  const limiter = deps.limiter ?? createLimiter(deps.execution.concurrency)
  const outcomes = new Map<string, RegionOutcome<T>>()
  for (const region of spec.regions) {
    const done = journal?.done(spec.accountId, region)
    if (done) outcomes.set(region, done)
  }
  // Not recorded, a region is worked again by a delivery that takes the run over: what it acted on is then found in
  // its target state and skipped, never acted on twice. So a failed record costs only a log line.
  const record = async (region: string, outcome: RegionOutcome<T>) => {
    outcomes.set(region, outcome)
    await journal?.record(spec.accountId, region, outcome).catch(error => deps.logger?.warn(`[executor] ${spec.accountId}/${region}: its outcome was not journaled: ${(error as Error).message}`))
  }
  const pending = spec.regions.filter(r => !outcomes.has(r))
  if (pending.length) {
    let access: AccountAccess | undefined
    try {
      // Through the limiter too: 500 rules firing together must not send 500 AssumeRoles at once (STS throttles bursts).
      // One AssumeRole per account per run, whatever the rule's resource types.
      access = await limiter(() => deps.credentials.forAccount(spec.accountId, spec.ruleName || 'preview'))
    }
    catch (error) {
      // Nothing can be reached in the account: every region fails with the same reason.
      const message = error instanceof AssumeRoleDenied || error instanceof IdentityUnavailable ? error.message : describeAwsError(error)
      await Promise.all(pending.map(region => record(region, { items: [], error: message })))
    }
    if (access) {
      const { credentials } = access
      await mapWithConcurrency(pending, limiter, async (region) => {
        let outcome: RegionOutcome<T>
        try {
          outcome = { items: await work({ accountId: spec.accountId, region, credentials }) }
        }
        catch (error) {
          outcome = { items: [], error: describeAwsError(error) }
        }
        await record(region, outcome)
      })
    }
  }
  const all = spec.regions.map(region => ({ region, ...outcomes.get(region)! }))
  return {
    items: all.flatMap(r => r.items),
    errors: all.flatMap(r => (r.error !== undefined ? [{ region: r.region, message: r.error }] : [])),
  }
}

/**
 * Works every account of the run: `work` per account-region, through forEachRegion (one AssumeRole per account).
 * With `tagAccounts` (a run over several accounts), items and errors carry their account; a run of one account logs
 * them as it always has, its account being the entry's. Accounts are opened `execution.concurrency` at a time; their
 * regions share the run's limiter (a separate bound: an account waiting for its regions must not hold a region's slot).
 */
export async function forEachAccount<T extends object>(deps: ExecutorDeps, spec: Omit<RunSpec, 'accountId'>, accountIds: readonly string[], tagAccounts: boolean, work: (accountSpec: RunSpec, scope: RegionScope) => Promise<T[]>, journal?: RegionJournal<T>): Promise<{ items: (T & { accountId?: string })[], errors: RegionError[] }> {
  // One limiter for all the run's account-regions (the app passes one for the whole process).
  const shared = deps.limiter ? deps : { ...deps, limiter: createLimiter(deps.execution.concurrency) }
  const perAccount = await mapWithConcurrency(accountIds, createLimiter(deps.execution.concurrency), async (accountId) => {
    const accountSpec: RunSpec = { ...spec, accountId }
    const { items, errors } = await forEachRegion(shared, accountSpec, scope => work(accountSpec, scope), journal)
    if (!tagAccounts) return { items, errors }
    return {
      items: items.map(item => ({ ...item, accountId })),
      errors: errors.map(e => ({ ...e, accountId })),
    }
  })
  return { items: perAccount.flatMap(a => a.items), errors: perAccount.flatMap(a => a.errors) }
}
