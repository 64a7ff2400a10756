// Lambda benchmark (issue 7, section 5): the size of the deployed zip, and the cold start of the function (a fresh
// Node process importing the handler and answering its first event), against a bare Nitro aws-lambda hello world
// built in the same run with the same nitropack. Asserted: cold start at most 2x the bare build's; zip at most 10 MB.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { build } from '../scripts/build.mjs'
import { tableSpecs } from '../scripts/deploy-template.mjs'
import { zipLambdaOutput } from '../scripts/deploy-zip.mjs'
import { startMoto } from '../scripts/with-moto.mjs'
import { parseServerConfig } from '../server/utils/config'
import { ensureTables, tableDefinitions } from '../server/utils/tables'
import { buildBareLambda } from './lib/lambda-bare'
import { httpEvent } from '../test/helpers/lambda-events'
import { machine, markdownTable, ROOT, writeResults, writeSection } from './lib/report'
import { percentile } from './lib/stats'

const COMMAND = 'npm run bench -- lambda'
const RUNS = 9
const INIT_RATIO = 2
const ZIP_LIMIT = 10 * 1000 * 1000
const OURS = join(ROOT, '.output-lambda')
const INVOKE = join(ROOT, 'bench', 'lib', 'lambda-invoke.mjs')

const log = (line: string) => console.log(`[lambda] ${line}`)

interface Sample {
  importMs: number
  firstMs: number
  /** Process start to the first answer: the cold start as the caller sees it, Node's own start included. */
  coldMs: number
  status: number
}

/** One cold start: a new process imports the handler and answers `event`. */
function coldStart(entry: string, event: unknown, env: Record<string, string>, dir: string): Sample {
  const events = join(dir, 'events.json')
  const result = join(dir, 'result.json')
  writeFileSync(events, JSON.stringify([event]))
  const r = spawnSync(process.execPath, [INVOKE, entry, events, result], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 })
  if (r.status !== 0) throw new Error(`cold start of ${entry} failed:\n${r.stdout}\n${r.stderr}`)
  const out = JSON.parse(readFileSync(result, 'utf8'))
  return { importMs: out.importMs, firstMs: out.results[0].ms, coldMs: out.sinceStartMs, status: out.results[0].answer.statusCode }
}

