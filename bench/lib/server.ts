// The built server for benchmarks: built once if missing, started on a data directory with the test helper,
// and left to settle before anything is timed.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { startServer } from '../../test/integration/helpers/server'
import type { RunningServer } from '../../test/integration/helpers/server'
import { ROOT } from './report'

/**
 * Builds the app (`nuxt build`) only when the build to start is missing, so a clean checkout can run the benchmarks.
 * That build is `.output`, or the one NITRO_OUTPUT_DIR names (which startServer starts).
 */
export function ensureBuilt(log: (line: string) => void): void {
  const entry = join(ROOT, process.env.NITRO_OUTPUT_DIR ?? '.output', 'server', 'index.mjs')
  if (existsSync(entry)) return
  log('no built server in .output: running nuxt build (about a minute) ...')
  const { status } = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'nuxt', 'bin', 'nuxt.mjs'), 'build'], { cwd: ROOT, stdio: 'inherit' })
  if (status !== 0 || !existsSync(entry)) throw new Error(`nuxt build failed (exit ${status})`)
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms))

/** Whether the server settled before timing: the local scheduler's start-up reconcile was seen to finish. */
export interface BenchServer extends RunningServer {
  settleMs: number
  settled: boolean
}

/**
 * Starts the built server on `dataDir`, with the embedded store and every other AWS endpoint on a closed local port,
 * then waits for the local scheduler's start-up reconcile (one write per rule) to finish, so it does not load the timings.
 */
export async function startBenchServer(dataDir: string, log: (line: string) => void, settleTimeoutMs = 120_000): Promise<BenchServer> {
  ensureBuilt(log)
  const t0 = performance.now()
  const server = await startServer({
    NUXT_STORE: 'embedded',
    NUXT_SCHEDULER: 'local',
    NUXT_ADMIN_API_KEY: 'bench-admin-key',
    AWS_REGION: 'us-east-1',
    // Any AWS call besides the embedded store goes to a closed local port: the bench never leaves the machine.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
  }, dataDir)
  const reconciled = /local scheduler: \d+ rules/
  let settled = false
  while (performance.now() - t0 < settleTimeoutMs) {
    if (reconciled.test(server.output())) {
      settled = true
      break
    }
    await sleep(250)
  }
  const settleMs = Math.round(performance.now() - t0)
  const line = server.output().split('\n').find(l => reconciled.test(l))?.trim()
  log(settled ? `server up at ${server.url}, settled after ${(settleMs / 1000).toFixed(1)} s: ${line}` : `server up at ${server.url}; no start-up reconcile seen within ${settleTimeoutMs / 1000} s, timing anyway`)
  return { ...server, settleMs, settled }
}
