// The contract of one kind of resource (EC2 instances, RDS instances, Aurora clusters, Auto Scaling groups): how a run
// finds, classifies, acts on and verifies it. run.ts does everything else once for every type (credentials, overrides
// and their reverts, the log's shape), so a fifth type is one new file in this folder and one
// line in index.ts.
import type { LogTarget } from '#shared/schemas/log'
import type { ResourceType } from '#shared/resource-types'
import type { AwsCredentials } from '../../aws/credentials'
import type { InstanceOverride } from '../overrides'
import type { InstanceDecision } from '../decision'
import type { ExecutorDeps, RunSpec } from '../deps'

/** Where a type works: one account and region, with the run's credentials (none: the app's own). */
export interface RegionScope {
  accountId: string
  region: string
  credentials?: AwsCredentials
}

/** One resource as a run needs it. `instanceId` is its id in its own service (instance id, DB identifier, group name). */
export interface FoundResource {
  instanceId: string
  region: string
  name?: string
  state: string
  tags: Record<string, string>
  /** A database's engine (`postgres`, `aurora-mysql`, ...). */
  engine?: string
}

/** What an override check found for a resource: the override that leaves it alone, and a note on an unreadable tag. */
export interface OverrideFinding {
  override?: InstanceOverride
  note?: string
}

/** What the service made of the request to act on one resource. */
export type Acted
  = | { instanceId: string, accepted: true, hibernate?: boolean, note?: string, state?: string }
    | { instanceId: string, accepted: false, error: string, note?: string }

/**
 * How one accepted resource ended: `reached` false is a failure; `outcome` replaces the usual started/stopped, e.g.
 * `stopping` for a database still on its way when the wait is over.
 */
export interface Verdict {
  instanceId: string
  state?: string
  reached: boolean
  reason?: string
  outcome?: LogTarget['outcome']
}

/** One kind of resource. `R` is what `find` answers and the other steps take back. */
export interface ResourceHandler<R extends FoundResource = FoundResource> {
  type: ResourceType
  /** The service's name in a reason: "EC2 refused to stop it". */
  service: string
  /** The filter key that picks one resource by its id (a revert acts on just that one). */
  idFilter: string
  /** Every resource in the region that matches the rule's filters, in as few Describe calls as the API allows. */
  find: (deps: ExecutorDeps, scope: RegionScope, spec: RunSpec) => Promise<R[]>
  /**
   * Act or skip, and why. The opt-out tag comes first for every type (`decision.ts`), then the type's own skips
   * (members of a group, replicas), then `found.override`, then the state checks.
   */
  classify: (resource: R, spec: RunSpec, deps: ExecutorDeps, found: OverrideFinding) => InstanceDecision
  /** Starts or stops the resources to act on; one outcome per resource, whatever fails. */
  act: (deps: ExecutorDeps, scope: RegionScope, spec: RunSpec, items: { resource: R, decision: Extract<InstanceDecision, { act: true }> }[]) => Promise<Acted[]>
  /** Reads the accepted ones back until they reach the target state, or a bounded wait is over; one verdict each. */
  verify: (deps: ExecutorDeps, scope: RegionScope, spec: RunSpec, accepted: { resource: R, acted: Extract<Acted, { accepted: true }> }[]) => Promise<Verdict[]>
  /** The current states of resources by id (the follow-up check of those still on their way); types that never log in progress leave it out. */
  readStates?: (deps: ExecutorDeps, scope: RegionScope, ids: string[]) => Promise<Record<string, string>>
  /** What the log adds to a target of this type (its type, its engine); nothing for EC2, whose targets predate types. */
  describe?: (resource: R) => Partial<Pick<LogTarget, 'resourceType' | 'engine' | 'instanceType' | 'savedCapacity'>>
}