const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50)
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`
const msText = (v: number) => v.toFixed(0)
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')

/** Runs the Lambda benchmark; answers true when both goals are met. */
export default async function lambda(): Promise<boolean> {
  const started = new Date()
  log('building the Lambda (NITRO_PRESET=aws-lambda into .output-lambda) ...')
  const ours = await build({ NITRO_PRESET: 'aws-lambda', NITRO_OUTPUT_DIR: '.output-lambda' })
  if (ours.status !== 0) throw new Error(`the aws-lambda build failed:\n${ours.output}`)
  log('building the bare Nitro aws-lambda hello world ...')
  const bareOutput = await buildBareLambda()

  const oursZip = zipLambdaOutput(OURS)
  const bareZip = zipLambdaOutput(bareOutput)
  log(`zip: ours ${mb(oursZip.zip.length)} (${mb(oursZip.unzippedBytes)} unzipped), bare ${mb(bareZip.zip.length)} (${mb(bareZip.unzippedBytes)} unzipped)`)

  // Ours answers from DynamoDB: moto on loopback, with the tables the stack would have made.
  const moto = await startMoto()
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-bench-lambda-'))
  const prefix = `bench${Date.now().toString(36)}-`
  const names = Object.fromEntries((tableSpecs({ parseServerConfig, tableDefinitions }) as { key: string, suffix: string }[]).map(s => [s.key, `${prefix}${s.suffix}`]))
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.url, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
  const asset = readdirSync(join(OURS, 'public', '_nuxt')).find(f => f.endsWith('.js'))!
  const env = {
    AWS_LAMBDA_FUNCTION_NAME: 'ouroboros-bench',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_ENDPOINT_URL: moto.url,
    NUXT_STORE: 'dynamodb',
    NUXT_TABLE_PREFIX: prefix,
    // As infra/hub.yaml deploys it: the bootstrap key as its SHA-256, never the key itself (issue 18).
    NUXT_ADMIN_API_KEY_SHA256: createHash('sha256').update('ouro_admin_benchmark_key_0123456789').digest('hex'),
    NUXT_SCHEDULER_TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros-bench',
    NUXT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/ouroboros-bench-scheduler',
  }
  const cases = {
    oursApi: { entry: join(OURS, 'server', 'index.mjs'), event: httpEvent('GET', '/api/rules'), label: 'ours, `GET /api/rules` (one DynamoDB Query, moto on loopback)' },
    oursAsset: { entry: join(OURS, 'server', 'index.mjs'), event: httpEvent('GET', `/_nuxt/${asset}`), label: 'ours, `GET /_nuxt/<entry>.js` (a static asset)' },
    bareApi: { entry: join(bareOutput, 'server', 'index.mjs'), event: httpEvent('GET', '/api/hello'), label: 'bare Nitro, `GET /api/hello` (JSON)' },
  }
  const samples: Record<keyof typeof cases, Sample[]> = { oursApi: [], oursAsset: [], bareApi: [] }
  try {
    await ensureTables(dynamo, names)
    // Warm the file cache once, then interleave the three, so the machine's load drifts over all of them alike.
    for (const c of Object.values(cases)) coldStart(c.entry, c.event, env, dir)
    for (let i = 0; i < RUNS; i++) {
      for (const [id, c] of Object.entries(cases) as [keyof typeof cases, (typeof cases)[keyof typeof cases]][]) {
        const s = coldStart(c.entry, c.event, env, dir)
        if (s.status !== 200) throw new Error(`${id} answered ${s.status}`)
        samples[id].push(s)
      }
      log(`run ${i + 1}/${RUNS}: ours ${msText(samples.oursApi.at(-1)!.coldMs)} ms, asset ${msText(samples.oursAsset.at(-1)!.coldMs)} ms, bare ${msText(samples.bareApi.at(-1)!.coldMs)} ms`)
    }
  }
  finally {
    for (const TableName of Object.values(names)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
    dynamo.destroy()
    await moto.stop()
    rmSync(dir, { recursive: true, force: true })
  }

  const med = (id: keyof typeof cases, k: keyof Sample) => median(samples[id].map(s => s[k]))
  const ratio = med('oursApi', 'coldMs') / med('bareApi', 'coldMs')
  const initOk = ratio <= INIT_RATIO
  const zipOk = oursZip.zip.length <= ZIP_LIMIT
  const ok = initOk && zipOk

  const sizes = markdownTable(
    ['build', 'files', 'unzipped', 'zipped', 'target: zipped ≤ 10 MB'],
    [
      ['ours (`.output-lambda`: server/ + public/, no source maps)', String(oursZip.files), mb(oursZip.unzippedBytes), mb(oursZip.zip.length), verdict(zipOk)],
      ['bare Nitro aws-lambda hello world', String(bareZip.files), mb(bareZip.unzippedBytes), mb(bareZip.zip.length), ''],
    ],
  )
  const starts = markdownTable(
    ['cold start, median of ' + RUNS, 'import, ms', 'first answer, ms', 'process start → first answer, ms', 'min–max, ms'],
    (Object.keys(cases) as (keyof typeof cases)[]).map(id => [
      cases[id].label,
      msText(med(id, 'importMs')),
      msText(med(id, 'firstMs')),
      msText(med(id, 'coldMs')),
      `${msText(Math.min(...samples[id].map(s => s.coldMs)))}–${msText(Math.max(...samples[id].map(s => s.coldMs)))}`,
    ]),
  )
  const section = `## Lambda: bundle size and cold start

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.

Both builds come from this run, with the project's nitropack: ours is \`NITRO_PRESET=aws-lambda\` (the custom entry, every dependency
bundled and minified, static assets served by the function: see modules/lambda), zipped as \`npm run deploy\` zips it
(scripts/deploy-zip.mjs); the bare one is a Nitro aws-lambda app with one JSON route, built in bench/.cache/lambda-bare.

A cold start is one new Node process (bench/lib/lambda-invoke.mjs) that imports the handler and answers one Function URL
event; "process start → first answer" counts from the process's own start, Node's start-up included. ${RUNS} runs of each, interleaved,
after one warm-up run each (a warm file cache, as on a Lambda host). Ours reads DynamoDB from moto on loopback with the
Lambda's environment (\`AWS_LAMBDA_FUNCTION_NAME\`, \`NUXT_STORE=dynamodb\`, the scheduler ARNs).

The cold path of \`GET /api/rules\` loads no zod (issue 12): the configuration, cursors and a plainly valid list query are
checked by hand (server/utils/config.ts, cursor.ts, rules/list-query.ts), and what every start loads takes its zod-free parts
from shared/instant.ts and shared/key-format.ts; the first DynamoDB send (@smithy) and the builtins it needs (http, https,
net, crypto) remain.

${sizes}

${starts}

Cold start, ours (\`GET /api/rules\`) / bare: **${ratio.toFixed(2)}×** (target ≤ ${INIT_RATIO}×): ${verdict(initOk)}.

Result: **${verdict(ok)}**.
`
  writeSection('lambda', section)
  writeResults('lambda', { started, machine: machine(), sizes: { ours: { ...oursZip, zip: undefined }, bare: { ...bareZip, zip: undefined } }, samples, ratio })
  console.log(`\n${sizes}\n\n${starts}\n\ncold start ratio ${ratio.toFixed(2)}: ${verdict(initOk)}; zip ${mb(oursZip.zip.length)}: ${verdict(zipOk)}`)
  return ok
}
