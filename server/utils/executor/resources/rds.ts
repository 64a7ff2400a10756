// RDS DB instances: DescribeDBInstances with the rule's own RDS filters (db-instance-id, engine), 100 a page, its tags
// matched from each instance's TagList (the API takes no tag filter); StopDBInstance/StartDBInstance one at a time;
// then the states read back for a bounded wait. Aurora members are the cluster's (the aurora type), and AWS refuses to
// stop read replicas and instances that have them: those are skipped, each with its reason.
import { DescribeDBInstancesCommand, DescribeEventsCommand, StartDBInstanceCommand, StopDBInstanceCommand } from '@aws-sdk/client-rds'
import type { DBInstance, Filter as RdsFilter, RDSClient } from '@aws-sdk/client-rds'
import type { Filter } from '#shared/filters'
import { withThrottlingRetry } from '../../aws/retry'
import { chunked } from '../act'
import type { ExecutorDeps } from '../deps'
import { optOutReason, withNote } from '../decision'
import type { InstanceDecision } from '../decision'
import { verifyDatabases } from './db-verify'
import { actOneByOne } from './one-by-one'
import { matchesTagFilters, tagRecord } from './tags'
import type { InstanceOverride } from '../overrides'
import type { FoundResource, RegionScope, ResourceHandler } from './types'
import { runReason } from '#shared/run-reasons'

export interface FoundDbInstance extends FoundResource {
  /** The Aurora cluster it belongs to: the cluster is what is stopped. */
  cluster?: string
  /** The instance it replicates. */
  replicaOf?: string
  /** Its own read replicas. */
  replicas: string[]
  /** The region's events say AWS started it again after 7 days stopped. */
  restartedByAws?: boolean
  /** When it was created (epoch ms): one younger than 7 days cannot have been started again by AWS. */
  createdAt?: number
}

// DescribeDBInstances answers at most 100 per page; the db-instance-id filter takes as many ids per call.
const PAGE = 100
const RDS_FILTER_KEYS: Record<string, string> = { 'db-instance-id': 'db-instance-id', 'engine': 'engine' }
// RDS's event when it starts an instance stopped for 7 days (RDS event RDS-EVENT-0154).
const RESTARTED_BY_AWS = /exceed(?:s|ed|ing) the maximum allowed time being stopped/i

/** The rule's filters that DescribeDBInstances takes; tag filters are matched afterwards. */
export function rdsFilters(filters: readonly Filter[], keys: Record<string, string>): RdsFilter[] {
  return filters.filter(f => keys[f.key]).map(f => ({ Name: keys[f.key], Values: f.values }))
}

/** The deps' RDS client, or an error a run logs for the region. */
export async function rdsClient(deps: ExecutorDeps, scope: RegionScope): Promise<RDSClient> {
  if (!deps.rds) throw new Error('this executor was given no RDS client: rds and aurora rules cannot run here')
  return deps.rds(scope.accountId, scope.region, scope.credentials)
}

// AWS starts an instance again once it has been stopped 7 days in a row: a younger one cannot have been.
const SEVEN_DAYS_MS = 7 * 86_400_000
const oldEnough = (db: FoundDbInstance, deps: ExecutorDeps) =>
  db.createdAt === undefined || db.createdAt <= (deps.now?.() ?? new Date()).getTime() - SEVEN_DAYS_MS

function toFound(db: DBInstance, region: string): FoundDbInstance {
  const tags = tagRecord(db.TagList)
  return {
    instanceId: db.DBInstanceIdentifier!,
    region,
    ...(tags.Name ? { name: tags.Name } : {}),
    state: db.DBInstanceStatus ?? 'unknown',
    tags,
    ...(db.Engine ? { engine: db.Engine } : {}),
    ...(db.DBClusterIdentifier ? { cluster: db.DBClusterIdentifier } : {}),
    ...(db.ReadReplicaSourceDBInstanceIdentifier ? { replicaOf: db.ReadReplicaSourceDBInstanceIdentifier } : {}),
    replicas: db.ReadReplicaDBInstanceIdentifiers ?? [],
    ...(db.InstanceCreateTime ? { createdAt: new Date(db.InstanceCreateTime).getTime() } : {}),
  }
}

/** Every DB instance matching the filters, across all pages. */
async function describeAll(rds: RDSClient, Filters: RdsFilter[], deps: ExecutorDeps): Promise<DBInstance[]> {
  const found: DBInstance[] = []
  let Marker: string | undefined
  do {
    const marker = Marker
    const page = await withThrottlingRetry(() => rds.send(new DescribeDBInstancesCommand({ Filters: Filters.length ? Filters : undefined, MaxRecords: PAGE, Marker: marker })), deps.backoff)
    found.push(...(page.DBInstances ?? []))
    Marker = page.Marker || undefined
  } while (Marker)
  return found
}

