// schemathesis, an outside fuzzer, against the built app with an admin key: it reads /api/openapi.json, sends about
// two thousand generated requests to every operation, and fails on any 5xx, or a status, content type or body the
// document does not give (scripts/schemathesis.mjs: the pinned version and the bounded run).
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ensureSchemathesis, schemathesisArgs } from '../../scripts/schemathesis.mjs'
import { motoEndpoint } from './helpers/ec2'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-bootstrap-key-schemathesis-0123456789'
let server: RunningServer
let st: string

// schemathesis keeps a cache of the crashes it found in .schemathesis/ of its working folder: a temporary one.
const work = mkdtempSync(join(tmpdir(), 'ouroboros-schemathesis-'))

function run(bin: string, args: string[]): Promise<{ code: number | null, output: string }> {
  return new Promise((ok) => {
    const child = spawn(bin, args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (d) => {
      output += d
    })
    child.stderr.on('data', (d) => {
      output += d
    })
    child.on('close', code => ok({ code, output }))
  })
}

beforeAll(async () => {
  st = ensureSchemathesis()
  // Runs and previews reach moto, never AWS; runs wait for their instances at most 2 s.
  server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL: motoEndpoint(), NUXT_VERIFY_TIMEOUT_SECONDS: '2' })
}, 600_000)

afterAll(async () => {
  if (server) await stopAndClean(server)
  rmSync(work, { recursive: true, force: true })
})

describe('schemathesis on the built app', () => {
  it('finds no server error, and every answer as the OpenAPI document says', async () => {
    const { code, output } = await run(st, schemathesisArgs({ url: server.url, key: KEY }))
    // The report names each failure with a curl command that repeats it.
    expect(code, output.slice(-12_000)).toBe(0)
    expect(output).toMatch(/Tested:\s+\d+/)
    expect(server.output()).not.toMatch(/\[ouroboros\] 5\d\d|Internal Server Error/)
  }, 300_000)
})
