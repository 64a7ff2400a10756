// Paging benchmark (issue 2, section 8): list pages served from the indexes, against a Scan-and-filter baseline
// that produces the same pages without them, on 10,000 rules and 100,000 runs in the embedded store.
// Asserted: ours reads exactly what it answers (ScannedCount/Count = 1.0), and its p50 is at most 1/20 of the baseline's.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { DynamoDBDocumentClient, ScanCommandInput } from '@aws-sdk/lib-dynamodb'
import { createLogsRepository } from '../server/utils/logs'
import { createRulesRepository } from '../server/utils/rules/repository'
import { openStore } from '../server/utils/store'
import { DATA, embeddedConfig, seededDataDir } from './lib/paging-data'
import type { Item } from './lib/seed'
import { machine, markdownTable, writeResults, writeSection } from './lib/report'
import { startBenchServer } from './lib/server'
import { ms, time } from './lib/stats'
import type { Timing } from './lib/stats'

const LIMIT = 50
const RULES_DEEP_PAGE = 100
const LOGS_DEEP_PAGE = 15
const COMMAND = 'npm run bench -- paging'

// Ours is fast: many repetitions. The baseline reads the whole table each time: fewer, within a time budget.
const OURS = { warmup: 10, reps: 100 }
const BASELINE = { warmup: 1, reps: 30, minReps: 5, budgetMs: 15_000 }

const TARGET_RATIO = 1 / 20

interface Case {
  id: string
  label: string
  list: 'rules' | 'logs'
  page: number
}

const CASES: Case[] = [
  { id: 'rules-first', label: `\`GET /api/rules?limit=${LIMIT}\`, page 1`, list: 'rules', page: 1 },
  { id: 'rules-deep', label: `\`GET /api/rules?limit=${LIMIT}&cursor=…\`, page ${RULES_DEEP_PAGE}`, list: 'rules', page: RULES_DEEP_PAGE },
  { id: 'logs-first', label: `\`GET /api/logs?rule=${DATA.hotRule}&limit=${LIMIT}\`, page 1`, list: 'logs', page: 1 },
  { id: 'logs-deep', label: `\`GET /api/logs?rule=${DATA.hotRule}&limit=${LIMIT}&cursor=…\`, page ${LOGS_DEEP_PAGE}`, list: 'logs', page: LOGS_DEEP_PAGE },
]

interface Reads {
  calls: number
  scanned: number
  count: number
  served: number
}

interface CaseResult {
  http: Timing
  ours: Timing
  baseline: Timing
  oursReads: Reads
  baselineReads: Reads
}

const log = (line: string) => console.log(`[paging] ${line}`)

/** The key that identifies an item of a page, to check that every way of listing answers the same page. */
const keyOf = (list: Case['list'], item: Item) => String(list === 'rules' ? item.name : item.eventId)

/** A document client that counts what each Query or Scan read: ScannedCount and Count from every output. */
function metered(doc: DynamoDBDocumentClient) {
  const reads: Reads = { calls: 0, scanned: 0, count: 0, served: 0 }
  const client = {
    send: async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      const out = await doc.send(command) as { ScannedCount?: number, Count?: number }
      reads.calls++
      reads.scanned += out.ScannedCount ?? 0
      reads.count += out.Count ?? 0
      return out
    },
  } as unknown as DynamoDBDocumentClient
  // Counts the reads of one call of `fn`, and how many items it answered.
  const measure = async (fn: () => Promise<Item[]>): Promise<Reads> => {
    Object.assign(reads, { calls: 0, scanned: 0, count: 0 })
    const items = await fn()
    return { ...reads, served: items.length }
  }
  return { client, measure }
}

