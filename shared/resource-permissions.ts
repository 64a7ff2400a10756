// The IAM actions each resource type needs in a member account, and no more: the member role (infra/member-account.yaml,
// server/utils/member-role.ts) grants them, and the Accounts page lists them per type.
import type { ResourceType } from './resource-types'

export const TYPE_PERMISSIONS: Record<ResourceType, readonly string[]> = {
  ec2: ['ec2:DescribeInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'kms:CreateGrant'],
  rds: ['rds:DescribeDBInstances', 'rds:DescribeEvents', 'rds:StartDBInstance', 'rds:StopDBInstance'],
  aurora: ['rds:DescribeDBClusters', 'rds:StartDBCluster', 'rds:StopDBCluster'],
  asg: ['autoscaling:DescribeAutoScalingGroups', 'autoscaling:UpdateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
}

/** The tag keys the role may write on Auto Scaling groups (the saved capacity): `aws:TagKeys` scopes the tag actions to them. */
export const MANAGED_TAG_KEYS = 'ouroboros:*'

/**
 * The stop and start actions the optional managed-by tag condition scopes (the member role's parameters ManagedByTagKey
 * and ManagedByTagValue), each with the condition key its service reads a resource's tag from, `<prefix><tag key>`:
 * RDS's own `rds:db-tag/` and `rds:cluster-tag/`, Auto Scaling's `autoscaling:ResourceTag/`, and EC2's `aws:ResourceTag/`.
 * The Describe calls take no resource-level condition, and stay unscoped.
 */
export const MANAGED_BY_SCOPES: readonly { sid: string, actions: readonly string[], conditionKeyPrefix: string }[] = [
  { sid: 'Ec2ManagedByTag', actions: ['ec2:StartInstances', 'ec2:StopInstances'], conditionKeyPrefix: 'aws:ResourceTag/' },
  { sid: 'RdsManagedByTag', actions: ['rds:StartDBInstance', 'rds:StopDBInstance'], conditionKeyPrefix: 'rds:db-tag/' },
  { sid: 'AuroraManagedByTag', actions: ['rds:StartDBCluster', 'rds:StopDBCluster'], conditionKeyPrefix: 'rds:cluster-tag/' },
  { sid: 'AsgManagedByTag', actions: ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'], conditionKeyPrefix: 'autoscaling:ResourceTag/' },
]
