// When an instance is off because of a rule (savings/intervals.ts), and the hours of a range (savings/report.ts).
import { describe, expect, it } from 'vitest'
import type { LogEntry, LogTarget } from '../../shared/schemas/log'
import { accountRun, followUpRecord, hoursByDay, instanceKey } from '../../server/utils/savings/intervals'
import type { OffInterval } from '../../server/utils/savings/intervals'
import { noPrices } from '../../server/utils/savings/prices'
import { cellsOf, savingsReport } from '../../server/utils/savings/report'

const ACCOUNT = '111122223333'
const target = (instanceId: string, t: Partial<LogTarget>): LogTarget => ({ instanceId, region: 'eu-central-1', instanceType: 't3.large', outcome: 'skipped', ...t })
const run = (eventId: string, ruleName: string, at: string, targets: LogTarget[]): Pick<LogEntry, 'eventId' | 'ruleName' | 'accountId' | 'startedAt' | 'finishedAt' | 'targets'> =>
  ({ eventId, ruleName, accountId: ACCOUNT, startedAt: at, finishedAt: new Date(Date.parse(at) + 30_000).toISOString(), targets })
const stopped = (id: string) => target(id, { stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' })
const started = (id: string) => target(id, { stateBefore: 'stopped', stateAfter: 'running', outcome: 'started' })
const openOf = (intervals: OffInterval[]) => new Map(intervals.map(i => [instanceKey(i), i]))
const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000

describe('intervals from the run logs', () => {
  it('opens at a stop\'s end and closes at the next start\'s beginning', () => {
    const stop = accountRun(run('e1', 'dev-stop', '2026-05-04T19:00:00.000Z', [stopped('i-1'), target('i-2', { stateBefore: 'stopped', reason: 'already stopped' })]), new Map())
    expect(stop.closed).toEqual([])
    expect(stop.opened).toEqual([{ accountId: ACCOUNT, region: 'eu-central-1', instanceId: 'i-1', rule: 'dev-stop', instanceType: 't3.large', since: '2026-05-04T19:00:30.000Z', eventId: 'e1' }])
    const start = accountRun(run('e2', 'dev-start', '2026-05-05T07:00:00.000Z', [started('i-1')]), openOf(stop.opened))
    expect(start.opened).toEqual([])
    expect(start.closed).toEqual([{ interval: stop.opened[0], until: '2026-05-05T07:00:00.000Z', closedBy: 'e2' }])
  })

  it('keeps a stop never followed by a start open, and counts it up to now', () => {
    const { opened } = accountRun(run('e1', 'dev-stop', '2026-05-04T19:00:00.000Z', [stopped('i-1')]), new Map())
    const range = { fromMs: Date.parse('2026-05-04T00:00:00Z'), toMs: Date.parse('2026-05-06T00:00:00Z') }
    const now = Date.parse('2026-05-05T01:00:30Z')
    const cells = cellsOf([], opened, range, now)
    expect(cells.reduce((sum, c) => sum + c.hours, 0)).toBeCloseTo(6, 9)
    expect(cells.every(c => c.open)).toBe(true)
  })

  it('closes an interval at a later run that finds the instance running, though no rule started it', () => {
    const open = openOf(accountRun(run('e1', 'dev-stop', '2026-05-04T19:00:00.000Z', [stopped('i-1')]), new Map()).opened)
    // Someone started it by hand; the next evening's stop finds it running and stops it again.
    const next = accountRun(run('e2', 'dev-stop', '2026-05-05T19:00:00.000Z', [stopped('i-1')]), open)
    expect(next.closed.map(c => c.until)).toEqual(['2026-05-05T19:00:00.000Z'])
    expect(next.opened.map(i => i.since)).toEqual(['2026-05-05T19:00:30.000Z'])
    // A run that finds it running and leaves it so (an opt-out) closes it too, and opens nothing.
    const seen = accountRun(run('e3', 'other', '2026-05-05T08:00:00.000Z', [target('i-1', { stateBefore: 'running', reason: 'opted out' })]), open)
    expect(seen.closed.map(c => c.until)).toEqual(['2026-05-05T08:00:00.000Z'])
    expect(seen.opened).toEqual([])
  })

  it('counts an instance two rules stop once: the second rule, finding it stopped, changes nothing', () => {
    const open = openOf(accountRun(run('e1', 'team-a', '2026-05-04T19:00:00.000Z', [stopped('i-1')]), new Map()).opened)
    const second = accountRun(run('e2', 'team-b', '2026-05-04T19:05:00.000Z', [target('i-1', { stateBefore: 'stopped', stateAfter: 'stopped', reason: 'already stopped' })]), open)
    expect(second).toEqual({ closed: [], opened: [] })
  })

  it('leaves the interval open when a start fails: the instance is still off', () => {
    const open = openOf(accountRun(run('e1', 'dev-stop', '2026-05-04T19:00:00.000Z', [stopped('i-1')]), new Map()).opened)
    const failed = accountRun(run('e2', 'dev-start', '2026-05-05T07:00:00.000Z', [target('i-1', { stateBefore: 'stopped', stateAfter: 'stopped', outcome: 'failed', reason: 'KMS' })]), open)
    expect(failed).toEqual({ closed: [], opened: [] })
  })

  it('answers the same for a redelivered run: a run does not close the interval it opened', () => {
    const entry = run('e1', 'dev-stop', '2026-05-04T19:00:00.000Z', [stopped('i-1')])
    const first = accountRun(entry, new Map())
    // Recorded again, with its own interval now stored: it closes nothing, and what it would open exists already.
    expect(accountRun(entry, openOf(first.opened))).toEqual({ closed: [], opened: first.opened })
  })
})

describe('databases and Auto Scaling groups', () => {
  const db = (id: string, t: Partial<LogTarget>) => target(id, { resourceType: 'rds', instanceType: undefined, engine: 'postgres', ...t })
  const group = (id: string, t: Partial<LogTarget>) => target(id, { resourceType: 'asg', instanceType: undefined, ...t })

  it('opens a database\'s interval at the run\'s end when the run saw it stopped, and none while it is still stopping', () => {
    const { opened } = accountRun(run('e1', 'db-stop', '2026-05-04T19:00:00.000Z', [
      db('orders', { stateBefore: 'available', stateAfter: 'stopped', outcome: 'stopped' }),
      db('billing', { stateBefore: 'available', stateAfter: 'stopping', outcome: 'stopping' }),
    ]), new Map())
    expect(opened).toEqual([{ accountId: ACCOUNT, region: 'eu-central-1', instanceId: 'rds:orders', rule: 'db-stop', since: '2026-05-04T19:00:30.000Z', eventId: 'e1' }])
  })

  it('opens a database\'s interval at the follow-up check that confirmed its stop, once however often the check runs', () => {
    const entry = {
      ...run('e1', 'db-stop', '2026-05-04T19:00:00.000Z', [
        db('orders', { stateBefore: 'available', stateAfter: 'stopped', outcome: 'stopped' }),
        db('billing', { stateBefore: 'available', stateAfter: 'stopped', outcome: 'stopped', reason: 'stopped, confirmed by the follow-up check at 2026-05-04T19:15Z' }),
      ]),
      followUp: { due: '2026-05-04T19:15:30.000Z', checkedAt: '2026-05-04T19:15:31.000Z' },
    }
    const record = followUpRecord(entry)!
    expect(record).toMatchObject({ eventId: 'e1#follow-up', startedAt: '2026-05-04T19:15:31.000Z', finishedAt: '2026-05-04T19:15:31.000Z' })
    expect(record.targets.map(t => t.instanceId)).toEqual(['billing'])
    const { opened, closed } = accountRun(record, new Map())
    expect(closed).toEqual([])
    expect(opened).toEqual([expect.objectContaining({ instanceId: 'rds:billing', since: '2026-05-04T19:15:31.000Z', eventId: 'e1#follow-up' })])
    // Another rule holds it off already: that rule's interval stays, and nothing more opens.
    expect(accountRun(record, openOf([{ ...opened[0]!, rule: 'other', since: '2026-05-04T18:00:00.000Z' }]))).toEqual({ closed: [], opened: [] })
    expect(followUpRecord({ ...entry, followUp: { due: '2026-05-04T19:15:30.000Z' } })).toBeNull()
  })

  it('closes a database\'s interval at a start, one still starting, or a run that finds it available', () => {
    const open = openOf(accountRun(run('e1', 'db-stop', '2026-05-04T19:00:00.000Z', [db('orders', { stateBefore: 'available', outcome: 'stopped' })]), new Map()).opened)
    const starting = accountRun(run('e2', 'db-start', '2026-05-05T07:00:00.000Z', [db('orders', { stateBefore: 'stopped', stateAfter: 'starting', outcome: 'starting' })]), open)
    expect(starting.closed.map(c => c.until)).toEqual(['2026-05-05T07:00:00.000Z'])
    const found = accountRun(run('e3', 'other', '2026-05-05T08:00:00.000Z', [db('orders', { stateBefore: 'available', reason: 'opted out' })]), open)
    expect(found.closed.map(c => c.until)).toEqual(['2026-05-05T08:00:00.000Z'])
    // An EC2 instance of the same id is another resource.
    expect(accountRun(run('e4', 'other', '2026-05-05T08:00:00.000Z', [target('orders', { stateBefore: 'running' })]), open).closed).toEqual([])
  })

  it('counts a stopped group once per instance of its saved desired capacity', () => {
    const { opened } = accountRun(run('e1', 'asg-stop', '2026-05-04T19:00:00.000Z', [
      group('web', { stateBefore: 'min=1,desired=3,max=4', stateAfter: 'min=0,desired=0,max=0', outcome: 'stopped', savedCapacity: '1,3,4' }),
    ]), new Map())
    expect(opened).toEqual([expect.objectContaining({ instanceId: 'asg:web', units: 3 })])
    const range = { fromMs: Date.parse('2026-05-04T00:00:00Z'), toMs: Date.parse('2026-05-06T00:00:00Z') }
    const cells = cellsOf([], opened, range, Date.parse('2026-05-04T21:00:30Z'))
    expect(cells.reduce((sum, c) => sum + c.hours, 0)).toBeCloseTo(6, 9)
    // Started again: closed; found at a desired capacity above 0 by another run: closed too.
    const open = openOf(opened)
    expect(accountRun(run('e2', 'asg-start', '2026-05-05T07:00:00.000Z', [group('web', { stateBefore: 'min=0,desired=0,max=0', outcome: 'started', savedCapacity: '1,3,4' })]), open).closed).toHaveLength(1)
    expect(accountRun(run('e3', 'other', '2026-05-05T07:00:00.000Z', [group('web', { stateBefore: 'min=1,desired=3,max=4', reason: 'opted out' })]), open).closed).toHaveLength(1)
    expect(accountRun(run('e4', 'asg-stop', '2026-05-05T19:00:00.000Z', [group('web', { stateBefore: 'min=0,desired=0,max=0', reason: 'already stopped' })]), open)).toEqual({ closed: [], opened: [] })
  })
})

describe('hours by UTC day', () => {
  it('splits at midnight UTC', () => {
    expect(hoursByDay(Date.parse('2026-05-04T19:00:00Z'), Date.parse('2026-05-05T07:00:00Z'))).toEqual([
      { day: '2026-05-04', hours: 5 },
      { day: '2026-05-05', hours: 7 },
    ])
  })

  it('counts elapsed hours across a daylight-saving change: 19:00 to 07:00 in Berlin on 29 March is 11 hours', () => {
    // 2026-03-28 19:00 CET is 18:00Z; 2026-03-29 07:00 CEST is 05:00Z.
    const parts = hoursByDay(Date.parse('2026-03-28T18:00:00Z'), Date.parse('2026-03-29T05:00:00Z'))
    expect(parts.reduce((s, p) => s + p.hours, 0)).toBe(hours('2026-03-28T18:00:00Z', '2026-03-29T05:00:00Z'))
    expect(parts.reduce((s, p) => s + p.hours, 0)).toBe(11)
  })

  it('answers nothing for an empty or reversed interval', () => {
    expect(hoursByDay(10, 10)).toEqual([])
    expect(hoursByDay(10, 5)).toEqual([])
  })
})

describe('a range\'s report', () => {
  const days = [
    { day: '2026-05-04', rule: 'a', hours: 7, cells: [{ accountId: ACCOUNT, region: 'eu-central-1', instanceType: 't3.large', hours: 5 }, { accountId: '444455556666', region: 'us-east-1', instanceType: '', hours: 2 }] },
    { day: '2026-05-05', rule: 'b', hours: 3, cells: [{ accountId: ACCOUNT, region: 'eu-central-1', instanceType: 't3.large', hours: 3 }] },
    { day: '2026-05-09', rule: 'b', hours: 9, cells: [{ accountId: ACCOUNT, region: 'eu-central-1', instanceType: 't3.large', hours: 9 }] },
  ]
  const range = { fromMs: Date.parse('2026-05-04T00:00:00Z'), toMs: Date.parse('2026-05-06T00:00:00Z') }

  it('groups the days within the range, biggest first, and has no cost without prices', async () => {
    const report = await savingsReport(cellsOf(days, [], range, range.toMs), range, 'account', noPrices)
    expect(report).toMatchObject({ hours: 10, openHours: 0, items: [{ key: ACCOUNT, hours: 8 }, { key: '444455556666', hours: 2 }] })
    expect(report.cost).toBeUndefined()
  })

  it('prices what has a price, and says how many hours had none', async () => {
    const prices = { source: 'csv' as const, prices: async (keys: string[]) => new Map(keys.map(k => [k, k === 'eu-central-1|t3.large' ? { perHour: 0.0864, currency: 'EUR' } : null])) }
    const report = await savingsReport(cellsOf(days, [], range, range.toMs), range, 'rule', prices)
    expect(report.cost).toEqual({ amount: 0.69, currency: 'EUR', estimated: true, source: 'csv', priced: 8, unpriced: 2 })
    expect(report.items).toEqual([{ key: 'a', hours: 7, amount: 0.43 }, { key: 'b', hours: 3, amount: 0.26 }])
  })
})
