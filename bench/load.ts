// Load benchmark (issue 13, section 5): the built node-server app on the embedded store with 60 rules, 200 concurrent
// clients (autocannon) for 30 s on GET /api/rules?limit=50 and on the server-rendered rules page (/), against the bare
// Nuxt + Element Plus page of the UI benchmark (bench/lib/ui-bare.ts) in the same run.
// Asserted: 0 errors (timeouts included) and 0 non-2xx answers on both of ours. Reported: the server's time per render,
// ours against the bare page's, two ways: one client at a time (latency) and CPU time per answer under load.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { build } from '../scripts/build.mjs'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { startBenchServer } from './lib/server'
import type { BenchServer } from './lib/server'
import { ms } from './lib/stats'
import { buildBareApp } from './lib/ui-bare'
import { serveOutput } from './lib/ui-measure'
import type { Served } from './lib/ui-measure'
import { seedUiData, UI_DATA, UI_RUNS_LOGGED } from './lib/ui-seed'

const COMMAND = 'npm run bench -- load'
const OUTPUT = '.output-bench-load'
const CONNECTIONS = 200
const DURATION_S = 30
// autocannon's default: a request unanswered for 10 s counts as a timeout (an error).
const TIMEOUT_S = 10
const SEQUENTIAL = 300

const log = (line: string) => console.log(`[load] ${line}`)
const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** What autocannon answers, as far as this benchmark reads it. */
interface Histogram { average: number, p50: number, p90: number, p99: number, max: number }
interface CannonResult {
  latency: Histogram
  requests: Histogram & { total: number }
  errors: number
  timeouts: number
  non2xx: number
  duration: number
}

interface Target {
  id: 'api' | 'page' | 'page-uncached' | 'bare'
  label: string
  url: string
  pid: number
  /** Every request with a cookie of its own: the page cache has no copy to serve, so each one is rendered. */
  uncached?: boolean
}

interface Figures {
  target: Target['id']
  /** One client at a time, SEQUENTIAL requests: how long one answer takes the server, with nothing queued. */
  sequential: { p50: number, p99: number, cpuMsPerAnswer: number }
  /** CONNECTIONS clients for DURATION_S. */
  load: { rate: number, answers: number, errors: number, timeouts: number, non2xx: number, p50: number, p99: number, max: number, cpuMsPerAnswer: number }
}

async function buildOurs(): Promise<string> {
  // OUROBOROS_LOAD_OUTPUT=<dir> measures an existing build instead (while tuning); the recorded figures build afresh.
  const reuse = process.env.OUROBOROS_LOAD_OUTPUT
  if (reuse) return reuse
  log(`building the app (nuxt build into ${OUTPUT}) ...`)
  const { status, output } = await build({ NITRO_PRESET: 'node-server', NITRO_OUTPUT_DIR: OUTPUT })
  if (status !== 0) throw new Error(`nuxt build failed (exit ${status}):\n${output}`)
  return OUTPUT
}

/** The CPU time (user + system) a process has used so far, in ms, from /proc (Linux). */
function cpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux); the name (field 2) may hold spaces.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return (Number(fields[11]) + Number(fields[12])) * 10
}

let requestNumber = 0
function cannon(url: string, options: { connections: number, duration?: number, amount?: number, uncached?: boolean }): Promise<CannonResult> {
  const { uncached, ...rest } = options
  // A cookie the app ignores, but that is part of the page cache's key.
  const requests = uncached ? [{ setupRequest: (req: { headers?: Record<string, string> }) => ({ ...req, headers: { ...req.headers, cookie: `bench=${++requestNumber}` } }) }] : undefined
  return autocannon({ url, timeout: TIMEOUT_S, ...(requests ? { requests } : {}), ...rest }) as Promise<CannonResult>
}

