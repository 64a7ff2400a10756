// An EC2 instance off because of us that is then terminated would count up to now for ever: no run finds it again
// (runs never ask for terminated instances), so nothing closes its interval. The reconcile asks: one DescribeInstances
// by id per account and region that has open EC2 intervals (the ids alone, up to ID_BATCH a call), and closes the
// interval of each instance found terminated or shutting down, or not found at all, at the time it was seen gone
// (under `gone#<time>`: marked, added up and removed once, like any close, record.ts).
import { DescribeInstancesCommand } from '@aws-sdk/client-ec2'
import type { EC2Client } from '@aws-sdk/client-ec2'
import { awsErrorCode } from '../aws/errors'
import type { CredentialsResolver } from '../executor/credentials'
import type { Ec2ClientFactory } from '../executor/deps'
import { addUp } from './record'
import type { SavingsRepository, StoredInterval } from './repository'

const ID_BATCH = 200
const GONE_STATES = new Set(['terminated', 'shutting-down'])

export interface GoneReport {
  /** Open EC2 intervals looked at, and those closed because their instance is gone. */
  examined: number
  closed: number
  errors: { accountId: string, region: string, message: string }[]
}

/** The ids of `ids` EC2 no longer has running or stopped: terminated, shutting down, or unknown. */
async function goneOf(ec2: EC2Client, ids: string[]): Promise<string[]> {
  try {
    const out = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ids }))
    const seen = new Map((out.Reservations ?? []).flatMap(r => r.Instances ?? []).map(i => [i.InstanceId ?? '', i.State?.Name ?? '']))
    return ids.filter(id => !seen.has(id) || GONE_STATES.has(seen.get(id)!))
  }
  catch (error) {
    if (awsErrorCode(error) !== 'InvalidInstanceID.NotFound') throw error
    // One unknown id fails the whole call: ask for each alone (rare: a terminated instance is listed for about an hour).
    return ids.length === 1 ? ids : (await Promise.all(ids.map(id => goneOf(ec2, [id])))).flat()
  }
}

/** Closes at `now` the open intervals of EC2 instances that are gone (see the file's comment). */
export async function closeGoneInstances(deps: { savings: SavingsRepository, credentials: Pick<CredentialsResolver, 'forAccount'>, ec2: Ec2ClientFactory }, now: Date): Promise<GoneReport> {
  const open = (await deps.savings.openIntervals()).filter(i => !i.instanceId.includes(':'))
  const byPlace = new Map<string, StoredInterval[]>()
  for (const i of open) byPlace.set(`${i.accountId}|${i.region}`, [...(byPlace.get(`${i.accountId}|${i.region}`) ?? []), i])
  const report: GoneReport = { examined: open.length, closed: 0, errors: [] }
  const until = now.toISOString()
  const closedBy = `gone#${until}`
  const closes = []
  for (const intervals of byPlace.values()) {
    const { accountId, region } = intervals[0]!
    try {
      const access = await deps.credentials.forAccount(accountId, 'savings')
      const ec2 = deps.ec2(accountId, region, access.credentials)
      for (let i = 0; i < intervals.length; i += ID_BATCH) {
        const batch = intervals.slice(i, i + ID_BATCH)
        const gone = new Set(await goneOf(ec2, batch.map(b => b.instanceId)))
        for (const interval of batch) {
          if (!gone.has(interval.instanceId) || Date.parse(interval.since) >= now.getTime()) continue
          const close = { interval, until, closedBy }
          if (await deps.savings.markClosed(close)) closes.push(close)
        }
      }
    }
    catch (error) {
      report.errors.push({ accountId, region, message: (error as Error).message })
    }
  }
  await addUp(deps.savings, closedBy, closes)
  report.closed = closes.length
  return report
}