/** The instances the region's events of the last 8 days say AWS started after 7 days stopped; none when events cannot be read. */
async function restartedByAws(rds: RDSClient, deps: ExecutorDeps): Promise<Set<string>> {
  try {
    const out = await withThrottlingRetry(() => rds.send(new DescribeEventsCommand({ SourceType: 'db-instance', Duration: 8 * 24 * 60, MaxRecords: 100 })), deps.backoff)
    return new Set((out.Events ?? []).filter(e => e.SourceIdentifier && RESTARTED_BY_AWS.test(e.Message ?? '')).map(e => e.SourceIdentifier!))
  }
  catch {
    // The events only refine a reason: a stop goes on without them.
    return new Set()
  }
}

/** The states of DB instances by id, 100 ids per call. */
async function readStates(rds: RDSClient, ids: string[], deps: ExecutorDeps): Promise<Record<string, string>> {
  const states: Record<string, string> = {}
  for (const chunk of chunked(ids, PAGE)) {
    for (const db of await describeAll(rds, [{ Name: 'db-instance-id', Values: chunk }], deps)) {
      if (db.DBInstanceIdentifier) states[db.DBInstanceIdentifier] = db.DBInstanceStatus ?? 'unknown'
    }
  }
  return states
}

export const rdsHandler: ResourceHandler<FoundDbInstance> = {
  type: 'rds',
  service: 'RDS',
  idFilter: 'db-instance-id',
  async find(deps, scope, spec) {
    const rds = await rdsClient(deps, scope)
    const found = (await describeAll(rds, rdsFilters(spec.filters, RDS_FILTER_KEYS), deps))
      .filter(db => db.DBInstanceIdentifier && matchesTagFilters(tagRecord(db.TagList), spec.filters))
      .map(db => toFound(db, scope.region))
    // Only a stop finding a running instance that may have been stopped for 7 days (one created more than 7 days
    // ago) asks whether AWS started it: one DescribeEvents per region at most, none for a younger fleet.
    if (spec.action === 'stop' && found.some(db => db.state === 'available' && !db.cluster && oldEnough(db, deps))) {
      const restarted = await restartedByAws(rds, deps)
      for (const db of found) if (restarted.has(db.instanceId)) db.restartedByAws = true
    }
    return found
  },
  classify: (db, spec, deps, found) => withNote(decideDbInstance(db, spec.action, deps.execution.optOutTag, found.override), found.note),
  async act(deps, scope, spec, items) {
    const rds = await rdsClient(deps, scope)
    return actOneByOne(items, i => i.resource.instanceId, async ({ resource }) => {
      const DBInstanceIdentifier = resource.instanceId
      const out = spec.action === 'stop'
        ? await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier }))
        : await rds.send(new StartDBInstanceCommand({ DBInstanceIdentifier }))
      return out.DBInstance?.DBInstanceStatus
    }, deps.backoff, i => i.decision.note)
  },
  async verify(deps, scope, spec, accepted) {
    if (accepted.length === 0) return []
    const rds = await rdsClient(deps, scope)
    return verifyDatabases(deps, spec.action, Object.fromEntries(accepted.map(a => [a.resource.instanceId, a.acted.state])), ids => readStates(rds, ids, deps))
  },
  readStates: async (deps, scope, ids) => readStates(await rdsClient(deps, scope), ids, deps),
  describe: db => ({ resourceType: 'rds', ...(db.engine ? { engine: db.engine } : {}) }),
}

/** Skips, in order: the opt-out tag, an Aurora member, a read replica, an instance with replicas, an override; then the state. */
function decideDbInstance(db: FoundDbInstance, action: 'start' | 'stop', optOutTag: { key: string, value: string }, override?: InstanceOverride): InstanceDecision {
  const optOut = optOutReason(db.tags, optOutTag)
  if (optOut) return { act: false, reason: optOut }
  if (db.cluster) return { act: false, reason: runReason('auroraMember', { cluster: db.cluster }) }
  if (db.replicaOf) return { act: false, reason: runReason('readReplica', { source: db.replicaOf }) }
  if (db.replicas.length) return { act: false, reason: runReason('hasReplicas', { replicas: db.replicas.join(', ') }) }
  if (override) return { act: false, reason: override.reason, override }
  return dbStateDecision(action, db.state, db.restartedByAws ? 'started again by AWS after 7 days stopped' : undefined)
}

/**
 * Act or skip by a database's state (an RDS instance's or an Aurora cluster's, which share their names): a stop acts
 * on `available`, a start on `stopped`; one already there or on its way is skipped, and any other state is one in
 * which AWS refuses the action.
 */
export function dbStateDecision(action: 'start' | 'stop', state: string, note?: string): InstanceDecision {
  if (action === 'stop') {
    if (state === 'available') return { act: true, hibernate: false, ...(note ? { note } : {}) }
    if (state === 'stopped' || state === 'stopping') return { act: false, reason: runReason('already', { state }) }
    return { act: false, reason: runReason('refusesStop', { state }) }
  }
  if (state === 'stopped') return { act: true, hibernate: false }
  if (state === 'available') return { act: false, reason: runReason('alreadyAvailable') }
  if (state === 'starting') return { act: false, reason: runReason('already', { state: 'starting' }) }
  return { act: false, reason: runReason('refusesStart', { state }) }
}
