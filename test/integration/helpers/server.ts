// Starts the built server (.output) on a free loopback port with its own embedded data directory.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../..', import.meta.url))

export interface RunningServer {
  url: string
  dataDir: string
  /** The server's process id (benchmarks read its CPU time). */
  pid: number
  output: () => string
  stop: () => Promise<void>
}

export function freePort(): Promise<number> {
  return new Promise((ok, ko) => {
    const srv = createServer()
    srv.on('error', ko)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo
      srv.close(() => ok(port))
    })
  })
}

/**
 * Starts `.output/server/index.mjs`; resolves once /api/health answers 200, or with `answering`, once it answers at
 * all (a server whose store is missing answers 503).
 */
export async function startServer(env: Record<string, string> = {}, dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-')), { answering = false } = {}): Promise<RunningServer> {
  const port = await freePort()
  let log = ''
  // NITRO_OUTPUT_DIR: the build under test, when a run builds beside another one.
  const outputDir = process.env.NITRO_OUTPUT_DIR ?? '.output'
  const child = spawn(process.execPath, [join(root, outputDir, 'server/index.mjs')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NUXT_DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const collect = (d: Buffer) => {
    log += d
  }
  child.stdout.on('data', collect)
  child.stderr.on('data', collect)
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log}`)
    if (Date.now() > deadline) throw new Error(`server did not start:\n${log}`)
    try {
      const res = await fetch(`${url}/api/health`)
      if (res.ok || answering) break
    }
    catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 100))
  }
  return {
    url,
    dataDir,
    pid: child.pid!,
    output: () => log,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise(ok => child.once('exit', ok))
        child.kill('SIGTERM')
        await exited
      }
    },
  }
}

/** Stops the server and removes its data directory. */
export async function stopAndClean(server: RunningServer): Promise<void> {
  await server.stop()
  rmSync(server.dataDir, { recursive: true, force: true })
}
