// Savings benchmark (issue 19): GET /api/savings's query path over a year of RULES rules (readSavings: the whole
// months from their summaries, or their roll-ups when changed, and the intervals still open), against recomputing the same answer
// from the run logs of the same year (every log read with its outcomes, a Scan, the cheapest way to read them all,
// then replayed through the same interval logic: accountRun, hoursByDay). Both in one dynalite store (the engine of
// the embedded store; in AWS the same items live in DynamoDB), seeded in the same run, timed interleaved.
// The seed: the logs are written as the logs repository writes them; the savings items are what the real record
// (record.ts) leaves for those logs, run over the repository's items in memory (test/helpers/savings-memory.ts) and
// written in batches; a sample rule is also recorded by the DynamoDB repository itself, and its items must equal.
// The first read after the seed makes the months' summaries: timed apart (the cold read), the targets are on the reads
// after it. Asserted: that sample, the same hours per rule and per day both ways, and the query path's median at most
// 1/PASS_RATIO of the recompute's, grouped by rule and by day (the target is 1/TARGET_RATIO; PASS_RATIO leaves a
// margin for a noisy machine). BENCH_SAVINGS_RULES, BENCH_SAVINGS_DAYS and BENCH_SAVINGS_REPEATS scale it down for a
// quick look; the section says what was measured.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { LogEntry, LogTarget } from '../shared/schemas/log'
import { savingsQuerySchema } from '../shared/schemas/savings'
import type { SavingsAnswer, SavingsGroup } from '../shared/schemas/savings'
import { batchWrite } from '../server/utils/batch-write'
import { parseServerConfig } from '../server/utils/config'
import { ensureTables } from '../server/utils/tables'
import { accountRun, hoursByDay, instanceKey } from '../server/utils/savings/intervals'
import type { OffInterval } from '../server/utils/savings/intervals'
import { noPrices } from '../server/utils/savings/prices'
import { readSavings } from '../server/utils/savings/read'
import { recordRun } from '../server/utils/savings/record'
import { cellsOf, savingsReport } from '../server/utils/savings/report'
import { cellKey, createSavingsRepository, monthCountKey, monthsBetween, monthSummaryKey } from '../server/utils/savings/repository'
import type { DayAggregate } from '../server/utils/savings/repository'
import { startDynalite } from '../test/helpers/dynalite'
import { memorySavings } from '../test/helpers/savings-memory'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { ms, percentile } from './lib/stats'

// The command as run: with the scale, when it was scaled down.
const COMMAND = `${['NODE_OPTIONS', 'BENCH_SAVINGS_RULES', 'BENCH_SAVINGS_DAYS', 'BENCH_SAVINGS_REPEATS'].filter(v => process.env[v]).map(v => `${v}=${process.env[v]} `).join('')}npm run bench -- savings`
const RULES = Number(process.env.BENCH_SAVINGS_RULES ?? 1000)
const DAYS = Number(process.env.BENCH_SAVINGS_DAYS ?? 365)
const REPEATS = Number(process.env.BENCH_SAVINGS_REPEATS ?? 3)
const INSTANCES = 4
const TARGET_RATIO = 50
const PASS_RATIO = 65
// Writes in flight at once while seeding.
const SEED_CONCURRENCY = 8
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

/** Writes `items` in SEED_CONCURRENCY streams of batches. */
async function seedItems(doc: DynamoDBDocumentClient, table: string, items: Record<string, unknown>[]): Promise<void> {
  const size = Math.ceil(items.length / SEED_CONCURRENCY)
  await Promise.all(Array.from({ length: SEED_CONCURRENCY }, (_, i) => batchWrite(doc, table, items.slice(i * size, (i + 1) * size).map(Item => ({ PutRequest: { Item } })))))
}

/** Every item of a table, in a comparable form: sets sorted, numbers to 9 digits (DynamoDB adds in decimal). */
async function comparable(doc: DynamoDBDocumentClient, table: string, keep: (item: Record<string, unknown>) => boolean): Promise<string[]> {
  const out: string[] = []
  let start: Record<string, unknown> | undefined
  do {
    const page = await doc.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }))
    for (const item of page.Items ?? []) if (keep(item)) out.push(normal(item))
    start = page.LastEvaluatedKey
  } while (start)
  return out.sort()
}
const normal = (item: Record<string, unknown>) => JSON.stringify(Object.keys(item).sort().map(k => [k, item[k] instanceof Set ? [...item[k] as Set<string>].sort() : typeof item[k] === 'number' ? Number((item[k] as number).toPrecision(9)) : item[k]]))

