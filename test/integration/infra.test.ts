// infra/hub.yaml and infra/member-account.yaml deployed into moto's CloudFormation, then read back.
//
// How each hub resource is checked:
// - created by moto's CloudFormation and read back through the service APIs: every DynamoDB table (keys, indexes,
//   projections, on-demand billing, encryption), FunctionRole with its inline policies and TablesPolicy, SchedulerRole,
//   the Lambda (runtime, architecture, handler, memory, timeout, role, and each NUXT_* variable resolved to the other
//   resources), its two Function URL permissions, its log group's retention, and the dead-letter queue.
// - read from the template, because moto's CloudFormation has no such type (the moto variant removes them, see
//   motoVariant in scripts/deploy-template.mjs): ScheduleGroup, RevertScheduleGroup, ReconcileScheduleResource (the daily reconcile),
//   FunctionUrl, DeadLetterAlarm, DestinationFailureAlarm, FunctionEventInvokeConfig (its properties are put through
//   moto's Lambda API below, which has the operation though its CloudFormation lacks the type); and the properties moto's CloudFormation ignores: the tables'
//   TimeToLiveSpecification, PointInTimeRecoverySpecification and SSESpecification, and the function's
//   Architectures (test/unit/infra-template.test.ts checks those).
// AlarmTopic is conditional on an alarm e-mail and is not created here.
import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HUB_TEMPLATE, loadTemplate, MEMBER_TEMPLATE, motoVariant, tableSpecs } from '../../scripts/deploy-template.mjs'
import { zipEntries } from '../../scripts/deploy-zip.mjs'
import { parseServerConfig } from '../../server/utils/config'
import { tableDefinitions } from '../../server/utils/tables'

type Json = Record<string, any> // eslint-disable-line @typescript-eslint/no-explicit-any

const ACCOUNT = '123456789012'
const REGION = 'us-east-1'
// The resource types of infra/hub.yaml that moto 5's CloudFormation creates.
const MOTO_TYPES = new Set([
  'AWS::DynamoDB::Table', 'AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::Lambda::Function', 'AWS::Lambda::Permission',
  'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::SNS::Topic',
])
const READ_ONLY = ['DeadLetterAlarm', 'DestinationFailureAlarm', 'FunctionEventInvokeConfig', 'FunctionUrl', 'ReconcileScheduleResource', 'ResumeScheduleResource', 'RevertScheduleGroup', 'ScheduleGroup']

/** boto3 in .venv (moto's own dependency), one call per line: the Node SDK here has no CloudFormation client. */
class Boto {
  private proc: ChildProcessWithoutNullStreams
  private waiting: ((line: string) => void)[] = []
  private stderr = ''
  constructor() {
    this.proc = spawn(resolve('.venv/bin/python'), [resolve('test/integration/infra-boto.py')], { env: { ...process.env, AWS_REGION: REGION } })
    createInterface({ input: this.proc.stdout }).on('line', line => this.waiting.shift()?.(line))
    this.proc.stderr.on('data', (d) => {
      this.stderr = (this.stderr + d).slice(-2000)
    })
  }

  async call(service: string, op: string, params: Json = {}): Promise<Json> {
    const line = await new Promise<string>((ok, ko) => {
      this.waiting.push(ok)
      this.proc.stdin.write(`${JSON.stringify({ service, op, params })}\n`, e => e && ko(e))
      this.proc.once('exit', () => ko(new Error(`the boto3 worker exited: ${this.stderr}`)))
    })
    const answer = JSON.parse(line)
    if (answer.error) throw new Error(`${service}.${op}: ${answer.error}`)
    return answer.ok
  }

  close() {
    this.proc.stdin.end()
  }
}

