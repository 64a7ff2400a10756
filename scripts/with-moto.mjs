#!/usr/bin/env node
// Runs a command with moto_server (the AWS emulator) on a free loopback port.
// Installs the pinned moto[server] into .venv once; stops the server afterwards, also when the command fails.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { resolve } from 'node:path'

export const MOTO_VERSION = '5.2.5'
const root = resolve(import.meta.dirname, '..')
const venv = resolve(root, '.venv')
const marker = resolve(venv, '.moto-version')
const motoBin = resolve(venv, 'bin', 'moto_server')

function fail(message) {
  console.error(`with-moto: ${message}`)
  process.exit(1)
}

/** Installs moto[server]==MOTO_VERSION into .venv unless that exact version is already there. */
export function ensureMoto() {
  if (existsSync(motoBin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === MOTO_VERSION) return motoBin
  const python = ['python3', 'python'].find(p => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0)
  if (!python) fail('python3 is required for the integration tests (they run moto, the AWS emulator): install Python 3.9 or newer and run again.')
  console.log(`with-moto: installing moto[server]==${MOTO_VERSION} into .venv (once)`)
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) fail(`'${cmd} ${args.join(' ')}' failed with exit code ${r.status}`)
  }
  if (!existsSync(resolve(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv])
  run(resolve(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `moto[server]==${MOTO_VERSION}`])
  writeFileSync(marker, `${MOTO_VERSION}\n`)
  return motoBin
}

function freePort() {
  return new Promise((ok, ko) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', ko)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => ok(port))
    })
  })
}

async function waitUntilUp(url, child, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null) fail(`moto_server exited early with code ${child.exitCode}`)
    try {
      const res = await fetch(`${url}/moto-api/reset`, { method: 'POST' })
      if (res.ok) return
    }
    catch { /* not listening yet */ }
    await new Promise(r => setTimeout(r, 200))
  }
  fail(`moto_server did not answer on ${url} within ${timeoutMs / 1000}s`)
}

/** Starts moto_server on a free loopback port and resolves to { url, stop }. */
export async function startMoto() {
  const bin = ensureMoto()
  const port = await freePort()
  const env = { ...process.env }
  // Never set MOTO_ACCOUNT_ID: it would override the account switch that STS AssumeRole performs.
  delete env.MOTO_ACCOUNT_ID
  // moto loads its catalogue of public AMIs into every account-region it first sees: about 1 s of CPU each (57 ms
  // without), and most of its memory when a benchmark seeds 2,000 of them. Nothing here reads those AMIs (instances
  // are launched from made-up image ids, which moto does not validate).
  env.MOTO_EC2_LOAD_DEFAULT_AMIS ??= 'false'
  const child = spawn(bin, ['-H', '127.0.0.1', '-p', String(port)], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000)
  })
  const url = `http://127.0.0.1:${port}`
  await waitUntilUp(url, child).catch((e) => {
    console.error(stderr)
    throw e
  })
  const stop = () => new Promise((ok) => {
    if (child.exitCode !== null) return ok()
    child.once('exit', () => ok())
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 3000).unref()
  })
  return { url, stop }
}

async function main() {
  const dash = process.argv.indexOf('--')
  const [cmd, ...args] = dash === -1 ? process.argv.slice(2) : process.argv.slice(dash + 1)
  if (!cmd) fail('usage: with-moto.mjs -- <command> [args...]')
  const moto = await startMoto()
  console.log(`with-moto: moto ${MOTO_VERSION} listening on ${moto.url}`)
  const child = spawn(cmd, args, {
    stdio: 'inherit',
    shell: process.platform === 'win32',
    env: {
      ...process.env,
      MOTO_ENDPOINT: moto.url,
      // Dummy credentials: moto accepts any, and nothing here may reach real AWS.
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_REGION: process.env.AWS_REGION || 'us-east-1',
    },
  })
  const forward = sig => () => child.kill(sig)
  process.on('SIGINT', forward('SIGINT'))
  process.on('SIGTERM', forward('SIGTERM'))
  const code = await new Promise(ok => child.on('exit', (c, s) => ok(c ?? (s ? 1 : 0))))
  await moto.stop()
  process.exit(code)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
