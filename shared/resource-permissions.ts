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