async function measure(t: Target): Promise<Figures> {
  // Warm the route (first render, JIT) before anything is timed.
  await cannon(t.url, { connections: 1, amount: 30, uncached: t.uncached })
  let cpu0 = cpuMs(t.pid)
  const seq = await cannon(t.url, { connections: 1, amount: SEQUENTIAL, uncached: t.uncached })
  const seqCpu = (cpuMs(t.pid) - cpu0) / Math.max(1, seq.requests.total)
  await sleep(1000)
  log(`${t.label}: ${CONNECTIONS} clients for ${DURATION_S} s ...`)
  cpu0 = cpuMs(t.pid)
  const load = await cannon(t.url, { connections: CONNECTIONS, duration: DURATION_S, uncached: t.uncached })
  const loadCpu = (cpuMs(t.pid) - cpu0) / Math.max(1, load.requests.total)
  const f: Figures = {
    target: t.id,
    sequential: { p50: seq.latency.p50, p99: seq.latency.p99, cpuMsPerAnswer: seqCpu },
    load: {
      rate: load.requests.total / load.duration,
      answers: load.requests.total,
      errors: load.errors,
      timeouts: load.timeouts,
      non2xx: load.non2xx,
      p50: load.latency.p50,
      p99: load.latency.p99,
      max: load.latency.max,
      cpuMsPerAnswer: loadCpu,
    },
  }
  log(`${t.label}: ${f.load.rate.toFixed(0)} answers/s, ${f.load.errors} errors (${f.load.timeouts} timeouts), ${f.load.non2xx} non-2xx, p99 ${f.load.p99} ms; one at a time p50 ${f.sequential.p50} ms`)
  await sleep(2000)
  return f
}

/** How many of the seeded rules' names the server-rendered page carries (the first page of the list is in the HTML). */
async function rulesInHtml(url: string, names: string[]): Promise<number> {
  const html = await (await fetch(url)).text()
  return names.filter(n => html.includes(`>${n}<`)).length
}

