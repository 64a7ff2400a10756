// UI benchmark (issue 5, section 4): the JavaScript the rules page loads (gzip bytes) and its first contentful paint
// in headless Chromium, against a bare Nuxt + Element Plus page with one table, built the same way in the same run.
// Asserted: the rules page loads at most 1.5x the bare page's gzipped JavaScript.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from '../scripts/build.mjs'
import { launchBrowser } from '../test/e2e/helpers/browser'
import { machine, markdownTable, ROOT, writeResults, writeSection } from './lib/report'
import { percentile } from './lib/stats'
import { buildBareApp } from './lib/ui-bare'
import { loadOnce, serveOutput } from './lib/ui-measure'
import type { PageLoad, Served } from './lib/ui-measure'

const COMMAND = 'npm run bench -- ui'
const OURS_OUTPUT = '.output-bench-ui'
const RULES = 20
const RUNS = 15
const TARGET_RATIO = 1.5
const KEY = 'bench-ui-admin-key-0123456789'
// The first row of a table: the rules page and the bare page both show one.
const READY = '.el-table__body .el-table__row'

const log = (line: string) => console.log(`[ui] ${line}`)
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`
const ms = (value: number) => value.toFixed(0)

interface Summary {
  load: PageLoad
  fcp: { p50: number, p95: number }
  ready: { p50: number, p95: number }
  runs: number
}

function summarise(loads: PageLoad[]): Summary {
  const sorted = (key: 'fcp' | 'ready') => loads.map(l => l[key]).filter(Number.isFinite).sort((a, b) => a - b)
  const fcp = sorted('fcp')
  const ready = sorted('ready')
  return {
    load: loads[0]!,
    fcp: { p50: percentile(fcp, 50), p95: percentile(fcp, 95) },
    ready: { p50: percentile(ready, 50), p95: percentile(ready, 95) },
    runs: loads.length,
  }
}

async function buildOurs(): Promise<string> {
  // OUROBOROS_UI_BENCH_OUTPUT=<dir> measures an existing build instead (while tuning); the recorded figures build afresh.
  const reuse = process.env.OUROBOROS_UI_BENCH_OUTPUT
  if (reuse) return reuse
  log(`building the app (nuxt build into ${OURS_OUTPUT}) ...`)
  const { status, output } = await build({ NITRO_PRESET: 'node-server', NITRO_OUTPUT_DIR: OURS_OUTPUT })
  if (status !== 0) throw new Error(`nuxt build failed (exit ${status}):\n${output}`)
  return join(ROOT, OURS_OUTPUT)
}

/** Our app with a page of rules to show, as a visitor sees it. */
async function serveOurs(outputDir: string, dataDir: string): Promise<Served> {
  const served = await serveOutput(outputDir, {
    NUXT_DATA_DIR: dataDir,
    NUXT_STORE: 'embedded',
    NUXT_SCHEDULER: 'local',
    NUXT_ADMIN_API_KEY: KEY,
    AWS_REGION: 'us-east-1',
    // Nothing leaves the machine: any AWS call besides the embedded store goes to a closed port.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  })
  for (let i = 0; i < RULES; i++) {
    const res = await fetch(`${served.url}/api/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({
        name: `web-nightly-stop-${String(i).padStart(2, '0')}`, description: 'Stop the web tier at night',
        accountId: '123456789012', regions: ['eu-west-1'], action: 'stop', filters: 'tag:Name=web,vpc-id=vpc-4085e027',
        // Never fires during the run.
        scheduleExpression: 'cron(0 3 1 1 ? 2099)', timezone: 'Europe/Berlin',
      }),
    })
    if (res.status !== 201) throw new Error(`seeding a rule: ${res.status} ${await res.text()}`)
  }
  return served
}

