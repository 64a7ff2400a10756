// The monthly roll-ups (record.ts, read.ts) and their months' summaries (month-summary.ts): a range's whole months read from them answer exactly what their days
// answer, for every grouping, for ranges that start or end mid-month, lie inside one month, or are ISO instants in
// other time zones; months from before the roll-ups began are read from their days; and a record cut short at any
// of its writes, between a day's and a month's, is finished by the run's next delivery (or the next record meeting
// its instances) without losing or doubling an hour. Over the repository's items in memory (test/helpers), the same
// items and conditions as in DynamoDB (test/integration/savings.test.ts runs the same record on the stores).
import { describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { SAVINGS_GROUPS, savingsQuerySchema } from '../../shared/schemas/savings'
import type { PriceSource } from '../../server/utils/savings/prices'
import { monthRollups, summaryCells } from '../../server/utils/savings/month-summary'
import { planRange, readSavings } from '../../server/utils/savings/read'
import { recordRun } from '../../server/utils/savings/record'
import { SUMMARY_MAX_CELLS } from '../../server/utils/savings/repository'
import type { MonthState, RollupPart } from '../../server/utils/savings/repository'
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
  // The months read whole: from their roll-ups, or from the summary of them (each month's state is read first).
  const months: string[][] = []
  const rolled = { ...memory, monthStates: (m: string[]) => (months.push(m), memory.monthStates(m)) }
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
    expect([...seen].sort()).toEqual(['addToDay', 'addToMonth', 'countMonth', 'markClosed', 'markRollupsSince', 'remove'])
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

describe('a month\'s summary of its roll-ups', () => {
  const february = { from: '2026-02-01', to: '2026-02-28' }
  // A rule whose instance is stopped on February 27 and started only on March 3: its record closes hours into
  // February after February's summary was made.
  const late: Fleet = { rule: 'late', accountId: '444444444444', region: 'eu-west-1', targets: [{ instanceId: 'i-0d1', instanceType: 't3.micro' }] }
  const lateStop = run(late, Date.parse('2026-02-27T19:00:00Z'), 'stop')
  const lateStart = run(late, Date.parse('2026-03-03T07:00:00Z'), 'start')
  const entries = [...runs().filter(e => e.startedAt < '2026-03-03'), lateStop].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1))

  /** Reads `range` for every grouping, counting the roll-ups read; answers what the days alone answer too. */
  async function read(memory: Memory, range = february) {
    const rolledUp: string[] = []
    const spied = { ...memory, rollups: (m: string[], part?: 'cells' | 'days' | 'both', consistent?: boolean) => (rolledUp.push(...m), memory.rollups(m, part, consistent)) }
    const daysOnly = { ...memory, rollupsSince: async () => null }
    // One grouping after the other, as a page's requests come (reads side by side would each make the summary).
    const ours = []
    for (const groupBy of SAVINGS_GROUPS) ours.push(await readSavings({ repository: spied, prices: async () => prices }, query({ ...range, groupBy }), NOW))
    const days = await Promise.all(SAVINGS_GROUPS.map(groupBy => readSavings({ repository: daysOnly, prices: async () => prices }, query({ ...range, groupBy }), NOW)))
    return { ours, days, rolledUp }
  }

  it('is made by the first read and answers the next ones alone, the same as the roll-ups', async () => {
    const memory = await recorded(entries)
    const first = await read(memory)
    expect(first.ours).toEqual(first.days)
    // The first grouping read February whole and kept its summary; the others read only that.
    expect(first.rolledUp).toEqual(['2026-02'])
    const second = await read(memory)
    expect(second.ours).toEqual(first.ours)
    expect(second.rolledUp).toEqual([])
    expect(second.ours[0]!.hours).toBeGreaterThan(0)
  })

  it('is made again once a later record adds hours to its month', async () => {
    const memory = await recorded(entries)
    const before = await read(memory)
    await recordRun(memory, lateStart)
    const after = await read(memory)
    expect(after.rolledUp).toEqual(['2026-02'])
    expect(after.ours).toEqual(after.days)
    // February 27 19:00 to March 1 00:00: 29 hours of `late`, counted as open until the start closed them into the
    // month's roll-up.
    expect(before.ours[0]!.openHours - after.ours[0]!.openHours).toBeCloseTo(29, 6)
    expect(after.ours[0]!.hours).toBeCloseTo(before.ours[0]!.hours, 6)
  })

  it('counts an add that a record cut short made before its count, once the record is finished', async () => {
    const memory = memorySavings({ clock: BEGAN, failAt: what => cutting && what === 'countMonth' })
    let cutting = false
    for (const entry of entries) await recordRun(memory, entry)
    await read(memory)
    cutting = true
    await expect(recordRun(memory, lateStart)).rejects.toThrow(InjectedFailure)
    cutting = false
    // Redelivered: the add is done already, and its count is made now.
    await recordRun(memory, lateStart)
    const after = await read(memory)
    expect(after.rolledUp).toEqual(['2026-02'])
    expect(after.ours).toEqual(after.days)
  })
})

