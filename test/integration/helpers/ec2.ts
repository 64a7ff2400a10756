// EC2 and STS in moto for the executor tests: clients per account (AssumeRole switches moto's account),
// seeding instances, reading their states, and hooks that watch or disturb a client's calls.
import { randomInt } from 'node:crypto'
import {
  CreateSubnetCommand,
  CreateVpcCommand,
  DescribeInstancesCommand,
  EC2Client,
  RunInstancesCommand,
  StopInstancesCommand,
} from '@aws-sdk/client-ec2'
import type { Instance } from '@aws-sdk/client-ec2'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentials } from '../../../server/utils/aws/credentials'

/** The account moto gives to the dummy credentials the test runner sets: the app's own account. */
export const OWN_ACCOUNT = '123456789012'
export const MEMBER_ROLE = 'OuroborosSchedulerMember'

export function motoEndpoint(): string {
  const endpoint = process.env.MOTO_ENDPOINT
  if (!endpoint) throw new Error('MOTO_ENDPOINT is not set: run the integration tests through scripts/with-moto.mjs')
  return endpoint
}

/** A fresh 12-digit account id: moto creates an empty EC2 world for it on first use. */
export function newAccountId(): string {
  let id: string
  do id = String(randomInt(100_000_000_000, 999_999_999_999))
  while (id === OWN_ACCOUNT)
  return id
}

/** A unique tag value, so a test sees only its own instances in a shared account. */
export function uniqueValue(prefix = 't'): string {
  return `${prefix}-${Date.now().toString(36)}-${randomInt(1e9).toString(36)}`
}

export function motoSts(region = 'us-east-1'): STSClient {
  return new STSClient({ region, endpoint: motoEndpoint() })
}

export function motoEc2(region: string, credentials?: AwsCredentials): EC2Client {
  return new EC2Client({ region, endpoint: motoEndpoint(), credentials })
}

/** Credentials moto maps to `accountId` (through AssumeRole), or none for the own account. */
export async function credentialsFor(accountId: string): Promise<AwsCredentials | undefined> {
  if (accountId === OWN_ACCOUNT) return undefined
  const out = await motoSts().send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`,
    RoleSessionName: 'ouroboros-test-seed',
  }))
  const c = out.Credentials!
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }
}

/** An EC2 client that acts as `accountId` in moto. */
export async function ec2For(accountId: string, region: string): Promise<EC2Client> {
  return motoEc2(region, await credentialsFor(accountId))
}

export interface SeedOptions {
  count?: number
  tags?: Record<string, string>
  instanceType?: string
  subnetId?: string
  privateIpAddress?: string
  availabilityZone?: string
  /** Stop them right after launch (moto's state changes are instant). */
  stopped?: boolean
}

/** Launches instances and answers their ids. */
export async function seedInstances(ec2: EC2Client, options: SeedOptions = {}): Promise<string[]> {
  const count = options.count ?? 1
  const tags = Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))
  const out = await ec2.send(new RunInstancesCommand({
    ImageId: 'ami-12345678',
    MinCount: count,
    MaxCount: count,
    InstanceType: (options.instanceType ?? 't3.micro') as never,
    ...(options.subnetId ? { SubnetId: options.subnetId } : {}),
    ...(options.privateIpAddress ? { PrivateIpAddress: options.privateIpAddress } : {}),
    ...(options.availabilityZone ? { Placement: { AvailabilityZone: options.availabilityZone } } : {}),
    ...(tags.length ? { TagSpecifications: [{ ResourceType: 'instance', Tags: tags }] } : {}),
  }))
  const ids = (out.Instances ?? []).map(i => i.InstanceId!)
  if (options.stopped) await ec2.send(new StopInstancesCommand({ InstanceIds: ids }))
  return ids
}

/** A new VPC with one subnet in `availabilityZone`. */
export async function createSubnet(ec2: EC2Client, availabilityZone: string): Promise<{ vpcId: string, subnetId: string }> {
  const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.0.0.0/16' }))
  const vpcId = vpc.Vpc!.VpcId!
  const subnet = await ec2.send(new CreateSubnetCommand({ VpcId: vpcId, CidrBlock: '10.0.1.0/24', AvailabilityZone: availabilityZone }))
  return { vpcId, subnetId: subnet.Subnet!.SubnetId! }
}

/** The state of each instance, as moto has it now. */
export async function statesOf(ec2: EC2Client, ids: string[]): Promise<Record<string, string>> {
  const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))
  const instances: Instance[] = (out.Reservations ?? []).flatMap(r => r.Instances ?? [])
  return Object.fromEntries(instances.map(i => [i.InstanceId!, i.State!.Name!]))
}

/** A call a hook sees: the operation's name (e.g. StopInstancesCommand) and its input. */
export interface SeenCall {
  command: string
  input: Record<string, unknown>
}

/**
 * Runs `hook` before every call the client sends, ahead of the SDK's own retries: what it throws is
 * what the caller gets, and what it returns (if anything) replaces the answer's output.
 */
export function hookCalls<C extends EC2Client | STSClient>(
  client: C,
  hook: (call: SeenCall, send: () => Promise<Record<string, unknown>>) => Promise<Record<string, unknown>>,
): C {
  // The two clients' stacks differ only in their input and output types: one signature serves both.
  const stack = client.middlewareStack as EC2Client['middlewareStack']
  stack.add(
    (next, context) => async (args) => {
      const call = { command: String(context.commandName), input: args.input as Record<string, unknown> }
      let result: Awaited<ReturnType<typeof next>> | undefined
      const output = await hook(call, async () => {
        result = await next(args)
        return result.output as unknown as Record<string, unknown>
      })
      return { ...(result ?? { response: {} }), output } as unknown as Awaited<ReturnType<typeof next>>
    },
    { step: 'initialize', name: `testHook${randomInt(1e9)}` },
  )
  return client
}

/** Records every call the client sends into `calls`. */
export function recordCalls<C extends EC2Client | STSClient>(client: C, calls: SeenCall[]): C {
  return hookCalls(client, async (call, send) => {
    calls.push(call)
    return send()
  })
}

/** An error shaped as the SDK shapes an AWS error answer. */
export function awsError(code: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), { name: code, Code: code, $fault: 'client', $metadata: { httpStatusCode: status } })
}