async function createStack(boto: Boto, name: string, template: Json, parameters: Record<string, string>, capability: string) {
  await boto.call('cloudformation', 'create_stack', {
    StackName: name,
    TemplateBody: JSON.stringify(template),
    Parameters: Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue })),
    Capabilities: [capability],
  })
  for (let i = 0; i < 150; i++) {
    const { Stacks: [stack] } = await boto.call('cloudformation', 'describe_stacks', { StackName: name })
    if (!stack.StackStatus.endsWith('_IN_PROGRESS')) {
      if (stack.StackStatus !== 'CREATE_COMPLETE') {
        const { StackEvents } = await boto.call('cloudformation', 'describe_stack_events', { StackName: name })
        throw new Error(`${name}: ${stack.StackStatus}: ${StackEvents.map((e: Json) => `${e.LogicalResourceId} ${e.ResourceStatus} ${e.ResourceStatusReason ?? ''}`).join('; ')}`)
      }
      const { StackResourceSummaries } = await boto.call('cloudformation', 'list_stack_resources', { StackName: name })
      // moto lists Lambda permissions once more without a logical id: skip that entry.
      const physical = Object.fromEntries(StackResourceSummaries.filter((r: Json) => r.LogicalResourceId).map((r: Json) => [r.LogicalResourceId, r.PhysicalResourceId]))
      const outputs = Object.fromEntries((stack.Outputs ?? []).map((o: Json) => [o.OutputKey, o.OutputValue]))
      return { physical, outputs }
    }
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error(`${name} did not finish creating`)
}

/** An inline policy's document (infra-boto.py decodes moto's text form of it). */
async function rolePolicy(boto: Boto, roleName: string, policyName: string): Promise<Json> {
  const { PolicyDocument } = await boto.call('iam', 'get_role_policy', { RoleName: roleName, PolicyName: policyName })
  return PolicyDocument
}

const hub = loadTemplate(HUB_TEMPLATE) as Json
const specs = tableSpecs({ parseServerConfig, tableDefinitions }) as Json[]
const byName = (a: Json, b: Json) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)