describe('a month too large for a summary, or with nothing in it', () => {
  const many = (month: string) => Array.from({ length: 3 }, (_, r) => ({
    month, rule: `r${r}`, hours: 0, days: [],
    cells: Array.from({ length: SUMMARY_MAX_CELLS / 2 }, (_, i) => ({ accountId: String(100000000000 + i), region: 'eu-west-1', instanceType: 't3.micro', hours: 1 })),
  }))

  it('notes a month past the cells a summary holds as having none, and then reads only its roll-ups', async () => {
    const kept: [string, number, string | null][] = []
    const reads: string[] = []
    let state: MonthState = { version: 4, summary: null }
    const repo = {
      monthStates: async (months: string[]) => new Map(months.map(m => [m, state])),
      rollups: async (months: string[], part?: RollupPart) => (reads.push(`${months.join()}:${part}`), many(months[0]!)),
      putMonthSummary: async (month: string, version: number, text: string | null) => {
        kept.push([month, version, text])
      },
    }
    expect((await monthRollups(repo, ['2026-02'], 'cells')).flatMap(r => r.cells)).toHaveLength(3 * SUMMARY_MAX_CELLS / 2)
    expect(kept).toEqual([['2026-02', 4, null]])
    state = { version: 4, summary: { version: 4, text: null } }
    expect((await monthRollups(repo, ['2026-02'], 'cells')).flatMap(r => r.cells)).toHaveLength(3 * SUMMARY_MAX_CELLS / 2)
    expect(reads).toEqual(['2026-02:both', '2026-02:cells'])
    expect(kept).toHaveLength(1)
  })

  it('counts the days once across the rules: a thousand rules of one cell and thirty days each make a summary', () => {
    const rollups = Array.from({ length: 1000 }, (_, r) => ({
      month: '2026-02', rule: `r${r}`, hours: 0,
      cells: [{ accountId: '111111111111', region: 'eu-west-1', instanceType: 't3.micro', hours: 1 }],
      days: Array.from({ length: 28 }, (_, d) => ({ day: `2026-02-${String(d + 1).padStart(2, '0')}`, region: 'eu-west-1', instanceType: 't3.micro', hours: 1 })),
    }))
    expect(summaryCells(rollups)).toBe(1000 + 28)
    expect(summaryCells(rollups)).toBeLessThanOrEqual(SUMMARY_MAX_CELLS)
  })

  it('keeps no summary of a month nothing was ever added to', async () => {
    const kept: string[] = []
    const repo = {
      monthStates: async (months: string[]) => new Map(months.map(m => [m, { version: 0, summary: null }])),
      rollups: async () => [],
      putMonthSummary: async (month: string) => {
        kept.push(month)
      },
    }
    expect(await monthRollups(repo, ['1999-01', '1999-02'], 'days')).toEqual([])
    expect(kept).toEqual([])
  })
})
