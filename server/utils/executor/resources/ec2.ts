// EC2 instances: DescribeInstances with the rule's filters, Start/StopInstances in batches (bisected on failure,
// hibernation with a fallback), then DescribeInstances again until running/stopped (a start that falls back to
// stopped, the KMS case, fails). The steps themselves live in find.ts, act.ts and verify.ts.
import { actInBatches, ec2ActCall } from '../act'
import { classifyInstance, findInstances } from '../find'
import type { FoundInstance } from '../find'
import { ec2DescribeStates, verifyStates } from '../verify'
import { defaultSleep } from './wait'
import type { ResourceHandler } from './types'

export const ec2Handler: ResourceHandler<FoundInstance> = {
  type: 'ec2',
  service: 'EC2',
  idFilter: 'instance-id',
  // The instance type prices its savings (savings/prices.ts).
  describe: instance => (instance.instanceType ? { instanceType: instance.instanceType } : {}),
  find: (deps, scope, spec) => findInstances(deps.ec2(scope.accountId, scope.region, scope.credentials), scope.region, spec.filters, spec.action, deps.backoff),
  classify: (instance, spec, deps, found) => classifyInstance(instance, { action: spec.action, hibernate: spec.hibernate, optOutTag: deps.execution.optOutTag }, found),
  act: (deps, scope, spec, items) => actInBatches(
    items.map(({ resource, decision }) => ({ instanceId: resource.instanceId, hibernate: decision.hibernate, note: decision.note })),
    deps.execution.batchSize,
    ec2ActCall(deps.ec2(scope.accountId, scope.region, scope.credentials), spec.action, deps.backoff),
  ),
  verify: async (deps, scope, spec, accepted) => {
    const ec2 = deps.ec2(scope.accountId, scope.region, scope.credentials)
    const verified = await verifyStates(
      accepted.map(a => a.resource.instanceId),
      Object.fromEntries(accepted.map(a => [a.resource.instanceId, a.acted.state])),
      ec2DescribeStates(ec2, deps.backoff, spec.action === 'start' ? 'running' : 'stopped'),
      {
        action: spec.action,
        timeoutMs: deps.execution.verifyTimeoutSeconds * 1000,
        intervalMs: deps.verifyIntervalMs ?? 5000,
        now: () => (deps.now?.() ?? new Date()).getTime(),
        sleep: deps.sleep ?? defaultSleep,
      },
    )
    const byId = new Map(accepted.map(a => [a.resource.instanceId, a.acted]))
    return verified.map(v => ({ ...v, ...(v.reached && byId.get(v.instanceId)?.hibernate ? { outcome: 'hibernated' as const } : {}) }))
  },
}
