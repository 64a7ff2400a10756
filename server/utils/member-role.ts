// What a member account needs so the hub can act there: the role of infra/member-account.yaml, as a
// CloudFormation template (JSON, the same resources) and as plain IAM CLI commands, filled in for one account.
// test/unit/infra-template.test.ts checks that these policies equal the ones in infra/member-account.yaml.
import { MANAGED_BY_SCOPES, MANAGED_TAG_KEYS } from '#shared/resource-permissions'
import { partitionOf } from './executor/credentials'

export interface MemberRoleInput {
  accountId: string
  /** The hub Lambda's role ARN; null when this server is not the deployed hub (local dev). */
  hubRoleArn: string | null
  /** The hub's ExternalId; null when this server has none set (local dev). */
  externalId: string | null
  roleName: string
  region: string
  /** NUXT_ORGANIZATION_ROLE_ARN, when set: rules may then target organizational units. */
  organizationRoleArn?: string
}

const HUB_ROLE_PLACEHOLDER = '<hub Lambda role ARN: the LambdaRoleArn output of the hub stack>'
const EXTERNAL_ID_PLACEHOLDER = '<ExternalId: the ExternalId output of the hub stack>'

/**
 * The hub's Lambda role ARN, from NUXT_HUB_ROLE_ARN, which infra/hub.yaml sets on the function.
 * Read from the environment here, not through useServerConfig(): it is only needed by this setup page.
 */
export function hubRoleArnFromEnv(env: NodeJS.ProcessEnv = process.env): string | null {
  const arn = env.NUXT_HUB_ROLE_ARN ?? ''
  return /^arn:aws[\w-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn) ? arn : null
}

/** Who may assume the member role: the hub's role, with the ExternalId. */
export function memberTrustPolicy(hubRoleArn: string, externalId: string) {
  return {
    Version: '2012-10-17',
    Statement: [{
      Effect: 'Allow',
      Principal: { AWS: hubRoleArn },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': externalId } },
    }],
  }
}

/** What the member role may do, in `accountId`: find, start and stop instances; grant EC2 use of KMS keys for encrypted volumes. */
export function memberPermissionsPolicy(accountId: string, partition: string) {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: '*' },
      { Effect: 'Allow', Action: ['ec2:StartInstances', 'ec2:StopInstances'], Resource: `arn:${partition}:ec2:*:${accountId}:instance/*` },
      {
        Effect: 'Allow',
        Action: 'kms:CreateGrant',
        Resource: `arn:${partition}:kms:*:${accountId}:key/*`,
        Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
      },
    ],
  }
}

/**
 * What the member role may do to databases and Auto Scaling groups in `accountId`: the Describe calls (DescribeEvents and
 * DescribeAutoScalingGroups take no resource-level permissions, so "*"), the stops and starts on its own DB instances,
 * clusters and groups, and tags on a group only under the keys Ouroboros manages (the saved capacity), by `aws:TagKeys`.
 */
export function memberResourcesPolicy(accountId: string, partition: string) {
  const arn = (service: string, resource: string) => `arn:${partition}:${service}:*:${accountId}:${resource}`
  const group = arn('autoscaling', 'autoScalingGroup:*:autoScalingGroupName/*')
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['rds:DescribeEvents', 'autoscaling:DescribeAutoScalingGroups'], Resource: '*' },
      { Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:StartDBInstance', 'rds:StopDBInstance'], Resource: arn('rds', 'db:*') },
      { Effect: 'Allow', Action: ['rds:DescribeDBClusters', 'rds:StartDBCluster', 'rds:StopDBCluster'], Resource: arn('rds', 'cluster:*') },
      { Effect: 'Allow', Action: 'autoscaling:UpdateAutoScalingGroup', Resource: group },
      {
        Effect: 'Allow',
        Action: ['autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
        Resource: group,
        Condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': [MANAGED_TAG_KEYS] } },
      },
    ],
  }
}

/**
 * The optional scope of the stops and starts to resources tagged `key=value` (any value when `value` is `*`): a Deny of
 * each action on a resource whose tag is not that, read through each service's own condition key (MANAGED_BY_SCOPES).
 * A negated condition holds when the tag is absent, so an untagged resource is refused too.
 */
export function managedByTagPolicy(key: string, value: string) {
  return {
    Version: '2012-10-17',
    Statement: MANAGED_BY_SCOPES.map(s => ({
      Sid: s.sid,
      Effect: 'Deny',
      Action: [...s.actions],
      Resource: '*',
      Condition: { StringNotLike: { [`${s.conditionKeyPrefix}${key}`]: value } },
    })),
  }
}

// The managed-by tag's parameters: empty by default, which means no condition; no `*`, `?`, quote or backslash, so the
// value is matched exactly and the policy's JSON text stays whole.
const MANAGED_BY_PARAMETERS = {
  ManagedByTagKey: { Type: 'String', Default: '', AllowedPattern: '^[\\w .:/=+@-]{0,128}$' },
  ManagedByTagValue: { Type: 'String', Default: '', AllowedPattern: '^[\\w .:/=+@-]{0,256}$' },
}

/**
 * The template's policy that applies the managed-by tag condition when ManagedByTagKey is set: its document is JSON
 * text through Fn::Sub, as its condition keys hold the parameter's tag key and a key cannot be an intrinsic function.
 */
export function managedByTagResource() {
  return {
    Type: 'AWS::IAM::Policy',
    Condition: 'ScopedByManagedByTag',
    Properties: {
      PolicyName: 'ouroboros-managed-by-tag',
      Roles: [{ Ref: 'MemberRole' }],
      PolicyDocument: { 'Fn::Sub': [JSON.stringify(managedByTagPolicy('${ManagedByTagKey}', '${Value}')), { Value: { 'Fn::If': ['AnyManagedByTagValue', '*', { Ref: 'ManagedByTagValue' }] } }] },
    },
  }
}

