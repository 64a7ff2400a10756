// Instances terminated while off (savings/gone.ts): one lookup by id per account and region, an instance terminated,
// shutting down or unknown closes its interval at the time seen, a running or stopped one keeps it, and one unknown id
// (which fails EC2's whole call) is found by asking for each id alone. The EC2 answers are made here: what is judged
// is what the code does with each kind of answer (moto's own are in test/integration/savings.test.ts).
import type { EC2Client } from '@aws-sdk/client-ec2'
import { describe, expect, it } from 'vitest'
import { closeGoneInstances } from '../../server/utils/savings/gone'
import type { ClosedInterval } from '../../server/utils/savings/intervals'
import type { SavingsRepository, StoredInterval } from '../../server/utils/savings/repository'

const SINCE = '2026-06-10T18:00:00.000Z'
const NOW = new Date('2026-06-10T19:00:00.000Z')
const interval = (instanceId: string, region = 'eu-west-1'): StoredInterval => ({ accountId: '111111111111', region, instanceId, rule: 'nightly', since: SINCE, eventId: 'run-1' })

function fakeSavings(open: StoredInterval[]) {
  const marked: ClosedInterval[] = []
  const added: string[] = []
  const repo = {
    openIntervals: async () => open,
    markClosed: async (c: ClosedInterval) => {
      marked.push(c)
      return true
    },
    addToDay: async (day: string, rule: string, cells: Map<string, number>, applyId: string) => {
      added.push(`${day} ${rule} ${[...cells.values()].join(',')} ${applyId}`)
      return true
    },
    addToMonth: async (month: string, rule: string, _cells: Map<string, number>, hours: number, applyId: string) => {
      added.push(`${month} ${rule} ${hours} ${applyId}`)
      return true
    },
    markRollupsSince: async () => {},
    remove: async () => {},
  } as unknown as SavingsRepository
  return { repo, marked, added }
}

/** An EC2 that knows `states` (id to state): asked for an id it does not know, it fails the whole call, as EC2 does. */
function fakeEc2(states: Record<string, string>, calls: string[][]): EC2Client {
  return {
    send: async (command: { input: { InstanceIds: string[] } }) => {
      const ids = command.input.InstanceIds
      calls.push(ids)
      if (ids.some(id => !(id in states))) throw Object.assign(new Error(`The instance IDs '${ids.join(', ')}' do not exist`), { name: 'InvalidInstanceID.NotFound' })
      return { Reservations: [{ Instances: ids.map(id => ({ InstanceId: id, State: { Name: states[id] } })) }] }
    },
  } as unknown as EC2Client
}

describe('closing the intervals of instances gone while off', () => {
  it('closes the terminated, shutting-down and unknown ones at the time seen, and keeps the others', async () => {
    const { repo, marked, added } = fakeSavings([interval('i-term'), interval('i-shut'), interval('i-gone'), interval('i-stopped'), interval('rds:orders')])
    const calls: string[][] = []
    const report = await closeGoneInstances({
      savings: repo,
      credentials: { forAccount: async accountId => ({ accountId, own: true }) },
      ec2: () => fakeEc2({ 'i-term': 'terminated', 'i-shut': 'shutting-down', 'i-stopped': 'stopped' }, calls),
    }, NOW)
    expect(report).toEqual({ examined: 4, closed: 3, errors: [] })
    expect(marked.map(c => [c.interval.instanceId, c.until, c.closedBy])).toEqual(['i-term', 'i-shut', 'i-gone'].map(id => [id, NOW.toISOString(), `gone#${NOW.toISOString()}`]))
    // One call for the four EC2 ids (a database's interval is not EC2's), then each alone once one proved unknown.
    expect(calls).toEqual([['i-term', 'i-shut', 'i-gone', 'i-stopped'], ['i-term'], ['i-shut'], ['i-gone'], ['i-stopped']])
    // Their hour, added up once under the close's id, to the day and to the month's roll-up.
    expect(added).toEqual([`2026-06-10 nightly 3 gone#${NOW.toISOString()}#0`, `2026-06 nightly 3 gone#${NOW.toISOString()}#0`])
  })

  it('says which account and region could not be read, and closes nothing there', async () => {
    const { repo, marked } = fakeSavings([interval('i-1'), interval('i-2', 'us-east-1')])
    const report = await closeGoneInstances({
      savings: repo,
      credentials: { forAccount: async accountId => ({ accountId, own: true }) },
      ec2: (_account, region) => (region === 'us-east-1'
        ? { send: async () => { throw Object.assign(new Error('not authorized'), { name: 'UnauthorizedOperation' }) } } as unknown as EC2Client
        : fakeEc2({ 'i-1': 'terminated' }, [])),
    }, NOW)
    expect(report.errors).toEqual([{ accountId: '111111111111', region: 'us-east-1', message: 'not authorized' }])
    expect(marked.map(c => c.interval.instanceId)).toEqual(['i-1'])
  })
})