describe('infra/hub.yaml in moto\'s CloudFormation', () => {
  const stack = `it${randomBytes(4).toString('hex')}`
  const bucket = `${stack}-code`
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-infra-'))
  const params = {
    CodeBucket: bucket,
    CodeKey: 'code.zip',
    AdminApiKeySha256: randomBytes(32).toString('hex'),
    ExternalId: `ouroboros-${randomBytes(6).toString('hex')}`,
  }
  let boto: Boto
  let created: { physical: Record<string, string>, outputs: Record<string, string> }
  let removed: string[]
  const memberStack = `${stack}-member`
  const memberRole = `OuroborosSchedulerMember-${stack}`

  beforeAll(async () => {
    boto = new Boto()
    const zip = join(dir, 'code.zip')
    writeFileSync(zip, zipEntries([{ name: 'server/index.mjs', data: Buffer.from('export const handler = async () => ({ statusCode: 200 })\n') }]))
    await boto.call('s3', 'create_bucket', { Bucket: bucket })
    await boto.call('s3', 'put_object', { Bucket: bucket, Key: 'code.zip', Body: { $file: zip } })
    const variant = motoVariant(hub, MOTO_TYPES)
    removed = variant.removed
    created = await createStack(boto, stack, variant.template, params, 'CAPABILITY_IAM')
  })

  afterAll(async () => {
    for (const name of [memberStack, stack]) await boto.call('cloudformation', 'delete_stack', { StackName: name }).catch(() => {})
    // The tables are kept on removal (DeletionPolicy: Retain): delete them as a reader would.
    for (const s of specs) await boto.call('dynamodb', 'delete_table', { TableName: `${stack}-${s.suffix}` }).catch(() => {})
    await boto.call('s3', 'delete_object', { Bucket: bucket, Key: 'code.zip' }).catch(() => {})
    await boto.call('s3', 'delete_bucket', { Bucket: bucket }).catch(() => {})
    boto.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('creates every resource moto supports, and leaves out only the ones checked by reading', () => {
    expect(removed.sort()).toEqual(READ_ONLY)
    const expected = Object.entries(hub.Resources as Json)
      .filter(([id, r]) => MOTO_TYPES.has(r.Type) && !r.Condition && !READ_ONLY.includes(id))
      .map(([id]) => id)
      .sort()
    expect(Object.keys(created.physical).sort()).toEqual(expected)
  })

  it.each(specs.map(s => [s.key, s]))('creates the %s table with the app\'s keys and indexes, on demand', async (_key, spec) => {
    const { Table } = await boto.call('dynamodb', 'describe_table', { TableName: `${stack}-${spec.suffix}` })
    const def = spec.definition
    expect(Table.KeySchema).toEqual(def.KeySchema)
    expect([...Table.AttributeDefinitions].sort(byName)).toEqual([...def.AttributeDefinitions].sort(byName))
    const indexes = (Table.GlobalSecondaryIndexes ?? []).map((i: Json) => ({ IndexName: i.IndexName, KeySchema: i.KeySchema, Projection: i.Projection }))
    expect(indexes.sort(byName)).toEqual([...(def.GlobalSecondaryIndexes ?? [])].sort(byName))
    expect(Table.BillingModeSummary.BillingMode).toBe('PAY_PER_REQUEST')
    expect(created.outputs[`${spec.key[0].toUpperCase()}${spec.key.slice(1)}TableName`]).toBe(`${stack}-${spec.suffix}`)
  })

  it('creates the Lambda on nodejs24.x with every NUXT_* variable wired to the stack\'s resources', async () => {
    const { Configuration: fn } = await boto.call('lambda', 'get_function', { FunctionName: stack })
    const role = await boto.call('iam', 'get_role', { RoleName: created.physical.FunctionRole })
    const schedulerRole = await boto.call('iam', 'get_role', { RoleName: created.physical.SchedulerRole })
    const queue = await boto.call('sqs', 'get_queue_attributes', { QueueUrl: created.physical.DeadLetterQueue, AttributeNames: ['All'] })
    expect(fn).toMatchObject({ Runtime: 'nodejs24.x', Handler: 'server/index.handler', MemorySize: 1024, Timeout: 300, Role: role.Role.Arn })
    // Values as strings: moto keeps a number parameter as a number, Lambda answers every variable as text.
    expect(Object.fromEntries(Object.entries(fn.Environment.Variables).map(([k, v]) => [k, String(v)]))).toEqual({
      NUXT_STORE: 'dynamodb',
      NUXT_TABLE_PREFIX: `${stack}-`,
      NUXT_ADMIN_API_KEY_SHA256: params.AdminApiKeySha256,
      NUXT_SCHEDULER: 'eventbridge',
      // The schedule group is not a moto type: this placeholder stands for `!Ref ScheduleGroup`, read below.
      NUXT_SCHEDULER_GROUP: 'removed:ScheduleGroup',
      NUXT_SCHEDULER_TARGET_ARN: fn.FunctionArn,
      NUXT_SCHEDULER_ROLE_ARN: schedulerRole.Role.Arn,
      NUXT_SCHEDULER_DLQ_ARN: queue.Attributes.QueueArn,
      NUXT_MEMBER_ROLE_NAME: 'OuroborosSchedulerMember',
      NUXT_EXTERNAL_ID: params.ExternalId,
      // Empty by default: rules name accounts only (the stack's OrganizationRoleArn parameter).
      NUXT_ORGANIZATION_ROLE_ARN: '',
      NUXT_LOG_RETENTION_DAYS: '90',
      NUXT_HUB_ROLE_ARN: role.Role.Arn,
    })
    expect(created.outputs.LambdaRoleArn).toBe(role.Role.Arn)
    expect(created.outputs.MemberRoleCommand).toContain(`HubRoleArn=${role.Role.Arn} ExternalId=${params.ExternalId}`)
  })

  it('lets anyone call the function through its URL, and nothing else', async () => {
    const { Policy } = await boto.call('lambda', 'get_policy', { FunctionName: stack })
    const statements = JSON.parse(Policy).Statement.map((s: Json) => ({ action: s.Action, principal: s.Principal }))
    expect(statements.map((s: Json) => s.action).sort()).toEqual(['lambda:InvokeFunction', 'lambda:InvokeFunctionUrl'])
  })

  it('gives the Lambda role the least-privilege policies of the template, resolved for this stack', async () => {
    const roleName = created.physical.FunctionRole!
    const role = await boto.call('iam', 'get_role', { RoleName: roleName })
    expect(role.Role.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'lambda.amazonaws.com' })
    const { PolicyNames } = await boto.call('iam', 'list_role_policies', { RoleName: roleName })
    // customer-managed-key is there only with the KmsKeyArn parameter.
    expect(PolicyNames.sort()).toEqual(['assume-member-role', 'dynamodb-own-tables', 'ec2-own-account', 'fan-out', 'logs', 'on-failure-destination', 'price-list', 'rds-asg-own-account', 'scheduler-own-group'])
    const policy = async (name: string) => (await rolePolicy(boto, roleName, name)).Statement as Json[]
    // A run over many accounts invokes this function, and only this one, for its chunks (issue 15).
    const { Configuration: fn } = await boto.call('lambda', 'get_function', { FunctionName: stack })
    expect(await policy('fan-out')).toEqual([{ Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn.FunctionArn }])

    expect(await policy('assume-member-role')).toEqual([{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::*:role/OuroborosSchedulerMember' }])
    const scheduler = await policy('scheduler-own-group')
    // The rules' group, and the reverts' one-time schedules in a group of their own.
    expect(scheduler[0]!.Resource).toEqual([`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${stack}/*`, `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${stack}-reverts/*`])
    expect(scheduler[1]!.Resource).toEqual([`arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${stack}`, `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${stack}-reverts`])
    const schedulerRole = await boto.call('iam', 'get_role', { RoleName: created.physical.SchedulerRole })
    expect(scheduler.find(s => s.Action === 'iam:PassRole')!.Resource).toBe(schedulerRole.Role.Arn)
    const ec2 = await policy('ec2-own-account')
    expect(ec2.find(s => [s.Action].flat().includes('ec2:StopInstances'))!.Resource).toBe(`arn:aws:ec2:*:${ACCOUNT}:instance/*`)
    expect(ec2.find(s => s.Action === 'kms:CreateGrant')!.Condition).toEqual({ Bool: { 'kms:GrantIsForAWSResource': 'true' } })
    // Databases and Auto Scaling groups of its own account (issue 16), tags on a group only under the managed keys.
    const others = await policy('rds-asg-own-account')
    expect(others.find(s => [s.Action].flat().includes('rds:StopDBInstance'))!.Resource).toBe(`arn:aws:rds:*:${ACCOUNT}:db:*`)
    expect(others.find(s => [s.Action].flat().includes('autoscaling:CreateOrUpdateTags'))!.Condition).toEqual({ 'ForAllValues:StringLike': { 'aws:TagKeys': ['ouroboros:*'] } })

    const tableArns = await Promise.all(specs.map(async s => (await boto.call('dynamodb', 'describe_table', { TableName: `${stack}-${s.suffix}` })).Table.TableArn as string))
    const dynamo = await policy('dynamodb-own-tables')
    expect(dynamo[0]!.Resource).toEqual(tableArns.flatMap(arn => [arn, `${arn}/index/*`]))

    const [logs] = await policy('logs')
    const { logGroups } = await boto.call('logs', 'describe_log_groups', { logGroupNamePrefix: `/aws/lambda/${stack}` })
    expect(logGroups).toHaveLength(1)
    expect(logGroups[0].retentionInDays).toBe(30)
    // AWS answers the group's Arn with ':*' (every stream in it), moto without: compare the group part.
    const group = (arn: string) => arn.replace(/:\*$/, '')
    expect(group(logs!.Resource)).toBe(group(logGroups[0].arn))
  })

  it('lets Scheduler, from this account only, invoke only this function and write only to the dead-letter queue', async () => {
    const roleName = created.physical.SchedulerRole!
    const role = await boto.call('iam', 'get_role', { RoleName: roleName })
    const trust = role.Role.AssumeRolePolicyDocument.Statement[0]
    expect(trust.Principal).toEqual({ Service: 'scheduler.amazonaws.com' })
    expect(trust.Condition.StringEquals).toEqual({ 'aws:SourceAccount': ACCOUNT })
    const PolicyDocument = await rolePolicy(boto, roleName, 'invoke-ouroboros')
    const { Configuration: fn } = await boto.call('lambda', 'get_function', { FunctionName: stack })
    const queue = await boto.call('sqs', 'get_queue_attributes', { QueueUrl: created.physical.DeadLetterQueue, AttributeNames: ['All'] })
    expect(PolicyDocument.Statement).toEqual([
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: fn.FunctionArn },
      { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue.Attributes.QueueArn },
    ])
    // A standard queue: Scheduler refuses FIFO dead-letter queues.
    expect(queue.Attributes.FifoQueue).toBeUndefined()
    expect(queue.Attributes.MessageRetentionPeriod).toBe('1209600')
  })

  it('reserves the default concurrency for the function', async () => {
    const { Concurrency } = await boto.call('lambda', 'get_function', { FunctionName: stack })
    expect(Concurrency).toEqual({ ReservedConcurrentExecutions: 20 })
  })

  it('sends failed asynchronous runs to the dead-letter queue, which the function may write to', async () => {
    // moto's CloudFormation has no AWS::Lambda::EventInvokeConfig: its properties go through moto's Lambda API instead,
    // resolved for this stack, and are read back.
    const queue = await boto.call('sqs', 'get_queue_attributes', { QueueUrl: created.physical.DeadLetterQueue, AttributeNames: ['QueueArn'] })
    const { Properties: p } = hub.Resources.FunctionEventInvokeConfig
    await boto.call('lambda', 'put_function_event_invoke_config', {
      FunctionName: stack,
      Qualifier: p.Qualifier,
      MaximumRetryAttempts: p.MaximumRetryAttempts,
      MaximumEventAgeInSeconds: p.MaximumEventAgeInSeconds,
      DestinationConfig: { OnFailure: { Destination: queue.Attributes.QueueArn } },
    })
    const config = await boto.call('lambda', 'get_function_event_invoke_config', { FunctionName: stack, Qualifier: '$LATEST' })
    expect(config).toMatchObject({ MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600, DestinationConfig: { OnFailure: { Destination: queue.Attributes.QueueArn } } })
    const send = await rolePolicy(boto, created.physical.FunctionRole!, 'on-failure-destination')
    expect(send.Statement).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue.Attributes.QueueArn }])
  })

  it('creates the member-account role, trusting the hub role with the ExternalId', async () => {
    const hubRoleArn = created.outputs.LambdaRoleArn!
    const member = await createStack(boto, memberStack, loadTemplate(MEMBER_TEMPLATE), { HubRoleArn: hubRoleArn, ExternalId: params.ExternalId, RoleName: memberRole }, 'CAPABILITY_NAMED_IAM')
    const role = await boto.call('iam', 'get_role', { RoleName: memberRole })
    expect(member.outputs.RoleArn).toBe(role.Role.Arn)
    expect(role.Role.AssumeRolePolicyDocument.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { AWS: hubRoleArn },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': params.ExternalId } },
    }])
    const PolicyDocument = await rolePolicy(boto, memberRole, 'ouroboros-ec2')
    expect(PolicyDocument.Statement.flatMap((s: Json) => [s.Action].flat()).sort()).toEqual(['ec2:DescribeInstances', 'ec2:StartInstances', 'ec2:StopInstances', 'kms:CreateGrant'])
  })
})

