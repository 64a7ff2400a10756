// The monthly roll-ups (record.ts, read.ts): a range's whole months read from them answer exactly what their days
// answer, for every grouping, for ranges that start or end mid-month, lie inside one month, or are ISO instants in
// other time zones; months from before the roll-ups began are read from their days; and a record cut short at any
// of its writes, between a day's and a month's, is finished by the run's next delivery (or the next record meeting
// its instances) without losing or doubling an hour. Over the repository's items in memory (test/helpers), the same
// items and conditions as in DynamoDB (test/integration/savings.test.ts runs the same record on the stores).
import { describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { SAVINGS_GROUPS, savingsQuerySchema } from '../../shared/schemas/savings'
import type { PriceSource } from '../../server/utils/savings/prices'
import { planRange, readSavings } from '../../server/utils/savings/read'
import { recordRun } from '../../server/utils/savings/record'
import { InjectedFailure, memorySavings } from '../helpers/savings-memory'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const FIRST = Date.parse('2026-01-20T00:00:00Z')
const LAST = Date.parse('2026-04-11T00:00:00Z')
const NOW = new Date('2026-04-12T12:00:00Z')
// Before any of the data: the roll-ups began with it.
const BEGAN = () => new Date('2026-01-01T00:00:00Z')

// Prices a binary fraction can hold, so money sums the same in any order; m5.large in us-east-1 has none.
const prices: PriceSource = {
  source: 'csv',
  prices: async keys => new Map(keys.map(k => [k, k === 'eu-west-1|t3.micro' ? { perHour: 0.25, currency: 'USD' } : k === 'us-east-1|m5.large' ? null : { perHour: 0.5, currency: 'USD' }])),
}

interface Fleet { rule: string, accountId: string, region: string, targets: { instanceId: string, instanceType?: string, resourceType?: 'asg', savedCapacity?: string }[], weekdaysOnly?: boolean, foundRunning?: boolean }
const FLEETS: Fleet[] = [
  { rule: 'nightly', accountId: '111111111111', region: 'eu-west-1', targets: [{ instanceId: 'i-0a1', instanceType: 't3.micro' }, { instanceId: 'i-0a2', instanceType: 't3.micro' }] },
  // Off over weekends (Friday 19:00 to Monday 07:00: intervals across days, and across a month's end).
  { rule: 'weekdays', accountId: '222222222222', region: 'us-east-1', targets: [{ instanceId: 'i-0b1', instanceType: 'm5.large' }, { instanceId: 'i-0b2' }], weekdaysOnly: true },
  // No start rule: each stop finds them running again, closing the last interval at its start.
  { rule: 'no-start', accountId: '111111111111', region: 'us-east-1', targets: [{ instanceId: 'i-0c1', instanceType: 'c5.xlarge' }], foundRunning: true },
  // An Auto Scaling group: its hours count once per instance of the saved desired capacity.
  { rule: 'group', accountId: '333333333333', region: 'eu-west-1', targets: [{ instanceId: 'web', resourceType: 'asg', savedCapacity: '1,3,4' }] },
]

function run(f: Fleet, at: number, action: 'stop' | 'start'): LogEntry {
  const iso = new Date(at).toISOString()
  return {
    eventId: `${f.rule}-${action}-${iso}`, ruleName: f.rule, trigger: 'schedule', scheduledTime: iso, startedAt: iso, finishedAt: iso, action,
    accountId: f.accountId, regions: [f.region], filters: [], status: 'succeeded', counts: { total: f.targets.length, acted: f.targets.length, skipped: 0, failed: 0 },
    targets: f.targets.map(t => ({
      ...t, region: f.region,
      stateBefore: t.resourceType === 'asg' ? (action === 'stop' ? 'min=1,desired=3,max=4' : 'min=0,desired=0,max=0') : action === 'stop' ? 'running' : 'stopped',
      outcome: action === 'stop' ? 'stopped' as const : 'started' as const,
    })),
  }
}

/** Every fleet's runs from FIRST to LAST, in time order: stops at 19:00, starts at 07:00 the next (week)day. */
function runs(): LogEntry[] {
  const all: LogEntry[] = []
  for (let day = FIRST; day <= LAST; day += DAY) {
    const weekday = new Date(day).getUTCDay()
    for (const f of FLEETS) {
      const working = weekday >= 1 && weekday <= 5
      if (!f.foundRunning && (!f.weekdaysOnly || working)) all.push(run(f, day + 7 * HOUR, 'start'))
      if (!f.weekdaysOnly || working) all.push(run(f, day + 19 * HOUR, 'stop'))
    }
  }
  return all.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0))
}