/** The recompute: every log of the table (a Scan, page by page), those of the range replayed, as the API's cells. */
async function recompute(doc: DynamoDBDocumentClient, table: string, query: { fromMs: number, toMs: number }, now: number): Promise<ReturnType<typeof cellsOf>> {
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
  return cellsOf(days, open, query, now)
}

export default async function savingsBench(): Promise<boolean> {
  const engine = await startDynalite('ouroboros-bench-savings-')
  const config = parseServerConfig({ tablePrefix: 'bench-savings-', store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const sample = parseServerConfig({ tablePrefix: 'bench-savings-sample-', store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: engine.endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } })
  const doc = DynamoDBDocumentClient.from(dynamo, { marshallOptions: { removeUndefinedValues: true } })
  try {
    await ensureTables(dynamo, config.tables)
    await ensureTables(dynamo, { savings: sample.tables.savings })
    const now = TO + 12 * HOUR
    const clock = () => new Date(FROM)
    const range = { from: new Date(FROM).toISOString().slice(0, 10), to: new Date(TO - DAY).toISOString().slice(0, 10) }
    const query = (groupBy: SavingsGroup) => savingsQuerySchema(() => new Date(now)).parse({ ...range, groupBy })

    // The logs as the logs repository writes them, and what the record leaves for them, rule by rule (rules share no
    // instance), recorded in memory by the real record and written in batches.
    const seeded = performance.now()
    let logItems = 0
    const memory = memorySavings({ clock })
    for (let r = 0; r < RULES; r++) {
      const entries = Array.from({ length: DAYS }, (_, d) => [runLog(r, d, 'stop'), ...(d + 1 < DAYS ? [runLog(r, d + 1, 'start')] : [])]).flat()
      await seedItems(doc, config.tables.logs, entries.map(e => ({ ...e, kind: 'log', sortKey: `${e.startedAt}#${e.eventId}`, expiresAt: Math.floor(now / 1000) + 400 * 86_400 })))
      logItems += entries.length
      for (const entry of entries) await recordRun(memory, entry)
      if ((r + 1) % 100 === 0) log(`seeded ${r + 1} rules (${((performance.now() - seeded) / 1000).toFixed(0)} s, heap ${(process.memoryUsage().heapUsed / 2 ** 30).toFixed(1)} GiB)`)
    }
    const items = memory.items()
    await seedItems(doc, config.tables.savings, items)
    const count = (pk: string) => items.filter(i => String(i.pk).startsWith(pk)).length
    const [dayItems, rollupItems, openItems] = [count('m#'), count('r#'), count('off')]
    log(`seeded ${logItems} logs, ${dayItems} daily aggregates, ${rollupItems} monthly roll-ups and ${openItems} open intervals of ${RULES} rules over ${DAYS} days in ${((performance.now() - seeded) / 1000).toFixed(0)} s`)

    // The sample: the first rule's runs recorded by the DynamoDB repository leave the items the seed wrote for it.
    const real = createSavingsRepository(doc, sample.tables.savings, clock)
    for (let d = 0; d < DAYS; d++) {
      await recordRun(real, runLog(0, d, 'stop'))
      if (d + 1 < DAYS) await recordRun(real, runLog(0, d + 1, 'start'))
    }
    const first = ruleName(0)
    // The months' counts of adds (rv) are the whole fleet's in the seed and the first rule's in the sample.
    const ofFirst = (i: Record<string, unknown>) => i.rule === first || i.pk === 'rollup'
    const seededFirst = (await comparable(doc, config.tables.savings, ofFirst))
    const recordedFirst = await comparable(doc, sample.tables.savings, i => i.pk !== monthCountKey('').pk)
    const sampleSame = seededFirst.length > 0 && JSON.stringify(seededFirst) === JSON.stringify(recordedFirst)
    log(`the sample rule's ${recordedFirst.length} items, recorded by the DynamoDB repository, equal the seed's: ${sampleSame}`)

    const repository = createSavingsRepository(doc, config.tables.savings, () => new Date(now))
    const ours = (groupBy: SavingsGroup) => readSavings({ repository, prices: async () => noPrices }, query(groupBy), new Date(now))
    const byKey = (x: SavingsAnswer) => new Map(x.items.map(i => [i.key, i.hours]))
    const same = (a: SavingsAnswer, b: SavingsAnswer) => a.items.length === b.items.length && Math.abs(a.hours - b.hours) < 0.01 * a.items.length && [...byKey(a)].every(([k, h]) => Math.abs(h - (byKey(b).get(k) ?? -1)) < 0.01)
    // What the query path reads: the items its Queries and BatchGets answer, by kind. The first read after the record
    // reads the roll-ups and makes the months' summaries (month-summary.ts): it is timed apart, as the cold read; a
    // second, counted too, reads what every later read does.
    const counted = () => ({ rollups: 0, days: 0, summaries: 0 })
    let reads = counted()
    const counting = { send: async (command: unknown) => {
      const out = await doc.send(command as never) as { Items?: Record<string, unknown>[], Responses?: Record<string, Record<string, unknown>[]> }
      for (const item of [...(out.Items ?? []), ...Object.values(out.Responses ?? {}).flat()]) {
        if (String(item.pk).startsWith('r#')) reads.rollups++
        else if (String(item.pk).startsWith('m#')) reads.days++
        else if (item.pk === monthSummaryKey('').pk) reads.summaries++
      }
      return out
    } } as unknown as DynamoDBDocumentClient
    const countedRead = async () => {
      reads = counted()
      const t0 = performance.now()
      await readSavings({ repository: createSavingsRepository(counting, config.tables.savings, () => new Date(now)), prices: async () => noPrices }, query('rule'), new Date(now))
      return { ms: performance.now() - t0, reads }
    }
    const cold = await countedRead()
    const warm = await countedRead()
    log(`cold read by rule: ${ms(cold.ms)} ms, ${JSON.stringify(cold.reads)}; the next: ${ms(warm.ms)} ms, ${JSON.stringify(warm.reads)}`)
    // Timed interleaved; the answers of the first repeat are compared (the recompute's, by day, from its own cells,
    // untimed: a recompute of a year of a large fleet takes minutes).
    const times = { rule: [] as number[], day: [] as number[], recompute: [] as number[] }
    const answers: Partial<Record<'rule' | 'day' | 'theirsRule' | 'theirsDay', SavingsAnswer>> = {}
    const timed = async <T>(side: keyof typeof times, fn: () => Promise<T>): Promise<T> => {
      const t0 = performance.now()
      const out = await fn()
      times[side].push(performance.now() - t0)
      return out
    }
    for (let i = 0; i < REPEATS; i++) {
      const byRule = await timed('rule', () => ours('rule'))
      const byDay = await timed('day', () => ours('day'))
      answers.rule ??= byRule
      answers.day ??= byDay
      const { cells, answer } = await timed('recompute', async () => {
        const cells = await recompute(doc, config.tables.logs, query('rule'), now)
        return { cells, answer: await savingsReport(cells, query('rule'), 'rule', noPrices) }
      })
      answers.theirsRule ??= answer
      if (i === 0) answers.theirsDay = await savingsReport(cells, query('day'), 'day', noPrices)
      log(`repeat ${i + 1}: by rule ${ms(times.rule.at(-1)!)} ms, by day ${ms(times.day.at(-1)!)} ms, recompute ${ms(times.recompute.at(-1)!)} ms`)
    }
    const sameRule = same(answers.rule!, answers.theirsRule!)
    const sameDay = same(answers.day!, answers.theirsDay!)
    const median = (xs: number[]) => percentile([...xs].sort((x, y) => x - y), 50)
    const [ruleMs, dayMs, theirsMs] = [median(times.rule), median(times.day), median(times.recompute)]
    const [ruleRatio, dayRatio] = [theirsMs / ruleMs, theirsMs / dayMs]
    const passes = (ratio: number) => ratio >= PASS_RATIO
    // The reads after the first read the months' summaries, not their roll-ups.
    const summariesUsed = warm.reads.rollups === 0 && warm.reads.summaries > 0
    const ok = sampleSame && sameRule && sameDay && summariesUsed && passes(ruleRatio) && passes(dayRatio)
    const months = monthsBetween(range.from, range.to).length
    const verdict = (ratio: number) => `≤ 1/${TARGET_RATIO}, pass at ≤ 1/${PASS_RATIO}: ${passes(ratio) ? 'PASS' : 'FAIL'}`
    const readsOf = (r: ReturnType<typeof counted>) => `${r.summaries} month summaries, ${r.rollups} monthly roll-ups (a Query a month), ${r.days} daily aggregates and ${openItems} open intervals`
    const coldRatio = theirsMs / cold.ms
    const table = markdownTable(
      ['path', 'reads', 'median', 'vs recompute', 'target'],
      [
        ['recompute from the run logs (baseline)', `${logItems} logs (a Scan), replayed`, `${ms(theirsMs)} ms`, '1x', '-'],
        ['GET /api/savings\'s query path, by rule, the first read after the record (makes the summaries; once)', readsOf(cold.reads), `${ms(cold.ms)} ms (one read)`, `1/${coldRatio.toFixed(0)}`, `not a target (≤ 1/${TARGET_RATIO}: ${coldRatio >= TARGET_RATIO ? 'met' : 'not met'})`],
        ['GET /api/savings\'s query path, by rule', readsOf(warm.reads), `${ms(ruleMs)} ms`, `1/${ruleRatio.toFixed(0)}`, verdict(ruleRatio)],
        ['GET /api/savings\'s query path, by day', readsOf(warm.reads), `${ms(dayMs)} ms`, `1/${dayRatio.toFixed(0)}`, verdict(dayRatio)],
      ],
    )
    writeResults('savings', { rules: RULES, days: DAYS, instances: INSTANCES, logs: logItems, dayItems, rollupItems, openItems, cold, warm, times, ruleRatio, dayRatio, sampleSame, sameRule, sameDay })
    writeSectionAtomically('savings', `## Savings: a year of monthly roll-ups against recomputing from the run logs

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${new Date().toISOString()}. Machine: ${machine()}.

${RULES} rules, each stopping ${INSTANCES} instances at 19:00 UTC and starting them at 07:00, for ${DAYS} days: ${logItems} run logs,
and what their record leaves: ${dayItems} daily aggregates, ${rollupItems} monthly roll-ups (one per month and rule) and
${openItems} open intervals, in one dynalite store (the engine of the embedded store; in AWS the same items are in DynamoDB).
The savings items were recorded by the real record (\`recordRun\`) over the repository's items in memory and written in
batches; the first rule's runs, recorded by the DynamoDB repository itself, leave the same items: ${sampleSame ? 'yes' : 'NO'}.
Ours is \`readSavings\` over the ${DAYS} days (${months} whole months, and the intervals still open): the first read after the
record reads each month's roll-ups (one Query per month) and keeps their sum as the month's summary, with the count of
adds it saw (\`server/utils/savings/month-summary.ts\`); each later read gets the months' counts and summaries in one
BatchGet, and reads a month's roll-ups again only when something was added to them since. Grouped by rule and by day (the page asks for both, and by account, which reads what the rule's grouping reads);
the baseline recomputes the same answer from the logs: every log read with its outcomes (a Scan, the cheapest way to
read them all) and replayed through the same interval logic. Same hours per rule both ways: ${sameRule ? 'yes' : 'NO'}; per day: ${sameDay ? 'yes' : 'NO'}.
Each path timed ${REPEATS} times, interleaved, after the first read; medians shown. The targets are on those reads: the page's
own, since a whole past month changes only when an interval closes into it late.

${table}

Result: **${ok ? 'PASS' : 'FAIL'}** (measured ratios 1/${ruleRatio.toFixed(1)} by rule, 1/${dayRatio.toFixed(1)} by day; the reads after the first read no roll-up: ${summariesUsed ? 'yes' : 'NO'}).

A range's whole months are read from their summaries (or, once changed, their roll-ups: an item per rule and month),
and only the days of a partial month at either end from the daily aggregates.`)
    log(`by rule ${ms(ruleMs)} ms, by day ${ms(dayMs)} ms, recompute ${ms(theirsMs)} ms: 1/${ruleRatio.toFixed(1)} and 1/${dayRatio.toFixed(1)} (${ok ? 'PASS' : 'FAIL'}), same answers: ${sameRule} ${sameDay}`)
    return ok
  }
  finally {
    dynamo.destroy()
    await engine.close()
  }
}
