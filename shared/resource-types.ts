// The kinds of AWS resource a rule can start and stop. `ec2` is the default: rules stored before the others existed
// have no `resourceTypes` and mean EC2 instances.
export const RESOURCE_TYPES = ['ec2', 'rds', 'aurora', 'asg'] as const
export type ResourceType = typeof RESOURCE_TYPES[number]

export const DEFAULT_RESOURCE_TYPES: readonly ResourceType[] = ['ec2']

/** The resource types of a stored rule, a log entry or a target: absent means EC2, as before there were others. */
export function resourceTypesOf(value: { resourceTypes?: readonly ResourceType[] }): readonly ResourceType[] {
  return value.resourceTypes?.length ? value.resourceTypes : DEFAULT_RESOURCE_TYPES
}

/** A target's key among a run's or a preview's targets: ids are unique only within a type. */
export const targetKey = (target: { resourceType?: ResourceType, instanceId: string }) => `${target.resourceType ?? 'ec2'}:${target.instanceId}`
