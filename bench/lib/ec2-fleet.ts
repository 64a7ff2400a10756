// The benchmark's EC2 fleet in moto: instances seeded per account and region (moto switches account on
// sts:AssumeRole), their states read back, and started again. Nothing here is metered: it is set-up and checking.
import { DescribeInstanceStatusCommand, EC2Client, RunInstancesCommand, StartInstancesCommand } from '@aws-sdk/client-ec2'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentials } from '../../server/utils/aws/credentials'
import { mapWithConcurrency } from '../../server/utils/concurrency'
import { chunked } from '../../server/utils/executor/act'

/** The member role the executor assumes (the app's default); moto does not need it to exist. */
export const MEMBER_ROLE = 'OuroborosSchedulerMember'
/** The account moto gives to static keys it does not know: the app's own account. */
export const OWN_ACCOUNT = '123456789012'

/** The instances of one account and region. */
export interface FleetSlice {
  accountId: string
  region: string
  ids: string[]
}

// moto takes 500 in one RunInstances; one call per account-region keeps seeding fast.
const RUN_PER_CALL = 500
// DescribeInstanceStatus takes at most 100 instance ids per call.
const STATUS_IDS_PER_CALL = 100

/** The fleet in moto at `endpoint`, seen through clients that act as each account. */
export function motoFleet(endpoint: string) {
  const sts = new STSClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
  const credentials = new Map<string, Promise<AwsCredentials>>()
  const clients = new Map<string, EC2Client>()

  function credentialsFor(accountId: string): Promise<AwsCredentials> {
    let pending = credentials.get(accountId)
    if (!pending) {
      pending = sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`, RoleSessionName: 'ouroboros-bench-setup' }))
        .then(({ Credentials: c }) => ({ accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken }))
      credentials.set(accountId, pending)
    }
    return pending
  }

  async function ec2(accountId: string, region: string): Promise<EC2Client> {
    const key = `${accountId}/${region}`
    let client = clients.get(key)
    if (!client) {
      client = new EC2Client({ region, endpoint, credentials: await credentialsFor(accountId) })
      clients.set(key, client)
    }
    return client
  }

  /** Launches `count` running instances with `tags` in one account and region. */
  async function seed(accountId: string, region: string, count: number, tags: Record<string, string>): Promise<FleetSlice> {
    const client = await ec2(accountId, region)
    const Tags = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
    const ids: string[] = []
    for (let left = count; left > 0; left -= RUN_PER_CALL) {
      const n = Math.min(left, RUN_PER_CALL)
      const out = await client.send(new RunInstancesCommand({
        ImageId: 'ami-12345678',
        InstanceType: 't3.micro',
        MinCount: n,
        MaxCount: n,
        TagSpecifications: [{ ResourceType: 'instance', Tags }],
      }))
      ids.push(...(out.Instances ?? []).map(i => i.InstanceId!))
    }
    if (ids.length !== count) throw new Error(`seeding ${accountId}/${region}: moto launched ${ids.length} instances, not ${count}`)
    return { accountId, region, ids }
  }

  /** Seeds every (account, region) with `perSlice` instances, `concurrency` slices at a time. */
  function seedAll(accounts: string[], regions: string[], perSlice: number, tags: Record<string, string>, concurrency = 4): Promise<FleetSlice[]> {
    const pairs = accounts.flatMap(accountId => regions.map(region => ({ accountId, region })))
    return mapWithConcurrency(pairs, concurrency, ({ accountId, region }) => seed(accountId, region, perSlice, tags))
  }

  /** How many of the slices' instances are in each state, read with DescribeInstanceStatus (all states included). */
  async function stateCounts(slices: FleetSlice[], concurrency = 4): Promise<Record<string, number>> {
    const counts: Record<string, number> = {}
    await mapWithConcurrency(slices, concurrency, async (slice) => {
      const client = await ec2(slice.accountId, slice.region)
      let seen = 0
      for (const InstanceIds of chunked(slice.ids, STATUS_IDS_PER_CALL)) {
        const out = await client.send(new DescribeInstanceStatusCommand({ InstanceIds, IncludeAllInstances: true }))
        for (const s of out.InstanceStatuses ?? []) {
          const state = s.InstanceState?.Name ?? 'unknown'
          counts[state] = (counts[state] ?? 0) + 1
          seen++
        }
      }
      // An instance missing from the answer is counted as such, never silently dropped.
      if (seen < slice.ids.length) counts.missing = (counts.missing ?? 0) + slice.ids.length - seen
    })
    return counts
  }

  /** Starts every instance of the slices again (moto's state changes are instant). */
  async function startAll(slices: FleetSlice[], concurrency = 4): Promise<void> {
    await mapWithConcurrency(slices, concurrency, async (slice) => {
      const client = await ec2(slice.accountId, slice.region)
      for (const InstanceIds of chunked(slice.ids, RUN_PER_CALL)) await client.send(new StartInstancesCommand({ InstanceIds }))
    })
  }

  function destroy(): void {
    for (const client of clients.values()) client.destroy()
    sts.destroy()
  }

  return { ec2, seed, seedAll, stateCounts, startAll, destroy }
}

export type MotoFleet = ReturnType<typeof motoFleet>
