// The naive executor the benchmark compares ours with: what a first script would do, strictly one call at a time.
// For each account: assume its member role. For each region: find the rule's instances (DescribeInstances, every page),
// then for each one to stop: StopInstances with that one id, then DescribeInstances of that one id until it reads
// `stopped` (the same verification as ours, one instance at a time). No batching, no concurrency, no log.
import { DescribeInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import type { STSClient } from '@aws-sdk/client-sts'
import type { Filter } from '../../shared/filters'
import { createEc2Client } from '../../server/utils/aws/ec2'
import { memberRoleArn, roleSessionName } from '../../server/utils/executor/credentials'
import { toEc2Filters } from '../../server/utils/executor/find'
import type { Meter } from './aws-meter'

/** What one rule asks for: the naive executor only stops. */
export interface NaiveRule {
  name: string
  accountId: string
  regions: string[]
  filters: Filter[]
}

export interface NaiveOptions {
  sts: STSClient
  endpoint: string
  memberRoleName: string
  meter: Meter
  verifyIntervalMs: number
  verifyTimeoutMs: number
}

export interface NaiveResult {
  found: number
  /** StopInstances accepted. */
  acted: number
  /** Read back as `stopped`. */
  verified: number
  failures: string[]
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** Runs the rules one after another, every call awaited before the next is sent. */
export async function naiveStop(rules: NaiveRule[], options: NaiveOptions): Promise<NaiveResult> {
  const result: NaiveResult = { found: 0, acted: 0, verified: 0, failures: [] }
  const sts = options.meter.attach(options.sts)
  for (const rule of rules) {
    const assumed = await sts.send(new AssumeRoleCommand({
      RoleArn: memberRoleArn(rule.accountId, options.memberRoleName, 'us-east-1'),
      RoleSessionName: roleSessionName(rule.name),
    }))
    const c = assumed.Credentials!
    const credentials = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken }
    for (const region of rule.regions) {
      const ec2 = options.meter.attach(createEc2Client({ region, credentials, endpoint: options.endpoint }))
      // Find: the same filters as ours, every page.
      const running: string[] = []
      let NextToken: string | undefined
      do {
        const page = await ec2.send(new DescribeInstancesCommand({ Filters: toEc2Filters(rule.filters, 'stop'), MaxResults: 1000, NextToken }))
        for (const i of (page.Reservations ?? []).flatMap(r => r.Instances ?? [])) {
          result.found++
          if (i.State?.Name === 'running' || i.State?.Name === 'pending') running.push(i.InstanceId!)
        }
        NextToken = page.NextToken || undefined
      } while (NextToken)
      // Act and verify, one instance at a time.
      for (const id of running) {
        try {
          await ec2.send(new StopInstancesCommand({ InstanceIds: [id] }))
          result.acted++
        }
        catch (error) {
          result.failures.push(`${id}: ${(error as Error).message}`)
          continue
        }
        const deadline = performance.now() + options.verifyTimeoutMs
        for (;;) {
          const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [id] }))
          const state = out.Reservations?.[0]?.Instances?.[0]?.State?.Name
          if (state === 'stopped') {
            result.verified++
            break
          }
          if (performance.now() >= deadline) {
            result.failures.push(`${id}: still ${state ?? 'unknown'} after ${options.verifyTimeoutMs} ms`)
            break
          }
          await sleep(options.verifyIntervalMs)
        }
      }
      ec2.destroy()
    }
  }
  return result
}
