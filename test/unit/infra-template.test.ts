// The templates in infra/, read as CloudFormation reads them: the hub's tables equal tableDefinitions(),
// its IAM is least-privilege as issue 7 lists it, and the member-account role equals what the UI hands out.
import { TYPE_PERMISSIONS } from '../../shared/resource-permissions'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  ARTIFACTS_TEMPLATE, HUB_TEMPLATE, loadTemplate, MEMBER_TEMPLATE, tableLogicalId, tableSpecs, withGeneratedTables,
} from '../../scripts/deploy-template.mjs'
import { parseServerConfig } from '../../server/utils/config'
import { managedByTagPolicy, memberPermissionsPolicy, memberRoleSetup, memberRoleTemplate } from '../../server/utils/member-role'
import { tableDefinitions } from '../../server/utils/tables'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const hub = loadTemplate(HUB_TEMPLATE) as Json
const member = loadTemplate(MEMBER_TEMPLATE) as Json
const specs = tableSpecs({ parseServerConfig, tableDefinitions }) as Json[]

/** Every statement of the inline policies of a role, and of the AWS::IAM::Policy resources attached to it. */
function statementsOf(roleId: string): Json[] {
  const inline = (hub.Resources[roleId].Properties.Policies as Json[]).flatMap(p => p.PolicyDocument.Statement)
  const attached = Object.values(hub.Resources as Json)
    .filter(r => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((x: Json) => x.Ref === roleId))
    .flatMap(r => r.Properties.PolicyDocument.Statement)
  return [...inline, ...attached]
}
const actionsOf = (s: Json) => [s.Action].flat() as string[]

