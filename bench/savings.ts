// Savings benchmark (issue 19): GET /api/savings's query path over a year of daily aggregates for RULES rules
// (readSavings: one Query per month, and the intervals still open), against recomputing the same answer from the run
// logs of the same year (every log read with its outcomes, a Scan, the cheapest way to read them all, then replayed
// through the same interval logic: accountRun, hoursByDay). Both in one dynalite store (the engine of the embedded
// store; in AWS the same items live in DynamoDB), seeded in the same run, timed interleaved.
// Asserted: the same hours per rule both ways, and the aggregates' median at most 1/PASS_RATIO of the recompute's
// (the target is 1/TARGET_RATIO; PASS_RATIO leaves a margin for a noisy machine).
// BENCH_SAVINGS_RULES and BENCH_SAVINGS_DAYS scale the data down for a quick look; the section says what was measured.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { BatchWriteCommand, DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { LogEntry, LogTarget } from '../shared/schemas/log'
import { savingsQuerySchema } from '../shared/schemas/savings'
import type { SavingsAnswer } from '../shared/schemas/savings'
import { parseServerConfig } from '../server/utils/config'
import { ensureTables } from '../server/utils/tables'
import { accountRun, hoursByDay, instanceKey } from '../server/utils/savings/intervals'
import type { OffInterval } from '../server/utils/savings/intervals'
import { noPrices } from '../server/utils/savings/prices'
import { readSavings } from '../server/utils/savings/read'
import { cellsOf, savingsReport } from '../server/utils/savings/report'
import { cellKey, createSavingsRepository, monthsBetween } from '../server/utils/savings/repository'
import type { DayAggregate } from '../server/utils/savings/repository'
import { startDynalite } from '../test/helpers/dynalite'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { ms, percentile } from './lib/stats'

// The command as run: with the scale, when it was scaled down.
const COMMAND = `${['BENCH_SAVINGS_RULES', 'BENCH_SAVINGS_DAYS'].filter(v => process.env[v]).map(v => `${v}=${process.env[v]} `).join('')}npm run bench -- savings`
const RULES = Number(process.env.BENCH_SAVINGS_RULES ?? 1000)
const DAYS = Number(process.env.BENCH_SAVINGS_DAYS ?? 365)
const INSTANCES = 4
const REPEATS = 5
const TARGET_RATIO = 50
const PASS_RATIO = 65
const HOUR = 3_600_000
const DAY = 86_400_000
// A fixed year, so every run reads the same data: each rule stops its instances at 19:00 UTC and starts them at 07:00.
const FROM = Date.parse('2025-12-01T00:00:00Z')
const TO = FROM + DAYS * DAY
const ACCOUNT = '123456789012'
const REGION = 'eu-west-1'

const log = (line: string) => console.log(`[savings] ${line}`)
const ruleName = (r: number) => `rule-${String(r).padStart(4, '0')}`

function runLog(r: number, day: number, action: 'stop' | 'start'): LogEntry {
  const at = FROM + day * DAY + (action === 'stop' ? 19 : 7) * HOUR
  const iso = new Date(at).toISOString()
  const targets: LogTarget[] = Array.from({ length: INSTANCES }, (_, i) => ({
    instanceId: `i-${r.toString(16).padStart(8, '0')}${i.toString(16).padStart(9, '0')}`,
    region: REGION,
    instanceType: 't3.micro',
    name: `web-${r}-${i}`,
    stateBefore: action === 'stop' ? 'running' : 'stopped',
    stateAfter: action === 'stop' ? 'stopped' : 'running',
    outcome: action === 'stop' ? 'stopped' : 'started',
  }))
  return {
    eventId: `${ruleName(r)}-${action}-${day}`, ruleName: ruleName(r), trigger: 'schedule', scheduledTime: iso, startedAt: iso, finishedAt: iso,
    action, accountId: ACCOUNT, regions: [REGION], filters: [{ key: 'tag:team', values: [`t${r}`] }], status: 'succeeded', targets,
    counts: { total: INSTANCES, acted: INSTANCES, skipped: 0, failed: 0 },
  }
}

