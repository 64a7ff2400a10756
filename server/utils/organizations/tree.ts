// The organization's tree, for the rule dialog's picker: its roots, or the units directly beneath one parent
// (ListRoots, ListOrganizationalUnitsForParent, paged), read through the organization role and cached per parent for
// 15 minutes like the resolver's accounts. One level per request, so a picker expands it lazily.
import { ListOrganizationalUnitsForParentCommand, ListRootsCommand } from '@aws-sdk/client-organizations'
import type { OrganizationsClient } from '@aws-sdk/client-organizations'
import { describeAwsError } from '../aws/errors'
import { withThrottlingRetry } from '../aws/retry'
import type { BackoffOptions } from '../aws/retry'
import { openOrganizations, OrganizationUnavailable } from './errors'
import { ORGANIZATION_CACHE_MS } from './resolver'

/** A root or an organizational unit of the tree. */
export interface OrganizationUnit {
  id: string
  name: string
  /** The parent's id; null for a root. */
  parentId: string | null
}

export interface UnitsLevel {
  /** The parent asked for; null for the roots. */
  parentId: string | null
  units: OrganizationUnit[]
  /** When this level was read from AWS Organizations (ISO 8601). */
  readAt: string
}

export interface OrganizationTree {
  /** The roots (no parent), or the units directly beneath `parentId`; throws OrganizationUnavailable. */
  children: (parentId?: string) => Promise<UnitsLevel>
}

export interface OrganizationTreeOptions {
  client: () => Promise<Pick<OrganizationsClient, 'send'>>
  now?: () => number
  ttlMs?: number
  backoff?: Partial<BackoffOptions>
}

/** Creates a tree reader with its own cache; the app keeps one per process. */
export function createOrganizationTree(options: OrganizationTreeOptions): OrganizationTree {
  const now = options.now ?? Date.now
  const ttl = options.ttlMs ?? ORGANIZATION_CACHE_MS
  const cache = new Map<string, { units: OrganizationUnit[], at: number }>()

  async function read(client: Pick<OrganizationsClient, 'send'>, parentId: string | null): Promise<OrganizationUnit[]> {
    const units: OrganizationUnit[] = []
    let token: string | undefined
    do {
      if (parentId === null) {
        const out = await withThrottlingRetry(() => client.send(new ListRootsCommand({ NextToken: token })), options.backoff)
        for (const r of out.Roots ?? []) if (r.Id) units.push({ id: r.Id, name: r.Name ?? r.Id, parentId: null })
        token = out.NextToken
      }
      else {
        const out = await withThrottlingRetry(() => client.send(new ListOrganizationalUnitsForParentCommand({ ParentId: parentId, NextToken: token })), options.backoff)
        for (const u of out.OrganizationalUnits ?? []) if (u.Id) units.push({ id: u.Id, name: u.Name ?? u.Id, parentId })
        token = out.NextToken
      }
    } while (token)
    return units.sort((a, b) => a.name.localeCompare(b.name))
  }

  async function children(parentId?: string): Promise<UnitsLevel> {
    const parent = parentId ?? null
    const key = parent ?? ''
    const hit = cache.get(key)
    if (!hit || hit.at <= now() - ttl) {
      const client = await openOrganizations(options.client)
      try {
        cache.set(key, { units: await read(client, parent), at: now() })
      }
      catch (e) {
        throw new OrganizationUnavailable(`could not list ${parent ? `the units beneath ${parent}` : 'the organization\'s roots'}: ${describeAwsError(e)}`, e)
      }
    }
    const level = cache.get(key)!
    return { parentId: parent, units: level.units, readAt: new Date(level.at).toISOString() }
  }

  return { children }
}