describe('infra/hub.yaml: the resources moto cannot create, read from the template', () => {
  const r = hub.Resources

  it('declares the app\'s schedule group, named after the stack, as NUXT_SCHEDULER_GROUP says', () => {
    expect(r.ScheduleGroup).toEqual({ Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: { Ref: 'AWS::StackName' } } })
    expect(r.Function.Properties.Environment.Variables.NUXT_SCHEDULER_GROUP).toEqual({ Ref: 'ScheduleGroup' })
  })

  it('reconciles daily through the Scheduler role, with retries and the dead-letter queue, outside the app\'s group', () => {
    const s = r.ReconcileScheduleResource.Properties
    expect(JSON.parse(s.Target.Input)).toEqual({ kind: 'ouroboros.reconcile' })
    expect(s.Target.Arn).toEqual({ 'Fn::GetAtt': ['Function', 'Arn'] })
    expect(s.Target.RoleArn).toEqual({ 'Fn::GetAtt': ['SchedulerRole', 'Arn'] })
    expect(s.Target.DeadLetterConfig.Arn).toEqual({ 'Fn::GetAtt': ['DeadLetterQueue', 'Arn'] })
    expect(s.ScheduleExpression).toEqual({ Ref: 'ReconcileSchedule' })
    expect(hub.Parameters.ReconcileSchedule.Default).toMatch(/^cron\(\d+ \d+ \* \* \? \*\)$/)
    // The reconciler deletes every schedule of its own group that no rule owns: this one must live elsewhere.
    expect(s.GroupName).toBe('default')
    const trustArns = r.SchedulerRole.Properties.AssumeRolePolicyDocument.Statement[0].Condition.ArnLike['aws:SourceArn']
    expect(trustArns.map((a: Json) => a['Fn::Sub'].split(':schedule-group/')[1])).toEqual(['${AWS::StackName}', '${AWS::StackName}-reverts', 'default'])
  })

  it('sweeps interrupted runs every 5 minutes through the Scheduler role, outside the app\'s group', () => {
    const s = r.ResumeScheduleResource.Properties
    expect(JSON.parse(s.Target.Input)).toEqual({ kind: 'ouroboros.resume' })
    expect(s.Target.Arn).toEqual({ 'Fn::GetAtt': ['Function', 'Arn'] })
    expect(s.Target.RoleArn).toEqual({ 'Fn::GetAtt': ['SchedulerRole', 'Arn'] })
    expect(s.ScheduleExpression).toBe('rate(5 minutes)')
    expect(s.GroupName).toBe('default')
  })

  it('declares the reverts\' group apart from the app\'s, named as the app derives it (NUXT_SCHEDULER_GROUP-reverts)', () => {
    expect(r.RevertScheduleGroup).toEqual({ Type: 'AWS::Scheduler::ScheduleGroup', Properties: { Name: { 'Fn::Sub': '${AWS::StackName}-reverts' } } })
  })

  it('serves the function at a public Function URL with both permissions it needs', () => {
    expect(r.FunctionUrl.Properties).toEqual({ TargetFunctionArn: { 'Fn::GetAtt': ['Function', 'Arn'] }, AuthType: 'NONE', InvokeMode: 'BUFFERED' })
    expect(r.FunctionUrlPermission.Properties).toMatchObject({ Action: 'lambda:InvokeFunctionUrl', Principal: '*', FunctionUrlAuthType: 'NONE' })
    expect(r.FunctionUrlInvokePermission.Properties).toMatchObject({ Action: 'lambda:InvokeFunction', Principal: '*', InvokedViaFunctionUrl: true })
    expect(hub.Outputs.Url.Value).toEqual({ 'Fn::GetAtt': ['FunctionUrl', 'FunctionUrl'] })
  })

  it('alarms as soon as one message waits in the dead-letter queue', () => {
    const a = r.DeadLetterAlarm.Properties
    expect(a).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
    })
    expect(a.Dimensions).toEqual([{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['DeadLetterQueue', 'QueueName'] } }])
    expect(r.DeadLetterQueue.Properties.FifoQueue).toBeUndefined()
  })
})