/** Replays logs in time order, as the record does run by run: the closed intervals as day aggregates, and those still open. */
function replay(entries: LogEntry[]): { days: DayAggregate[], open: OffInterval[] } {
  entries.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0))
  const open = new Map<string, OffInterval>()
  const days = new Map<string, DayAggregate>()
  for (const entry of entries) {
    const { closed, opened } = accountRun(entry, open)
    for (const { interval, until } of closed) {
      open.delete(instanceKey(interval))
      for (const { day, hours } of hoursByDay(Date.parse(interval.since), Date.parse(until))) {
        const key = `${day}#${interval.rule}`
        const d = days.get(key) ?? { day, rule: interval.rule, hours: 0, cells: [] }
        const cell = d.cells.find(c => cellKey(c) === cellKey(interval))
        if (cell) cell.hours += hours
        else d.cells.push({ accountId: interval.accountId, region: interval.region, instanceType: interval.instanceType ?? '', hours })
        d.hours += hours
        days.set(key, d)
      }
    }
    for (const i of opened) open.set(instanceKey(i), i)
  }
  return { days: [...days.values()], open: [...open.values()] }
}

async function batchWrite(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  for (let i = 0; i < items.length; i += 25) {
    let request: Record<string, unknown>[] | undefined = items.slice(i, i + 25).map(Item => ({ PutRequest: { Item } }))
    while (request?.length) {
      const out = await doc.send(new BatchWriteCommand({ RequestItems: { [table]: request as never } }))
      request = out.UnprocessedItems?.[table] as Record<string, unknown>[] | undefined
    }
  }
}

/** The recompute: every log of the table (a Scan, page by page), those of the range replayed, reported as the API does. */
async function recompute(doc: DynamoDBDocumentClient, table: string, query: { fromMs: number, toMs: number }, now: number): Promise<SavingsAnswer> {
  const entries: LogEntry[] = []
  let start: Record<string, unknown> | undefined
  do {
    const out = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }))
    for (const item of out.Items ?? []) {
      if (item.kind === 'log' && Date.parse(item.startedAt as string) < query.toMs) entries.push(item as unknown as LogEntry)
    }
    start = out.LastEvaluatedKey
  } while (start)
  const { days, open } = replay(entries)
  return savingsReport(cellsOf(days, open, query, now), query, 'rule', noPrices)
}