async function scanAll(doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> {
  const items: Item[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const out = await doc.send(new ScanCommand({ ...input, ExclusiveStartKey }))
    items.push(...(out.Items ?? []))
    ExclusiveStartKey = out.LastEvaluatedKey
  } while (ExclusiveStartKey)
  return items
}

/** The baseline: the same pages with no index, by Scan (and filter), sort and slice, in the stored shape the API answers. */
function scanBaseline(doc: DynamoDBDocumentClient, tables: { rules: string, logs: string }) {
  const slice = (items: Item[], page: number) => items.slice((page - 1) * LIMIT, page * LIMIT)
  return {
    rules: async (page: number): Promise<Item[]> => {
      const items = await scanAll(doc, { TableName: tables.rules })
      items.sort((a, b) => (String(a.name) < String(b.name) ? -1 : 1))
      return slice(items, page).map(({ kind: _k, searchText: _s, ...rule }) => rule)
    },
    logs: async (rule: string, page: number): Promise<Item[]> => {
      const items = await scanAll(doc, {
        TableName: tables.logs,
        FilterExpression: '#rule = :rule',
        ExpressionAttributeNames: { '#rule': 'ruleName' },
        ExpressionAttributeValues: { ':rule': rule },
      })
      items.sort((a, b) => (String(a.sortKey) < String(b.sortKey) ? 1 : -1))
      return slice(items, page).map(({ kind: _k, sortKey: _s, expiresAt: _e, targets: _t, ...entry }) => entry)
    },
  }
}

/** Follows cursors from page 1 to the cursor that opens page `page` (undefined for page 1). */
async function cursorOf(page: number, next: (cursor?: string) => Promise<string | null>): Promise<string | undefined> {
  let cursor: string | undefined
  for (let p = 1; p < page; p++) {
    const c = await next(cursor)
    if (!c) throw new Error(`the list ended before page ${page}`)
    cursor = c
  }
  return cursor
}

type HttpResults = Map<string, { timing: Timing, keys: string[] }>

/** Phase 1: the built server on the seeded data, timed over HTTP. Answers timings and each page's item keys. */
async function measureHttp(dataDir: string) {
  const server = await startBenchServer(dataDir, log)
  const results: HttpResults = new Map()
  try {
    const get = async (path: string) => {
      const res = await fetch(`${server.url}${path}`)
      if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`)
      return await res.json() as { items: Item[], cursor: string | null }
    }
    for (const c of CASES) {
      const base = c.list === 'rules' ? `/api/rules?limit=${LIMIT}` : `/api/logs?rule=${DATA.hotRule}&limit=${LIMIT}`
      const url = (cursor?: string) => (cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base)
      const cursor = await cursorOf(c.page, async cur => (await get(url(cur))).cursor)
      const page = await get(url(cursor))
      const timing = await time(() => get(url(cursor)), OURS)
      results.set(c.id, { timing, keys: page.items.map(i => keyOf(c.list, i)) })
      log(`HTTP ${c.id}: p50 ${ms(timing.p50)} ms, p95 ${ms(timing.p95)} ms (${timing.reps} reps)`)
    }
  }
  finally {
    await server.stop()
  }
  return { results, settled: server.settled, settleMs: server.settleMs }
}

/** Phase 2: the repositories and the baseline in this process, on the same dynalite endpoint. */
async function measureInProcess(dataDir: string, http: HttpResults) {
  const config = embeddedConfig(dataDir)
  const store = await openStore(config)
  const { client, measure } = metered(store.doc)
  const rules = createRulesRepository(client, config.tables.rules)
  const logs = createLogsRepository(client, config.tables.logs, config.logRetentionDays)
  const baseline = scanBaseline(client, config.tables)
  const results = new Map<string, CaseResult>()
  const problems: string[] = []
  try {
    for (const c of CASES) {
      const list = (cursor?: string) => (c.list === 'rules'
        ? rules.list({ limit: LIMIT, cursor })
        : logs.list({ limit: LIMIT, cursor, rule: DATA.hotRule }))
      const cursor = await cursorOf(c.page, async cur => (await list(cur)).cursor)
      const ours = async () => (await list(cursor)).items as unknown as Item[]
      const theirs = () => (c.list === 'rules' ? baseline.rules(c.page) : baseline.logs(DATA.hotRule, c.page))

      // The same page three ways: over HTTP, from the repository, from the baseline.
      const oursKeys = (await ours()).map(i => keyOf(c.list, i))
      const theirKeys = (await theirs()).map(i => keyOf(c.list, i))
      const httpKeys = http.get(c.id)!.keys
      if (oursKeys.length !== LIMIT) problems.push(`${c.id}: the repository answered ${oursKeys.length} items, not ${LIMIT}`)
      if (oursKeys.join() !== theirKeys.join()) problems.push(`${c.id}: the baseline answered a different page than the repository`)
      if (oursKeys.join() !== httpKeys.join()) problems.push(`${c.id}: the HTTP API answered a different page than the repository`)

      const oursReads = await measure(ours)
      const baselineReads = await measure(theirs)
      const oursTiming = await time(ours, OURS)
      log(`in-process ${c.id}: ours p50 ${ms(oursTiming.p50)} ms; timing the baseline ...`)
      const baselineTiming = await time(theirs, BASELINE)
      log(`in-process ${c.id}: baseline p50 ${ms(baselineTiming.p50)} ms (${baselineTiming.reps} reps)`)
      results.set(c.id, { http: http.get(c.id)!.timing, ours: oursTiming, baseline: baselineTiming, oursReads, baselineReads })
    }
  }
  finally {
    await store.close()
  }
  // The baseline read the whole tables: check they hold the seeded data (the server could have changed them).
  const expected = { 'rules-first': DATA.rules, 'logs-first': DATA.logs }
  for (const [id, total] of Object.entries(expected)) {
    const scanned = results.get(id)?.baselineReads.scanned
    if (scanned !== total) problems.push(`${id}: the table holds ${scanned} items, not the ${total} seeded`)
  }
  return { results, problems }
}

const ratio = (ours: number, baseline: number) => ours / baseline
const asFraction = (r: number) => `1/${(1 / r).toFixed(0)}`
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')

function report(results: Map<string, CaseResult>, seed: Awaited<ReturnType<typeof seededDataDir>>, server: { settled: boolean, settleMs: number }, started: Date) {
  const checks: { figure: string, ok: boolean }[] = []
  const latencyRows = CASES.map((c) => {
    const r = results.get(c.id)!
    const httpRatio = ratio(r.http.p50, r.baseline.p50)
    const inRatio = ratio(r.ours.p50, r.baseline.p50)
    const ok = httpRatio <= TARGET_RATIO && inRatio <= TARGET_RATIO
    checks.push({ figure: `${c.id} p50 ratio`, ok })
    return [
      c.label,
      `${ms(r.http.p50)} / ${ms(r.http.p95)}`,
      `${ms(r.ours.p50)} / ${ms(r.ours.p95)}`,
      `${ms(r.baseline.p50)} / ${ms(r.baseline.p95)} (${r.baseline.reps} reps)`,
      asFraction(httpRatio),
      asFraction(inRatio),
      verdict(ok),
    ]
  })
  const readRows = CASES.map((c) => {
    const r = results.get(c.id)!
    const o = r.oursReads
    const b = r.baselineReads
    const ok = o.scanned === o.count && o.count === o.served && o.served === LIMIT
    checks.push({ figure: `${c.id} ScannedCount/Count`, ok })
    return [
      c.label,
      `${o.scanned} / ${o.count} = ${(o.scanned / o.count).toFixed(1)} (${o.calls} Query)`,
      `${(o.scanned / o.served).toFixed(1)}`,
      `${b.scanned} / ${b.count} = ${(b.scanned / b.count).toFixed(1)} (${b.calls} Scan)`,
      `${(b.scanned / b.served).toFixed(0)}`,
      verdict(ok),
    ]
  })

  const latency = markdownTable(
    ['page (limit 50)', 'ours over HTTP, p50 / p95 ms', 'ours in-process, p50 / p95 ms', 'baseline in-process, p50 / p95 ms', 'p50 ratio HTTP / baseline', 'p50 ratio in-process / baseline', `target ≤ 1/${1 / TARGET_RATIO}`],
    latencyRows,
  )
  const reads = markdownTable(
    ['page (limit 50)', 'ours ScannedCount / Count', 'ours items read per item served', 'baseline ScannedCount / Count', 'baseline items read per item served', 'target: ours 1.0'],
    readRows,
  )
  const seedLine = seed.fresh
    ? `seeded in this run in ${(seed.seedMs.total / 1000).toFixed(1)} s (rules ${(seed.seedMs.rules / 1000).toFixed(1)} s, runs ${(seed.seedMs.logs / 1000).toFixed(1)} s)`
    : `reused from bench/.cache (seeded ${seed.seededAt} in ${(seed.seedMs.total / 1000).toFixed(1)} s: rules ${(seed.seedMs.rules / 1000).toFixed(1)} s, runs ${(seed.seedMs.logs / 1000).toFixed(1)} s)`
  const ok = checks.every(c => c.ok)

  const section = `## Paging: index Query against Scan-and-filter

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.

Data: the embedded store (dynalite on disk), opened as the app opens it, with ${DATA.rules.toLocaleString('en')} rules and ${DATA.logs.toLocaleString('en')} runs
of ${DATA.rulesWithLogs} rules; the hot rule \`${DATA.hotRule}\` has ${DATA.hotRuns.toLocaleString('en')} runs. Items are built by the repositories and written with BatchWriteItem;
${seedLine}.

- **Ours:** \`rules.list\` and \`logs.list\`, one Query on the \`by-name\` or \`by-rule\` index per page. Over HTTP: the built server (\`.output/server/index.mjs\`)
  on that data, each page requested ${OURS.reps} times after ${OURS.warmup} warm-up requests; deep pages are reached by following cursors, then that one page is timed.
  ${server.settled
    ? `Timing started once the local scheduler's start-up reconcile had finished (${(server.settleMs / 1000).toFixed(1)} s after the start, with ${DATA.rules.toLocaleString('en')} rules).`
    : 'The local scheduler\'s start-up reconcile was not seen to finish: the HTTP timings may include its load.'}
  In-process: the same repository calls in the bench process, ${OURS.reps} times.
- **Baseline:** the same pages without indexes, in the bench process through the same dynalite endpoint: Scan the whole table (following
  LastEvaluatedKey), with \`FilterExpression ruleName = :r\` for one rule's runs; sort by name, or newest first; slice the page.
  Timed ${BASELINE.minReps}–${BASELINE.reps} times (within ${BASELINE.budgetMs / 1000} s per page) after ${BASELINE.warmup} warm-up.
- Every page was checked to be the same items three ways (HTTP, repository, baseline). The HTTP ratio compares HTTP round trips with
  an in-process baseline, so it favours the baseline.

${latency}

ScannedCount and Count are summed over the DynamoDB calls of one page, captured from their outputs in-process. The baseline's
ScannedCount/Count is 1.0 for rules only because it has no filter: it still reads every rule to answer 50, as the last column shows.

${reads}

Result: **${verdict(ok)}**${ok ? '' : ` (${checks.filter(c => !c.ok).map(c => c.figure).join(', ')})`}.
`
  return { section, latency, reads, checks, ok }
}

/** Runs the paging benchmark; answers true when every asserted figure passes. */
export default async function paging(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  const seed = await seededDataDir(log)
  const http = await measureHttp(seed.dataDir)
  const { results, problems } = await measureInProcess(seed.dataDir, http.results)
  if (problems.some(p => p.includes('seeded'))) {
    // The cached data is not what was seeded: drop it so the next run seeds afresh.
    rmSync(join(seed.dataDir, 'seed.json'), { force: true })
  }
  const out = report(results, seed, http, started)
  for (const c of out.checks) console.log(`${verdict(c.ok)}  ${c.figure}`)
  for (const p of problems) console.log(`FAIL  ${p}`)
  console.log(`\n${out.latency}\n\n${out.reads}\n`)
  const ok = out.ok && problems.length === 0
  const doc = writeSection('paging', problems.length ? `${out.section}\nProblems: ${problems.join('; ')}.\n` : out.section)
  const raw = writeResults('paging', { started, seed, machine: machine(), problems, results: Object.fromEntries(results) })
  log(`figures written to ${doc} (raw: ${raw}); took ${((performance.now() - t0) / 1000).toFixed(0)} s: ${verdict(ok)}`)
  return ok
}