async function recorded(entries = runs(), clock = BEGAN) {
  const memory = memorySavings({ clock })
  for (const entry of entries) await recordRun(memory, entry)
  return memory
}

type Memory = ReturnType<typeof memorySavings>
// Recorded once for the tests that only read it.
let all: Promise<Memory> | undefined
const recordedAll = () => (all ??= recorded())
const query = (q: Record<string, string>) => savingsQuerySchema(() => NOW).parse(q)
/** What the range answers from the roll-ups and days, what it answers from the days alone, and the months rolled up. */
async function bothWays(memory: Memory, q: Record<string, string>) {
  const months: string[][] = []
  const rolled = { ...memory, rollups: (m: string[]) => (months.push(m), memory.rollups(m)) }
  const daysOnly = { ...memory, rollupsSince: async () => null }
  return {
    ours: await readSavings({ repository: rolled, prices: async () => prices }, query(q), NOW),
    days: await readSavings({ repository: daysOnly, prices: async () => prices }, query(q), NOW),
    months: months.flat(),
  }
}

describe('planning a range over the roll-ups', () => {
  const began = '2026-01-01T00:00:00Z'
  it.each([
    ['2026-01-20', '2026-04-11', began, ['2026-02', '2026-03'], [['2026-01-20', '2026-01-31'], ['2026-04-01', '2026-04-11']]],
    ['2026-02-01', '2026-02-28', began, ['2026-02'], []],
    ['2026-02-10', '2026-02-20', began, [], [['2026-02-10', '2026-02-20']]],
    ['2026-01-31', '2026-03-01', began, ['2026-02'], [['2026-01-31', '2026-01-31'], ['2026-03-01', '2026-03-01']]],
    ['2025-12-01', '2026-11-30', began, ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'], [['2025-12-01', '2025-12-31']]],
    // Roll-ups begun mid-February: February is read from its days.
    ['2026-01-01', '2026-03-31', '2026-02-10T12:00:00Z', ['2026-03'], [['2026-01-01', '2026-02-28']]],
    ['2026-01-01', '2026-03-31', null, [], [['2026-01-01', '2026-03-31']]],
    // A leap year's February, whole.
    ['2028-02-01', '2028-02-29', began, ['2028-02'], []],
  ] as const)('%s to %s (roll-ups since %s) reads the months %j and the days %j', (first, last, since, months, days) => {
    expect(planRange(first, last, since === null ? null : Date.parse(since))).toEqual({ months, days })
  })
})

describe('reading whole months from their roll-ups', () => {
  it.each([
    ['a range that starts and ends mid-month', { from: '2026-01-20', to: '2026-04-11' }, ['2026-02', '2026-03']],
    ['exactly one month', { from: '2026-02-01', to: '2026-02-28' }, ['2026-02']],
    ['a range inside one month', { from: '2026-02-10', to: '2026-02-20' }, []],
    ['a day either side of a month', { from: '2026-01-31', to: '2026-03-01' }, ['2026-02']],
    ['instants in other time zones (Feb 28 21:00 to Apr 1 04:00 UTC)', { from: '2026-03-01T05:00:00+08:00', to: '2026-03-31T23:00:00-05:00' }, ['2026-03']],
    ['the default, the last 30 days', {}, []],
    ['a range that reaches now, with intervals still open', { from: '2026-03-01', to: '2026-04-12T12:00:00Z' }, ['2026-03']],
  ])('answers %s exactly as its days do, for every grouping', async (_name, range, months) => {
    const memory = await recordedAll()
    for (const groupBy of SAVINGS_GROUPS) {
      const { ours, days, months: read } = await bothWays(memory, { ...range, groupBy })
      expect(ours).toEqual(days)
      expect(read).toEqual(months)
    }
    const { ours } = await bothWays(memory, { ...range, groupBy: 'rule' })
    expect(ours.items.length).toBeGreaterThan(0)
  })

  it('counts what the runs saved: every hour but those from 07:00 to 19:00 on the days they ran', async () => {
    const { ours } = await bothWays(await recordedAll(), { from: '2026-02-01', to: '2026-02-28', groupBy: 'rule' })
    // February 2026 has 28 days, 20 of them weekdays. The weekdays' and the group's hours have no price.
    expect(ours.items).toEqual([
      { key: 'group', hours: 3 * 28 * 12, amount: 0 },
      { key: 'weekdays', hours: 2 * (28 * 24 - 20 * 12), amount: 0 },
      { key: 'nightly', hours: 2 * 28 * 12, amount: 2 * 28 * 12 * 0.25 },
      // Found running at each stop, 19:00 to 19:00.
      { key: 'no-start', hours: 28 * 24, amount: 28 * 24 * 0.5 },
    ])
  })

  it('reads the months from before the roll-ups began from their days, and answers the same', async () => {
    const entries = runs()
    const cut = entries.findIndex(e => e.startedAt >= '2026-02-10')
    const memory = memorySavings({ clock: () => new Date('2026-02-10T12:00:00Z') })
    // Aggregates written before the roll-ups existed: days only.
    const before = { ...memory, addToMonth: async () => true, markRollupsSince: async () => {} }
    for (const entry of entries.slice(0, cut)) await recordRun(before, entry)
    for (const entry of entries.slice(cut)) await recordRun(memory, entry)

    for (const groupBy of SAVINGS_GROUPS) {
      const { ours, days, months } = await bothWays(memory, { from: '2026-01-01', to: '2026-03-31', groupBy })
      expect(ours).toEqual(days)
      expect(months).toEqual(['2026-03'])
    }
    // February's roll-ups hold only what was added since they began: reading them would under-count.
    const february = (await memory.rollups(['2026-02'])).reduce((sum, r) => sum + r.hours, 0)
    const { days } = await bothWays(memory, { from: '2026-02-01', to: '2026-02-28', groupBy: 'rule' })
    expect(february).toBeGreaterThan(0)
    expect(february).toBeLessThan(days.hours)
  })
})

describe('a record cut short between its writes', () => {
  // The Monday start that closes the weekend from Friday January 30: days in January and February, both months.
  // The runs to March 2: February whole, read from its roll-ups.
  const entries = runs().filter(e => e.startedAt < '2026-03-02')
  const target = entries.findIndex(e => e.eventId === `weekdays-start-${new Date('2026-02-02T07:00:00Z').toISOString()}`)
  const full = { from: '2026-01-20', to: '2026-03-01' }
  // Each case records the runs again for every write it cuts: longer than one test's default on a busy machine.
  const SLOW = 60_000

  async function answers(memory: Memory) {
    return Promise.all(SAVINGS_GROUPS.map(async groupBy => (await bothWays(memory, { ...full, groupBy })).ours))
  }

  it('is finished by the run\'s next delivery, whichever write it stopped at, without losing or doubling an hour', async () => {
    const expected = await answers(await recorded(entries))
    let writes = 0
    let failAt = 0
    const seen = new Set<string>()
    for (;; failAt++) {
      writes = 0
      let armed = false
      const memory = memorySavings({ clock: BEGAN, failAt: (what) => {
        if (!armed) return false
        if (writes++ !== failAt) return false
        seen.add(what)
        return true
      } })
      for (const entry of entries.slice(0, target)) await recordRun(memory, entry)
      armed = true
      const cut = await recordRun(memory, entries[target]!).then(() => false, (e: unknown) => {
        if (e instanceof InjectedFailure) return true
        throw e
      })
      armed = false
      if (!cut) break
      // Redelivered (or replayed by the reconcile, which records it again the same way), then a second time.
      await recordRun(memory, entries[target]!)
      await recordRun(memory, entries[target]!)
      for (const entry of entries.slice(target + 1)) await recordRun(memory, entry)
      expect(await answers(memory), `cut at write ${failAt}`).toEqual(expected)
    }
    // Every kind of write was cut at least once: after a day's add and before its month's, after a month's and
    // before the next day's (the record spans two months), and while removing the closed intervals.
    expect([...seen].sort()).toEqual(['addToDay', 'addToMonth', 'markClosed', 'markRollupsSince', 'remove'])
    expect(failAt).toBeGreaterThan(8)
  }, SLOW)

  it('is finished by the next record that meets one of its instances, once its intervals are marked closed', async () => {
    const expected = await answers(await recorded(entries))
    // Past the two marks: cut in the adds and removes.
    for (const failAt of [2, 3, 5, 7, 9]) {
      let writes = 0
      let armed = false
      const memory = memorySavings({ clock: BEGAN, failAt: () => armed && writes++ === failAt })
      for (const entry of entries.slice(0, target)) await recordRun(memory, entry)
      armed = true
      await expect(recordRun(memory, entries[target]!)).rejects.toThrow(InjectedFailure)
      armed = false
      // Never delivered again: the same rule's stop that evening finishes it (then every later run, as usual).
      for (const entry of entries.slice(target + 1)) await recordRun(memory, entry)
      expect(await answers(memory), `cut at write ${failAt}`).toEqual(expected)
    }
  }, SLOW)
})