/** Runs the load benchmark; answers true when both of our routes answer every request, in time, with a 2xx. */
export default async function loadBench(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  const outputDir = await buildOurs()
  const bareDir = await buildBareApp(log)
  const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-bench-load-'))
  process.env.NITRO_OUTPUT_DIR = outputDir
  let ours: BenchServer | undefined
  let bare: Served | undefined
  const results: Figures[] = []
  let inHtml: number
  let targets: Target[]
  const load0 = loadavg()[0]!
  try {
    ours = await startBenchServer(dataDir, log, 2000)
    bare = await serveOutput(bareDir)
    log('seeding ...')
    const names = await seedUiData(ours.url)
    await sleep(1000)
    inHtml = await rulesInHtml(`${ours.url}/`, names)
    targets = [
      { id: 'api', label: `GET /api/rules?limit=50`, url: `${ours.url}/api/rules?limit=50`, pid: ours.pid },
      { id: 'page', label: 'rules page (/)', url: `${ours.url}/`, pid: ours.pid },
      { id: 'page-uncached', label: 'rules page (/), a new cookie each time', url: `${ours.url}/`, pid: ours.pid, uncached: true },
      { id: 'bare', label: 'bare page (/)', url: `${bare.url}/`, pid: bare.pid },
    ]
    for (const t of targets) results.push(await measure(t))
  }
  finally {
    await ours?.stop()
    await bare?.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
  const load1 = loadavg()[0]!

  const get = (id: Target['id']) => results.find(r => r.target === id)!
  const LABELS: Record<Target['id'], string> = {
    'api': '`GET /api/rules?limit=50`',
    'page': `rules page (\`/\`, ${inHtml} rules in the HTML), as a browser asks for it`,
    'page-uncached': 'rules page (`/`), every request with a cookie of its own: rendered every time',
    'bare': 'bare Nuxt + Element Plus page (`/`, one table of 20 rows)',
  }
  const verdicts: boolean[] = []
  const check = (ok: boolean) => {
    verdicts.push(ok)
    return ok ? 'PASS' : 'FAIL'
  }
  const bareF = get('bare')
  const rows = targets.map((t) => {
    const f = get(t.id)
    const failed = f.load.errors + f.load.non2xx
    const verdict = t.id === 'bare' || t.id === 'page-uncached' ? '-' : check(failed === 0)
    return [
      LABELS[t.id],
      f.load.rate.toFixed(0),
      String(f.load.answers),
      `${f.load.errors} (${f.load.timeouts} timeouts)`,
      String(f.load.non2xx),
      `${f.load.p50} / ${f.load.p99} / ${f.load.max}`,
      verdict,
    ]
  })
  const table = markdownTable(
    ['route', 'answers/s', 'answers', 'errors', 'non-2xx', 'latency p50 / p99 / max ms', 'target: 0 errors, 0 non-2xx'],
    rows,
  )
  const ratio = (value: number, base: number) => `${(value / base).toFixed(2)}x`
  const renderRows = (['page-uncached', 'page', 'bare', 'api'] as const).map((id) => {
    const f = get(id)
    return [
      LABELS[id],
      `${ms(f.sequential.p50)} / ${ms(f.sequential.p99)}`,
      id === 'bare' ? '1x' : ratio(f.sequential.p50, bareF.sequential.p50),
      ms(f.sequential.cpuMsPerAnswer),
      ms(f.load.cpuMsPerAnswer),
      id === 'bare' ? '1x' : ratio(f.load.cpuMsPerAnswer, bareF.load.cpuMsPerAnswer),
    ]
  })
  const renderTable = markdownTable(
    ['answer', `one client at a time, latency p50 / p99 ms (${SEQUENTIAL} requests)`, 'p50 vs bare', 'server CPU ms per answer, one at a time', `server CPU ms per answer, ${CONNECTIONS} clients`, 'under load vs bare'],
    renderRows,
  )
  const ok = verdicts.every(Boolean)
  const section = `## Load: 200 concurrent clients on the rules list and the server-rendered rules page

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.
Load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end: other processes share the 2 CPUs, and autocannon runs on them too.

- **Ours:** the app built in this run (\`nuxt build\`, node-server preset, into \`${OUTPUT}\`), on the embedded store with ${UI_DATA}
  and ${UI_RUNS_LOGGED} logged runs, requested without a key (the read-only view). The rules page is rendered on the server with its
  first page of rules (${inHtml} rule names found in the HTML).
- **Baseline:** the bare Nuxt + Element Plus page of the UI benchmark (\`bench/lib/ui-bare.ts\`: one \`el-table\` of 20 rows, rendered
  on the server), built in this run and served by its own node-server output.
- autocannon 9.0.0 in the bench process: ${CONNECTIONS} connections for ${DURATION_S} s per route (keep-alive, one request in flight per
  connection, ${TIMEOUT_S} s timeout, which counts as an error), one route after the other, after ${SEQUENTIAL} requests from one connection
  (the "one at a time" figures) and 30 untimed warm-up requests.
  CPU time is the server process's user + system time from \`/proc/<pid>/stat\` over the same requests, divided by the answers.

${table}

What keeps the rules page answering (each measured here; issue 13 saw 108 timeouts in 10 s at 89 answers/s):
- a rendered page is kept for 5 s per URL, cookies, Accept-Language and phone-or-not, under the embedded store's write generation, so
  a write makes every copy unreachable (\`server/utils/http/page-cache.ts\`); a burst renders a page once, and an expired copy is
  served while its next render is under way (at most 10 s old). On DynamoDB, which other processes write, nothing is cached;
- each rule's next run is remembered per schedule until it passes: these rules' expressions match only in 2099, and finding that
  searched day by day on every list request (\`server/utils/rules/next-runs.ts\`);
- the "rendered every time" row is the render itself, with nothing kept: on this machine it still times out under 200 clients, as the
  bare page does.

Server time per render, ours against the bare page's in the same run:

${renderTable}

Result: **${ok ? 'PASS' : 'FAIL'}**${ok ? '' : ` (${verdicts.filter(v => !v).length} of ${verdicts.length} targets missed)`}.
`
  console.log(`\n${table}\n\n${renderTable}\n`)
  const doc = writeSectionAtomically('load', section)
  const raw = writeResults('load', { started, machine: machine(), load: [load0, load1], inHtml, results })
  log(`figures written to ${doc} (raw: ${raw}); took ${((performance.now() - t0) / 1000).toFixed(0)} s: ${ok ? 'PASS' : 'FAIL'}`)
  return ok
}