/** Runs the UI benchmark; answers true when the rules page's gzipped JavaScript is within the target. */
export default async function ui(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  const oursDir = await buildOurs()
  const bareDir = await buildBareApp(log)
  const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-bench-ui-'))
  const ours = await serveOurs(oursDir, dataDir)
  const bare = await serveOutput(bareDir)
  const browser = await launchBrowser()
  const loads = { ours: [] as PageLoad[], bare: [] as PageLoad[] }
  try {
    // One warm-up load each (the servers' first render), then alternate so that both see the same machine.
    await loadOnce(browser, `${ours.url}/`, READY)
    await loadOnce(browser, `${bare.url}/`, READY)
    for (let i = 0; i < RUNS; i++) {
      loads.ours.push(await loadOnce(browser, `${ours.url}/`, READY))
      loads.bare.push(await loadOnce(browser, `${bare.url}/`, READY))
    }
  }
  finally {
    await browser.close()
    await ours.stop()
    await bare.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }

  const o = summarise(loads.ours)
  const b = summarise(loads.bare)
  const ratio = o.load.jsGzip / b.load.jsGzip
  const ok = ratio <= TARGET_RATIO
  // Every load must have fetched the same JavaScript, or the byte figures mean nothing.
  const steady = (l: PageLoad[]) => l.every(x => x.jsGzip === l[0]!.jsGzip)
  const problems = [!steady(loads.ours) && 'the rules page loaded different JavaScript between runs', !steady(loads.bare) && 'the bare page loaded different JavaScript between runs'].filter(Boolean)

  const row = (label: string, s: Summary, r: string) => [
    label,
    String(s.load.scripts.length),
    kb(s.load.jsBytes),
    `**${kb(s.load.jsGzip)}**`,
    kb(s.load.cssGzip),
    `${ms(s.fcp.p50)} / ${ms(s.fcp.p95)}`,
    `${ms(s.ready.p50)} / ${ms(s.ready.p95)}`,
    r,
  ]
  const table = markdownTable(
    ['page', 'JS files', 'JS as served', 'JS gzip', 'CSS gzip', 'FCP p50 / p95 ms', 'first table row p50 / p95 ms', `JS gzip ratio (target ≤ ${TARGET_RATIO})`],
    [
      row(`rules page (\`/\`, ${RULES} rules, read-only visitor)`, o, `${ratio.toFixed(2)}x: ${ok ? 'PASS' : 'FAIL'}`),
      row('bare Nuxt + Element Plus, one table of 20 rows', b, '1.00x'),
    ],
  )
  const biggest = [...o.load.scripts].sort((x, y) => y.gzip - x.gzip).slice(0, 6)
  const files = markdownTable(['rules page script', 'as served', 'gzip'], biggest.map(s => [`\`${s.url.replace(/^\/_nuxt\//, '')}\``, kb(s.bytes), kb(s.gzip)]))

  const section = `## UI: JavaScript and first paint of the rules page

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.

- **Ours:** the rules page (\`/\`) of the app, built in this run (\`nuxt build\`, node-server preset, into \`${OURS_OUTPUT}\`), on the embedded store with ${RULES} rules,
  opened by a visitor without a key. The create/edit dialog and its helpers are lazy chunks: they load when the dialog opens, not here.
- **Baseline:** a bare Nuxt app with \`@element-plus/nuxt\` and one page (\`pages/index.vue\`, so Nuxt's router is in, as in any app with more than one
  screen) holding one \`el-table\` of 20 rows (\`bench/lib/ui-bare.ts\`), built the same way in \`bench/.cache/ui-bare\` with the project's node_modules
  and served by its own node-server output.
- Headless Chromium (\`/usr/bin/chromium\`, the flags of \`test/e2e/helpers/browser.ts\`), 1440×900, a fresh context (empty cache) per load, one warm-up
  load each, then ${RUNS} loads of each page, alternating. "JS" is every script response the page loaded until the network was idle, as served
  (Nitro serves them uncompressed) and gzipped here at level 9; FCP is the browser's \`first-contentful-paint\`; "first table row" is when a table row
  was first in the document (the rules arrive from \`GET /api/rules\` after hydration; the bare page renders its rows on the server).

${table}

What keeps the rules page within budget (each was measured; the first version loaded 2.06x the bare page):
- every control that changes something (New rule, Edit / Run now / Delete, the enabled switch) and every dialog (sign-in, confirm, create/edit with
  its filter builder, schedule helper, time-zone list and zod schemas) is a lazy component: a read-only visitor never downloads them;
- toasts load Element Plus's message code on the first toast; Element Plus's Chinese texts load only for Chinese;
- the header, the pager and the search boxes use native buttons, select and inputs styled with Element Plus's variables (\`ElButton\` alone brings a
  colour library of about 6 KiB gzip; \`ElSelect\` and \`ElInput\` bring more);
- links prefetch the next page on hover or focus, not as soon as they are visible;
- \`@nuxtjs/i18n\` without \`<i18n-t>\`/\`v-t\` (\`bundle.fullInstall: false\`). Its message compiler stays: the messages arrive as JSON from \`/_i18n/\`.
  Vue I18n and the module are the largest part of the difference (about 18 KiB gzip).

The largest scripts of the rules page (names are content hashes):

${files}

Result: **${ok && problems.length === 0 ? 'PASS' : 'FAIL'}**${problems.length ? ` (${problems.join('; ')})` : ''}.
`
  console.log(`\n${table}\n\n${files}\n`)
  const doc = writeSection('ui', section)
  const raw = writeResults('ui', { started, machine: machine(), ratio, ours: loads.ours, bare: loads.bare })
  log(`figures written to ${doc} (raw: ${raw}); took ${((performance.now() - t0) / 1000).toFixed(0)} s: ${ok ? 'PASS' : 'FAIL'}`)
  return ok && problems.length === 0
}
