// Aurora DB clusters: DescribeDBClusters with the rule's own filters (db-cluster-id, engine), 100 a page, tags matched
// from each cluster's TagList; StopDBCluster/StartDBCluster one at a time; then the states read back for a bounded
// wait. AWS cannot stop Serverless v1 clusters, the secondary clusters of a global database (or any replica cluster),
// nor the clusters of other engines that the RDS API also lists (Neptune, DocumentDB): skipped, each with its reason.
import { DescribeDBClustersCommand, StartDBClusterCommand, StopDBClusterCommand } from '@aws-sdk/client-rds'
import type { DBCluster, Filter as RdsFilter, RDSClient } from '@aws-sdk/client-rds'
import { withThrottlingRetry } from '../../aws/retry'
import { chunked } from '../act'
import { optOutReason, withNote } from '../decision'
import type { InstanceDecision } from '../decision'
import type { ExecutorDeps } from '../deps'
import type { InstanceOverride } from '../overrides'
import { verifyDatabases } from './db-verify'
import { actOneByOne } from './one-by-one'
import { dbStateDecision, rdsClient, rdsFilters } from './rds'
import { matchesTagFilters, tagRecord } from './tags'
import type { FoundResource, ResourceHandler } from './types'
import { runReason } from '#shared/run-reasons'

export interface FoundDbCluster extends FoundResource {
  /** `provisioned` (Serverless v2 included), `serverless` (v1), ... */
  engineMode?: string
  /** The cluster it replicates: a secondary of a global database, or a cross-region replica. */
  replicaOf?: string
}

const PAGE = 100
const AURORA_FILTER_KEYS: Record<string, string> = { 'db-cluster-id': 'db-cluster-id', 'engine': 'engine' }

function toFound(c: DBCluster, region: string): FoundDbCluster {
  const tags = tagRecord(c.TagList)
  return {
    instanceId: c.DBClusterIdentifier!,
    region,
    ...(tags.Name ? { name: tags.Name } : {}),
    state: c.Status ?? 'unknown',
    tags,
    ...(c.Engine ? { engine: c.Engine } : {}),
    ...(c.EngineMode ? { engineMode: c.EngineMode } : {}),
    ...(c.ReplicationSourceIdentifier ? { replicaOf: c.ReplicationSourceIdentifier } : {}),
  }
}

async function describeAll(rds: RDSClient, Filters: RdsFilter[], deps: ExecutorDeps): Promise<DBCluster[]> {
  const found: DBCluster[] = []
  let Marker: string | undefined
  do {
    const marker = Marker
    const page = await withThrottlingRetry(() => rds.send(new DescribeDBClustersCommand({ Filters: Filters.length ? Filters : undefined, MaxRecords: PAGE, Marker: marker })), deps.backoff)
    found.push(...(page.DBClusters ?? []))
    Marker = page.Marker || undefined
  } while (Marker)
  return found
}

/** The states of clusters by id, 100 ids per call. */
async function clusterStates(rds: RDSClient, ids: string[], deps: ExecutorDeps): Promise<Record<string, string>> {
  const states: Record<string, string> = {}
  for (const chunk of chunked(ids, PAGE)) {
    for (const c of await describeAll(rds, [{ Name: 'db-cluster-id', Values: chunk }], deps)) {
      if (c.DBClusterIdentifier) states[c.DBClusterIdentifier] = c.Status ?? 'unknown'
    }
  }
  return states
}

/** Skips, in order: the opt-out tag, another engine, Serverless v1, a replica cluster, an override; then the state. */
function decideCluster(c: FoundDbCluster, action: 'start' | 'stop', optOutTag: { key: string, value: string }, override?: InstanceOverride): InstanceDecision {
  const optOut = optOutReason(c.tags, optOutTag)
  if (optOut) return { act: false, reason: optOut }
  if (c.engine && !c.engine.startsWith('aurora')) return { act: false, reason: runReason('notAurora', { engine: c.engine }) }
  if (c.engineMode === 'serverless') return { act: false, reason: runReason('serverlessV1') }
  if (c.engineMode && c.engineMode !== 'provisioned') return { act: false, reason: runReason('engineMode', { mode: c.engineMode }) }
  if (c.replicaOf) return { act: false, reason: runReason('globalReplica', { source: c.replicaOf }) }
  if (override) return { act: false, reason: override.reason, override }
  return dbStateDecision(action, c.state)
}

export const auroraHandler: ResourceHandler<FoundDbCluster> = {
  type: 'aurora',
  service: 'RDS',
  idFilter: 'db-cluster-id',
  async find(deps, scope, spec) {
    const rds = await rdsClient(deps, scope)
    return (await describeAll(rds, rdsFilters(spec.filters, AURORA_FILTER_KEYS), deps))
      .filter(c => c.DBClusterIdentifier && matchesTagFilters(tagRecord(c.TagList), spec.filters))
      .map(c => toFound(c, scope.region))
  },
  classify: (c, spec, deps, found) => withNote(decideCluster(c, spec.action, deps.execution.optOutTag, found.override), found.note),
  async act(deps, scope, spec, items) {
    const rds = await rdsClient(deps, scope)
    return actOneByOne(items, i => i.resource.instanceId, async ({ resource }) => {
      const DBClusterIdentifier = resource.instanceId
      const out = spec.action === 'stop'
        ? await rds.send(new StopDBClusterCommand({ DBClusterIdentifier }))
        : await rds.send(new StartDBClusterCommand({ DBClusterIdentifier }))
      return out.DBCluster?.Status
    }, deps.backoff, i => i.decision.note)
  },
  async verify(deps, scope, spec, accepted) {
    if (accepted.length === 0) return []
    const rds = await rdsClient(deps, scope)
    return verifyDatabases(deps, spec.action, Object.fromEntries(accepted.map(a => [a.resource.instanceId, a.acted.state])), ids => clusterStates(rds, ids, deps))
  },
  readStates: async (deps, scope, ids) => clusterStates(await rdsClient(deps, scope), ids, deps),
  describe: c => ({ resourceType: 'aurora', ...(c.engine ? { engine: c.engine } : {}) }),
}
