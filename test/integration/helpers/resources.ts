// RDS instances, Aurora clusters and Auto Scaling groups in moto for the executor tests (issue 16): clients per account,
// and seeding each kind with tags.
import { CreateAutoScalingGroupCommand, AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2'
import { CreateDBClusterCommand, CreateDBInstanceCommand, CreateDBInstanceReadReplicaCommand, DescribeDBClustersCommand, DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds'
import type { AwsCredentials } from '../../../server/utils/aws/credentials'
import { credentialsFor, ec2For, motoEndpoint, uniqueValue } from './ec2'

export const motoRds = (region: string, credentials?: AwsCredentials) => new RDSClient({ region, endpoint: motoEndpoint(), credentials })
export const motoAutoScaling = (region: string, credentials?: AwsCredentials) => new AutoScalingClient({ region, endpoint: motoEndpoint(), credentials })

export const rdsFor = async (accountId: string, region: string) => motoRds(region, await credentialsFor(accountId))
export const autoScalingFor = async (accountId: string, region: string) => motoAutoScaling(region, await credentialsFor(accountId))

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))

/** A PostgreSQL DB instance, available; answers its identifier. */
export async function seedDbInstance(rds: RDSClient, tags: Record<string, string>, extra: { cluster?: string, engine?: string } = {}): Promise<string> {
  const id = uniqueValue('db').replace(/[^a-z0-9-]/g, '')
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: id, DBInstanceClass: 'db.t3.micro', Engine: extra.engine ?? 'postgres', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'not-a-secret-1', Tags: tagList(tags),
    ...(extra.cluster ? { DBClusterIdentifier: extra.cluster } : {}),
  }))
  return id
}

/** A read replica of `source`; answers its identifier. */
export async function seedReadReplica(rds: RDSClient, source: string, tags: Record<string, string>): Promise<string> {
  const id = uniqueValue('replica').replace(/[^a-z0-9-]/g, '')
  await rds.send(new CreateDBInstanceReadReplicaCommand({ DBInstanceIdentifier: id, SourceDBInstanceIdentifier: source, Tags: tagList(tags) }))
  return id
}

/** An Aurora PostgreSQL cluster with one member instance; answers the cluster's and the member's identifiers. */
export async function seedAuroraCluster(rds: RDSClient, tags: Record<string, string>, engineMode?: string): Promise<{ cluster: string, member: string }> {
  const cluster = uniqueValue('aurora').replace(/[^a-z0-9-]/g, '')
  await rds.send(new CreateDBClusterCommand({
    DBClusterIdentifier: cluster, Engine: 'aurora-postgresql', MasterUsername: 'admin', MasterUserPassword: 'not-a-secret-1', Tags: tagList(tags),
    ...(engineMode ? { EngineMode: engineMode } : {}),
  }))
  const member = engineMode === 'serverless' ? '' : await seedDbInstance(rds, tags, { cluster, engine: 'aurora-postgresql' })
  return { cluster, member }
}

/** An Auto Scaling group of a launch template, with its capacity; answers its name. */
export async function seedGroup(accountId: string, region: string, tags: Record<string, string>, capacity = { min: 1, desired: 2, max: 3 }): Promise<string> {
  const ec2 = await ec2For(accountId, region)
  const name = uniqueValue('asg')
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `lt-${name}`, LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' } }))
  const asg = await autoScalingFor(accountId, region)
  await asg.send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: name, MinSize: capacity.min, DesiredCapacity: capacity.desired, MaxSize: capacity.max,
    LaunchTemplate: { LaunchTemplateName: `lt-${name}` }, AvailabilityZones: [`${region}a`],
    Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: false })),
  }))
  return name
}

/** A DB instance's status. */
export async function dbStatus(rds: RDSClient, id: string): Promise<string | undefined> {
  return (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0]?.DBInstanceStatus
}

/** A DB cluster's status. */
export async function clusterStatus(rds: RDSClient, id: string): Promise<string | undefined> {
  return (await rds.send(new DescribeDBClustersCommand({ DBClusterIdentifier: id }))).DBClusters?.[0]?.Status
}

/** A group's capacity and tags. */
export async function groupOf(asg: AutoScalingClient, name: string) {
  const g = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups![0]!
  return { min: g.MinSize, desired: g.DesiredCapacity, max: g.MaxSize, tags: Object.fromEntries((g.Tags ?? []).map(t => [t.Key!, t.Value!])) }
}

/** The client, with the calls `refuse` answers an error for failing with it before they reach moto. */
export function refusing(client: RDSClient, refuse: (command: string, input: Record<string, unknown>) => Error | undefined): RDSClient {
  client.middlewareStack.add((next, context) => async (args) => {
    const error = refuse(String(context.commandName), args.input as Record<string, unknown>)
    if (error) throw error
    return next(args)
  }, { step: 'initialize', name: 'refuseForTest' })
  return client
}
