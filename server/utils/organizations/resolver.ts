// The accounts beneath a rule's organizational units, read from AWS Organizations when the rule runs: every active
// account under each unit, recursively (ListAccountsForParent and ListChildren, paged), cached per unit for 15 minutes,
// in this process and in the store (unit-store.ts), which other processes (Lambda containers) and the rules list read.
import { ListAccountsForParentCommand, ListChildrenCommand } from '@aws-sdk/client-organizations'
import type { OrganizationsClient } from '@aws-sdk/client-organizations'
import { describeAwsError } from '../aws/errors'
import { withThrottlingRetry } from '../aws/retry'
import type { BackoffOptions } from '../aws/retry'
import { openOrganizations, OrganizationUnavailable } from './errors'
import type { UnitStore } from './unit-store'

/** How long a unit's accounts are reused: a new account is reached within this long. */
export const ORGANIZATION_CACHE_MS = 15 * 60_000

export interface UnitAccounts {
  /** Every active account beneath the units, each once, in the order found. */
  accountIds: string[]
  /** When the oldest of the cached answers used was read (ISO 8601). */
  resolvedAt: string
}

export interface OrganizationsResolver {
  /** The active accounts beneath `units` (OU or root ids); throws OrganizationUnavailable. */
  accountsUnder: (units: readonly string[]) => Promise<UnitAccounts>
}

export interface OrganizationsResolverOptions {
  /** A client with the organization role's credentials, made when a unit is not cached. */
  client: () => Promise<Pick<OrganizationsClient, 'send'>>
  /** Where each unit's last resolution is kept across processes; a failure to read or write it is only logged. */
  store?: UnitStore
  now?: () => number
  ttlMs?: number
  backoff?: Partial<BackoffOptions>
}

/** Suspended and closing accounts are left out; `State` is the newer field, `Status` the older one. */
function isActive(account: { State?: string, Status?: string }): boolean {
  return (account.State ?? account.Status) === 'ACTIVE'
}

/** Creates a resolver with its own cache; the app keeps one per process. */
export function createOrganizationsResolver(options: OrganizationsResolverOptions): OrganizationsResolver {
  const now = options.now ?? Date.now
  const ttl = options.ttlMs ?? ORGANIZATION_CACHE_MS
  const cache = new Map<string, { accountIds: string[], at: number }>()

  async function walk(client: Pick<OrganizationsClient, 'send'>, unit: string): Promise<string[]> {
    const found: string[] = []
    const parents = [unit]
    while (parents.length) {
      const parent = parents.shift()!
      let token: string | undefined
      do {
        const out = await withThrottlingRetry(() => client.send(new ListAccountsForParentCommand({ ParentId: parent, NextToken: token })), options.backoff)
        for (const a of out.Accounts ?? []) if (a.Id && isActive(a)) found.push(a.Id)
        token = out.NextToken
      } while (token)
      do {
        const out = await withThrottlingRetry(() => client.send(new ListChildrenCommand({ ParentId: parent, ChildType: 'ORGANIZATIONAL_UNIT', NextToken: token })), options.backoff)
        for (const c of out.Children ?? []) if (c.Id) parents.push(c.Id)
        token = out.NextToken
      } while (token)
    }
    return found
  }

  async function accountsUnder(units: readonly string[]): Promise<UnitAccounts> {
    const t = now()
    if (units.length === 0) return { accountIds: [], resolvedAt: new Date(t).toISOString() }
    const stale = (u: string) => {
      const hit = cache.get(u)
      return !hit || hit.at <= t - ttl
    }
    if (options.store && units.some(stale)) {
      try {
        for (const [unit, found] of await options.store.read(units.filter(stale))) {
          if (found.at > t - ttl) cache.set(unit, found)
        }
      }
      catch (e) {
        console.warn(`[organizations] the stored resolutions could not be read: ${describeAwsError(e)}`)
      }
    }
    const missing = units.filter(stale)
    if (missing.length) {
      const client = await openOrganizations(options.client)
      for (const unit of missing) {
        let found: { accountIds: string[], at: number }
        try {
          found = { accountIds: await walk(client, unit), at: now() }
        }
        catch (e) {
          throw new OrganizationUnavailable(`could not list the accounts of ${unit}: ${describeAwsError(e)}`, e)
        }
        cache.set(unit, found)
        await options.store?.write(unit, found).catch((e: unknown) => console.warn(`[organizations] the resolution of ${unit} was not stored: ${describeAwsError(e)}`))
      }
    }
    const used = units.map(u => cache.get(u)!)
    return {
      accountIds: [...new Set(used.flatMap(u => u.accountIds))],
      resolvedAt: new Date(Math.min(...used.map(u => u.at))).toISOString(),
    }
  }

  return { accountsUnder }
}