export default async function savingsBench(): Promise<boolean> {
  const engine = await startDynalite('ouroboros-bench-savings-')
  const config = parseServerConfig({ tablePrefix: 'bench-savings-', store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: engine.endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } })
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } })
  try {
    await ensureTables(dynamo, config.tables)
    const now = TO + 12 * HOUR
    const query = savingsQuerySchema(() => new Date(now)).parse({ from: new Date(FROM).toISOString().slice(0, 10), to: new Date(TO - DAY).toISOString().slice(0, 10), groupBy: 'rule' })

    // The logs, and the aggregates their record leaves (the same replay, written in the repository's item shape).
    const seeded = performance.now()
    let logItems = 0
    const aggregates: DayAggregate[] = []
    const open: OffInterval[] = []
    for (let r = 0; r < RULES; r++) {
      const entries = Array.from({ length: DAYS }, (_, d) => [runLog(r, d, 'stop'), ...(d + 1 < DAYS ? [runLog(r, d + 1, 'start')] : [])]).flat()
      await batchWrite(doc, config.tables.logs, entries.map(e => ({ ...e, kind: 'log', sortKey: `${e.startedAt}#${e.eventId}`, expiresAt: Math.floor(now / 1000) + 400 * 86_400 })))
      logItems += entries.length
      const replayed = replay(entries)
      aggregates.push(...replayed.days)
      open.push(...replayed.open)
    }
    await batchWrite(doc, config.tables.savings, aggregates.map(d => ({
      pk: `m#${d.day.slice(0, 7)}`, sk: `${d.day}#${d.rule}`, day: d.day, rule: d.rule, hours: d.hours,
      ...Object.fromEntries(d.cells.map(c => [`c:${cellKey(c)}`, c.hours])), applied: new Set([`${d.rule}-${d.day}#0`]),
    })))
    await batchWrite(doc, config.tables.savings, open.map(i => ({ pk: 'off', sk: instanceKey(i), ...i })))
    log(`seeded ${logItems} logs and ${aggregates.length} daily aggregates of ${RULES} rules over ${DAYS} days in ${((performance.now() - seeded) / 1000).toFixed(0)} s`)

    const repository = createSavingsRepository(doc, config.tables.savings, () => new Date(now))
    const ours = () => readSavings({ repository, prices: async () => noPrices }, query, new Date(now))
    const theirs = () => recompute(doc, config.tables.logs, query, now)
    const [a, b] = [await ours(), await theirs()]
    const byRule = (x: SavingsAnswer) => new Map(x.items.map(i => [i.key, i.hours]))
    const same = a.items.length === b.items.length && Math.abs(a.hours - b.hours) < 0.01 * RULES && [...byRule(a)].every(([k, h]) => Math.abs(h - (byRule(b).get(k) ?? -1)) < 0.01)
    const times: { ours: number[], theirs: number[] } = { ours: [], theirs: [] }
    for (let i = 0; i < REPEATS; i++) {
      for (const [side, fn] of [['ours', ours], ['theirs', theirs]] as const) {
        const t0 = performance.now()
        await fn()
        times[side].push(performance.now() - t0)
      }
      log(`repeat ${i + 1}: aggregates ${ms(times.ours.at(-1)!)} ms, recompute ${ms(times.theirs.at(-1)!)} ms`)
    }
    const median = (xs: number[]) => percentile([...xs].sort((x, y) => x - y), 50)
    const [oursMs, theirsMs] = [median(times.ours), median(times.theirs)]
    const ratio = theirsMs / oursMs
    const ok = same && ratio >= PASS_RATIO
    const table = markdownTable(
      ['path', 'reads', 'median', 'vs recompute', 'target'],
      [
        ['recompute from the run logs (baseline)', `${logItems} logs (a Scan), replayed`, `${ms(theirsMs)} ms`, '1x', '-'],
        ['GET /api/savings\'s query path: daily aggregates', `${aggregates.length} aggregates (${monthsBetween(new Date(FROM).toISOString().slice(0, 10), new Date(TO - DAY).toISOString().slice(0, 10)).length} months, a Query each) and ${open.length} open intervals`, `${ms(oursMs)} ms`, `1/${ratio.toFixed(0)}`, `≤ 1/${TARGET_RATIO}, pass at ≤ 1/${PASS_RATIO}: ${ok ? 'PASS' : 'FAIL'}`],
      ],
    )
    writeResults('savings', { rules: RULES, days: DAYS, instances: INSTANCES, logs: logItems, aggregates: aggregates.length, times, ratio, same })
    writeSectionAtomically('savings', `## Savings: a year of daily aggregates against recomputing from the run logs

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${new Date().toISOString()}. Machine: ${machine()}.

${RULES} rules, each stopping ${INSTANCES} instances at 19:00 UTC and starting them at 07:00, for ${DAYS} days: ${logItems} run logs
and the ${aggregates.length} daily aggregates their record leaves, in one dynalite store (the engine of the embedded store;
in AWS the same items are in DynamoDB). Ours is \`readSavings\` grouped by rule over the ${DAYS} days (one Query per month, and the
intervals still open); the baseline recomputes the same answer from the logs: every log read with its outcomes (a Scan, the
cheapest way to read them all) and replayed through the same interval logic. Same hours per rule both ways: ${same ? 'yes' : 'NO'}.
Each side timed ${REPEATS} times, interleaved; medians shown.

${table}

Result: **${ok ? 'PASS' : 'FAIL'}** (measured ratio 1/${ratio.toFixed(1)}).

Both sides read a number of items of the same order (a daily aggregate per rule and day, against two runs per rule and
day): the aggregates are smaller, not fewer. Reaching 1/50 takes fewer items, e.g. a monthly roll-up per rule kept
beside the days (added in the same record under the same run ids) and read for the whole months of a range.`)
    log(`aggregates ${ms(oursMs)} ms, recompute ${ms(theirsMs)} ms: 1/${ratio.toFixed(1)} (${ok ? 'PASS' : 'FAIL'}), same answer: ${same}`)
    return ok
  }
  finally {
    dynamo.destroy()
    await engine.close()
  }
}