describe('hub tables', () => {
  it('are exactly the tables of tableDefinitions(), regenerated (node scripts/deploy-template.mjs --write)', () => {
    const text = readFileSync(HUB_TEMPLATE, 'utf8')
    expect(withGeneratedTables(text, specs)).toBe(text)
  })

  it('include every table the configuration names', () => {
    const config = parseServerConfig({ tablePrefix: 'p-', store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
    const names = [...Object.values(config.tables), ...Object.values((config as Json).accessTables ?? {})] as string[]
    expect(specs.map(s => `p-${s.suffix}`).sort()).toEqual(names.sort())
  })

  it.each(specs.map(s => [s.key, s]))('%s: keys and indexes as the app creates them; on-demand, PITR, encrypted, kept on removal', (_key, spec) => {
    const table = hub.Resources[tableLogicalId(spec.key)]
    const def = spec.definition
    expect(table.Properties.TableName).toEqual({ 'Fn::Sub': `\${AWS::StackName}-${spec.suffix}` })
    expect(table.Properties.KeySchema).toEqual(def.KeySchema)
    expect(table.Properties.AttributeDefinitions).toEqual(def.AttributeDefinitions)
    expect(table.Properties.GlobalSecondaryIndexes ?? []).toEqual(def.GlobalSecondaryIndexes ?? [])
    expect(table.Properties.BillingMode).toBe('PAY_PER_REQUEST')
    expect(table.Properties.PointInTimeRecoverySpecification).toEqual({ PointInTimeRecoveryEnabled: true })
    // Encrypted always: with the AWS managed key, or KmsKeyArn (the stricter options below).
    expect(table.Properties.SSESpecification.SSEEnabled).toBe(true)
    expect(table.DeletionPolicy).toBe('Retain')
  })

  it('expire run logs through the expiresAt TTL attribute', () => {
    expect(hub.Resources.LogsTable.Properties.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true })
  })

  it('give the function DynamoDB access to its own tables and indexes only', () => {
    const dynamo = statementsOf('FunctionRole').filter(s => actionsOf(s).some(a => a.startsWith('dynamodb:')))
    const scoped = dynamo.filter(s => s.Resource !== '*')
    expect(scoped).toHaveLength(1)
    const expected = specs.flatMap(s => [
      { 'Fn::GetAtt': [tableLogicalId(s.key), 'Arn'] },
      { 'Fn::Sub': `\${${tableLogicalId(s.key)}.Arn}/index/*` },
    ])
    expect(scoped[0]!.Resource).toEqual(expected)
    // No Scan (the app pages with Query only) and nothing unscoped (the health check describes its own table).
    expect(actionsOf(scoped[0]!)).not.toContain('dynamodb:Scan')
    expect(dynamo.filter(s => s.Resource === '*')).toEqual([])
  })
})

describe('hub Lambda', () => {
  const fn = hub.Resources.Function.Properties

  it('runs the aws-lambda build on nodejs24.x, arm64, with memory and timeout parameters', () => {
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'], Handler: 'server/index.handler' })
    expect(fn.MemorySize).toEqual({ Ref: 'MemorySize' })
    expect(fn.Timeout).toEqual({ Ref: 'Timeout' })
    expect(hub.Parameters.MemorySize.Default).toBe(1024)
    expect(hub.Parameters.Timeout.Default).toBe(300)
  })

  it('wires every NUXT_* setting to the stack\'s resources', () => {
    const env = fn.Environment.Variables
    expect(env).toMatchObject({
      NUXT_STORE: 'dynamodb',
      NUXT_TABLE_PREFIX: { 'Fn::Sub': '${AWS::StackName}-' },
      NUXT_SCHEDULER: 'eventbridge',
      NUXT_SCHEDULER_GROUP: { Ref: 'ScheduleGroup' },
      NUXT_SCHEDULER_TARGET_ARN: { 'Fn::Sub': 'arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:${AWS::StackName}' },
      NUXT_SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] },
      NUXT_SCHEDULER_DLQ_ARN: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] },
      NUXT_MEMBER_ROLE_NAME: { Ref: 'MemberRoleName' },
      NUXT_EXTERNAL_ID: { Ref: 'ExternalId' },
      NUXT_ADMIN_API_KEY_SHA256: { Ref: 'AdminApiKeySha256' },
    })
    expect(fn.FunctionName).toEqual({ Ref: 'AWS::StackName' })
    // Only the key's hash is in the environment, which lambda:GetFunctionConfiguration shows in full.
    expect(fn.Environment.Variables.NUXT_ADMIN_API_KEY).toBeUndefined()
    expect(hub.Parameters.AdminApiKey).toBeUndefined()
    expect(hub.Parameters.AdminApiKeySha256.AllowedPattern).toBe('^[0-9a-f]{64}$')
  })

  it('grants "*" only to actions that have no resource-level permissions', () => {
    const wildcard = statementsOf('FunctionRole').filter(s => s.Resource === '*').flatMap(actionsOf).sort()
    expect(wildcard).toEqual(['autoscaling:DescribeAutoScalingGroups', 'ec2:DescribeInstances', 'pricing:GetProducts', 'rds:DescribeEvents', 'scheduler:ListSchedules'])
  })

  it('starts and stops instances of its own account, and grants KMS to EC2 only for AWS resources', () => {
    const statements = statementsOf('FunctionRole')
    const startStop = statements.find(s => actionsOf(s).includes('ec2:StopInstances'))!
    expect(actionsOf(startStop).sort()).toEqual(['ec2:StartInstances', 'ec2:StopInstances'])
    expect(startStop.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:ec2:*:${AWS::AccountId}:instance/*' })
    const kms = statements.find(s => actionsOf(s).includes('kms:CreateGrant'))!
    expect(kms.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } })
    expect(kms.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:kms:*:${AWS::AccountId}:key/*' })
  })

  it('assumes only the member role (and the organization role it is given), acts only on its schedule groups (the rules\' and the reverts\'), and passes only the Scheduler role', () => {
    const statements = statementsOf('FunctionRole')
    const assume = statements.filter(s => actionsOf(s).includes('sts:AssumeRole'))
    expect(assume).toEqual([
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::*:role/${MemberRoleName}' } },
      // The organization role, by its exact ARN, and only when the stack names one.
      { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: { Ref: 'OrganizationRoleArn' } },
    ])
    expect(hub.Resources.OrganizationRolePolicy.Condition).toBe('HasOrganizationRole')
    expect(hub.Conditions.HasOrganizationRole).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OrganizationRoleArn' }, ''] }] })
    const scheduler = statements.filter(s => actionsOf(s).some(a => a.startsWith('scheduler:')) && s.Resource !== '*')
    const resources = scheduler.flatMap(s => (Array.isArray(s.Resource) ? s.Resource : [s.Resource]))
    for (const r of resources) expect(r['Fn::Sub']).toMatch(/:schedule(-group)?\/\$\{AWS::StackName\}(-reverts)?(\/\*)?$/)
    expect(resources.map(r => r['Fn::Sub'])).toEqual(expect.arrayContaining([expect.stringContaining('schedule/${AWS::StackName}-reverts/*')]))
    const pass = statements.filter(s => actionsOf(s).includes('iam:PassRole'))
    expect(pass).toEqual([{
      Effect: 'Allow',
      Action: 'iam:PassRole',
      Resource: { 'Fn::GetAtt': ['SchedulerRole', 'Arn'] },
      Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
    }])
  })

  it('writes logs only to its own log group, which has a retention', () => {
    const logs = statementsOf('FunctionRole').filter(s => actionsOf(s).some(a => a.startsWith('logs:')))
    expect(logs).toEqual([{ Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': ['FunctionLogGroup', 'Arn'] } }])
    expect(hub.Resources.FunctionLogGroup.Properties.RetentionInDays).toEqual({ Ref: 'LogRetentionDays' })
    expect(fn.LoggingConfig.LogGroup).toEqual({ Ref: 'FunctionLogGroup' })
  })
})

describe('hub: no run is lost (read from the template: moto\'s CloudFormation has no AWS::Lambda::EventInvokeConfig)', () => {
  const r = hub.Resources

  it('sends an asynchronous invocation that failed every retry, or waited too long, to the dead-letter queue', () => {
    expect(r.FunctionEventInvokeConfig.Type).toBe('AWS::Lambda::EventInvokeConfig')
    expect(r.FunctionEventInvokeConfig.Properties).toEqual({
      FunctionName: { Ref: 'Function' },
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } } },
    })
  })

  it('lets the function write to that queue only', () => {
    const send = statementsOf('FunctionRole').filter(s => actionsOf(s).some(a => a.startsWith('sqs:')))
    expect(send).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] } }])
  })

  it('alarms when a message waits in the queue, and when Lambda could not even put it there', () => {
    expect(r.DeadLetterAlarm.Properties.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['DeadLetterQueue', 'QueueName'] } }])
    expect(r.DestinationFailureAlarm.Properties).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'DestinationDeliveryFailures',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: 'Function' } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    })
  })
})

describe('hub: a bounded blast radius, and the stricter options', () => {
  const r = hub.Resources
  const fn = r.Function.Properties

  it('reserves 20 executions by default, and none when the parameter is 0', () => {
    expect(hub.Parameters.ReservedConcurrency).toMatchObject({ Type: 'Number', Default: 20, MinValue: 0 })
    expect(fn.ReservedConcurrentExecutions).toEqual({ 'Fn::If': ['HasReservedConcurrency', { Ref: 'ReservedConcurrency' }, { Ref: 'AWS::NoValue' }] })
    expect(hub.Conditions.HasReservedConcurrency).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ReservedConcurrency' }, 0] }] })
  })

  it('encrypts the tables, the log group, the environment and the queue with KmsKeyArn when it is given', () => {
    const withKey = { 'Fn::If': ['HasKmsKey', { Ref: 'KmsKeyArn' }, { Ref: 'AWS::NoValue' }] }
    expect(hub.Parameters.KmsKeyArn.Default).toBe('')
    for (const s of specs) expect(r[tableLogicalId(s.key)].Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: { 'Fn::If': ['HasKmsKey', 'KMS', { Ref: 'AWS::NoValue' }] }, KMSMasterKeyId: withKey })
    expect(r.FunctionLogGroup.Properties.KmsKeyId).toEqual(withKey)
    expect(fn.KmsKeyArn).toEqual(withKey)
    expect(r.DeadLetterQueue.Properties.KmsMasterKeyId).toEqual(withKey)
    expect(r.DeadLetterQueue.Properties.SqsManagedSseEnabled).toEqual({ 'Fn::If': ['HasKmsKey', { Ref: 'AWS::NoValue' }, true] })
    for (const role of ['FunctionRole', 'SchedulerRole']) {
      const kms = statementsOf(role).filter(s => actionsOf(s).includes('kms:Decrypt'))
      expect(kms.map(s => s.Resource)).toEqual([{ Ref: 'KmsKeyArn' }])
    }
    expect(r.CustomerManagedKeyPolicy.Condition).toBe('HasKmsKey')
  })

  it.each([
    ['hub.yaml', HUB_TEMPLATE],
    ['artifacts.yaml', ARTIFACTS_TEMPLATE],
  ])('%s: every checkov check skipped says why', (_name, path) => {
    const skips = Object.values((loadTemplate(path) as Json).Resources as Json).flatMap(res => res.Metadata?.checkov?.skip ?? [])
    expect(skips.length).toBeGreaterThan(0)
    for (const skip of skips) {
      expect(skip.id).toMatch(/^CKV_AWS_\d+$/)
      expect(skip.comment.length).toBeGreaterThan(40)
    }
  })

  it('keeps S3 access logs of the artifacts bucket when AccessLogsBucket is given', () => {
    const artifacts = loadTemplate(ARTIFACTS_TEMPLATE) as Json
    expect(artifacts.Parameters.AccessLogsBucket.Default).toBe('')
    expect(artifacts.Resources.ArtifactsBucket.Properties.LoggingConfiguration['Fn::If'][0]).toBe('HasAccessLogsBucket')
  })
})

describe('member-account role', () => {
  const role = member.Resources.MemberRole.Properties

  it('trusts only the hub Lambda role, and only with the ExternalId', () => {
    expect(role.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { AWS: { Ref: 'HubRoleArn' } },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': { Ref: 'ExternalId' } } },
    }])
  })

  it('may describe, start and stop instances, and create KMS grants for AWS resources only', () => {
    const statements = role.Policies.find((p: Json) => p.PolicyName === 'ouroboros-ec2').PolicyDocument.Statement
    expect(statements.flatMap(actionsOf).sort()).toEqual(['ec2:DescribeInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'kms:CreateGrant'])
    expect(statements.find((s: Json) => actionsOf(s).includes('kms:CreateGrant')).Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } })
  })

  it('grants each resource type the actions it needs and no more, tags on groups only under the managed keys', () => {
    const statements = role.Policies.flatMap((p: Json) => p.PolicyDocument.Statement)
    expect(statements.flatMap(actionsOf).sort()).toEqual(Object.values(TYPE_PERMISSIONS).flat().sort())
    const tags = statements.find((s: Json) => actionsOf(s).includes('autoscaling:CreateOrUpdateTags'))
    expect(tags.Condition).toEqual({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['ouroboros:*'] } })
    expect(tags.Resource).toEqual({ 'Fn::Sub': 'arn:${AWS::Partition}:autoscaling:*:${AWS::AccountId}:autoScalingGroup:*:autoScalingGroupName/*' })
    const stops = statements.filter((s: Json) => actionsOf(s).some((a: string) => /^rds:(Stop|Start)/.test(a)))
    expect(stops.map((s: Json) => s.Resource['Fn::Sub']).sort()).toEqual(['arn:${AWS::Partition}:rds:*:${AWS::AccountId}:cluster:*', 'arn:${AWS::Partition}:rds:*:${AWS::AccountId}:db:*'])
  })

  it('is the same template the UI hands out (GET /api/setup/member-role)', () => {
    const ui = memberRoleTemplate() as Json
    expect(ui.Parameters).toEqual(Object.fromEntries(Object.entries(member.Parameters as Json).map(([k, v]) => [k, { Type: v.Type, ...Object.fromEntries(Object.entries(v).filter(([p]) => ['Default', 'MinLength', 'MaxLength', 'AllowedPattern'].includes(p))) }])))
    const { Description: _a, ...uiRole } = ui.Resources.MemberRole.Properties
    const { Description: _b, ...fileRole } = role
    expect(uiRole).toEqual(fileRole)
  })

  it('scopes every start and stop to the managed-by tag when its parameter is set, through each service\'s own condition key, and the UI hands out the same', () => {
    expect(member.Conditions.ScopedByManagedByTag).toEqual({ 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'ManagedByTagKey' }, ''] }] })
    expect(member.Parameters.ManagedByTagKey.Default).toBe('')
    const file = member.Resources.ManagedByTagScope
    const ui = (memberRoleTemplate() as Json).Resources.ManagedByTagScope
    const [text, values] = file.Properties.PolicyDocument['Fn::Sub']
    expect(JSON.parse(text)).toEqual(JSON.parse(ui.Properties.PolicyDocument['Fn::Sub'][0]))
    expect({ ...file, Properties: { ...file.Properties, PolicyDocument: values } }).toEqual({ ...ui, Properties: { ...ui.Properties, PolicyDocument: ui.Properties.PolicyDocument['Fn::Sub'][1] } })
    const policy = managedByTagPolicy('managed-by', 'ouroboros')
    expect(Object.fromEntries(policy.Statement.map(st => [Object.keys(st.Condition.StringNotLike)[0], st.Action]))).toEqual({
      'aws:ResourceTag/managed-by': ['ec2:StartInstances', 'ec2:StopInstances'],
      'rds:db-tag/managed-by': ['rds:StartDBInstance', 'rds:StopDBInstance'],
      'rds:cluster-tag/managed-by': ['rds:StartDBCluster', 'rds:StopDBCluster'],
      'autoscaling:ResourceTag/managed-by': ['autoscaling:UpdateAutoScalingGroup', 'autoscaling:CreateOrUpdateTags', 'autoscaling:DeleteTags'],
    })
    expect(policy.Statement.every(st => st.Effect === 'Deny')).toBe(true)
  })

  it('answers an account\'s exact commands, with the hub role and ExternalId filled in', () => {
    const setup = memberRoleSetup({
      accountId: '444455556666',
      hubRoleArn: 'arn:aws:iam::111122223333:role/ouroboros-FunctionRole-ABC',
      externalId: 'ouroboros-abc',
      roleName: 'OuroborosSchedulerMember',
      region: 'eu-west-1',
    })
    expect(setup.ready).toBe(true)
    expect(setup.roleArn).toBe('arn:aws:iam::444455556666:role/OuroborosSchedulerMember')
    expect(setup.commands.cloudformation).toContain('HubRoleArn=arn:aws:iam::111122223333:role/ouroboros-FunctionRole-ABC ExternalId=ouroboros-abc RoleName=OuroborosSchedulerMember')
    const policy = JSON.parse(setup.commands.iam[1]!.match(/--policy-document '(.*)'$/)![1]!)
    expect(policy).toEqual(memberPermissionsPolicy('444455556666', 'aws'))
    expect(JSON.parse(setup.template)).toEqual(memberRoleTemplate())
  })

  it('is not ready, and says what to fill in, while the hub role or the ExternalId is unknown', () => {
    const base = { accountId: '444455556666', roleName: 'OuroborosSchedulerMember', region: 'eu-west-1' }
    const noExternalId = memberRoleSetup({ ...base, hubRoleArn: 'arn:aws:iam::111122223333:role/hub', externalId: null })
    expect(noExternalId.ready).toBe(false)
    expect(noExternalId.commands.cloudformation).toContain('ExternalId=<ExternalId: the ExternalId output of the hub stack>')
    const noHub = memberRoleSetup({ ...base, hubRoleArn: null, externalId: 'ouroboros-abc' })
    expect(noHub.ready).toBe(false)
    expect(noHub.commands.iam[0]).toContain('<hub Lambda role ARN')
  })
})