const subResources = (policy: { Version: string, Statement: { Resource: string }[] }) => ({
  Version: policy.Version,
  Statement: policy.Statement.map(s => (s.Resource === '*' ? s : { ...s, Resource: { 'Fn::Sub': s.Resource } })),
})

/** infra/member-account.yaml as a JSON template: the same parameters, role, trust and permissions. */
export function memberRoleTemplate() {
  const permissions = memberPermissionsPolicy('${AWS::AccountId}', '${AWS::Partition}')
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: 'Ouroboros member-account role: lets the Ouroboros hub Lambda find, start and stop EC2 instances, RDS instances, Aurora clusters and Auto Scaling groups in this account.',
    Parameters: {
      HubRoleArn: { Type: 'String', AllowedPattern: '^arn:aws[\\w-]*:iam::\\d{12}:role/[\\w+=,.@/-]+$' },
      ExternalId: { Type: 'String', MinLength: 2, MaxLength: 1224, AllowedPattern: '^[\\w+=,.@:/-]+$' },
      RoleName: { Type: 'String', Default: 'OuroborosSchedulerMember', AllowedPattern: '^[\\w+=,.@-]{1,64}$' },
      ...MANAGED_BY_PARAMETERS,
    },
    Conditions: {
      ScopedByManagedByTag: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ManagedByTagKey' }, ''] }] },
      AnyManagedByTagValue: { 'Fn::Equals': [{ Ref: 'ManagedByTagValue' }, ''] },
    },
    Resources: {
      MemberRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          RoleName: { Ref: 'RoleName' },
          Description: 'Ouroboros hub finds, starts and stops EC2 instances, databases and Auto Scaling groups here',
          MaxSessionDuration: 3600,
          AssumeRolePolicyDocument: {
            Version: '2012-10-17',
            Statement: [{
              Effect: 'Allow',
              Principal: { AWS: { Ref: 'HubRoleArn' } },
              Action: 'sts:AssumeRole',
              Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
            }],
          },
          Policies: [
            { PolicyName: 'ouroboros-ec2', PolicyDocument: subResources(permissions) },
            { PolicyName: 'ouroboros-rds-asg', PolicyDocument: subResources(memberResourcesPolicy('${AWS::AccountId}', '${AWS::Partition}')) },
          ],
        },
      },
      ManagedByTagScope: managedByTagResource(),
    },
    Outputs: { RoleArn: { Value: { 'Fn::GetAtt': ['MemberRole', 'Arn'] } } },
  }
}

const shellQuote = (text: string) => `'${text.replace(/'/g, '\'\\\'\'')}'`

/** The template, and the exact commands that create the member role in one account, in three ways. */
export function memberRoleSetup(input: MemberRoleInput) {
  const partition = partitionOf(input.region)
  const hub = input.hubRoleArn ?? HUB_ROLE_PLACEHOLDER
  const externalId = input.externalId || EXTERNAL_ID_PLACEHOLDER
  const template = JSON.stringify(memberRoleTemplate(), null, 2)
  const stack = 'ouroboros-member'
  const overrides = `HubRoleArn=${hub} ExternalId=${externalId} RoleName=${input.roleName}`
  return {
    accountId: input.accountId,
    roleName: input.roleName,
    roleArn: `arn:${partition}:iam::${input.accountId}:role/${input.roleName}`,
    hubRoleArn: input.hubRoleArn,
    externalId,
    /** False until this server knows the hub role and the ExternalId (the deployed stack sets both). */
    ready: input.hubRoleArn !== null && Boolean(input.externalId),
    template,
    commands: {
      // With that account's credentials (e.g. --profile), from a folder holding the template saved as member-account.json.
      cloudformation: `aws cloudformation deploy --template-file member-account.json --stack-name ${stack} --capabilities CAPABILITY_NAMED_IAM --parameter-overrides ${overrides}`,
      iam: [
        `aws iam create-role --role-name ${input.roleName} --max-session-duration 3600 --assume-role-policy-document ${shellQuote(JSON.stringify(memberTrustPolicy(hub, externalId)))}`,
        `aws iam put-role-policy --role-name ${input.roleName} --policy-name ouroboros-ec2 --policy-document ${shellQuote(JSON.stringify(memberPermissionsPolicy(input.accountId, partition)))}`,
        `aws iam put-role-policy --role-name ${input.roleName} --policy-name ouroboros-rds-asg --policy-document ${shellQuote(JSON.stringify(memberResourcesPolicy(input.accountId, partition)))}`,
      ],
      // From the Organizations management account (or a delegated administrator), for every account of an OU.
      stackSet: [
        `aws cloudformation create-stack-set --stack-set-name ${stack} --template-body file://member-account.json --permission-model SERVICE_MANAGED --auto-deployment Enabled=true,RetainStacksOnAccountRemoval=false --capabilities CAPABILITY_NAMED_IAM --parameters ParameterKey=HubRoleArn,ParameterValue=${hub} ParameterKey=ExternalId,ParameterValue=${externalId} ParameterKey=RoleName,ParameterValue=${input.roleName}`,
        `aws cloudformation create-stack-instances --stack-set-name ${stack} --deployment-targets OrganizationalUnitIds=<ou-or-root-id> --regions ${input.region}`,
      ],
    },
    // Rules that target organizational units read the organization through this read-only role (infra/organization-role.yaml).
    organization: {
      roleArn: input.organizationRoleArn || null,
      command: `aws cloudformation deploy --template-file infra/organization-role.yaml --stack-name ouroboros-organization --capabilities CAPABILITY_NAMED_IAM --parameter-overrides HubRoleArn=${hub} ExternalId=${externalId}`,
    },
  }
}
