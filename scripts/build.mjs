#!/usr/bin/env node
// Builds the app (nuxt build) under a lock, so that parallel test runs never build at the same time.
// NITRO_PRESET and NITRO_OUTPUT_DIR pick the preset and the output folder (default .output). Each output has a build
// folder of its own (.nuxt-build/<output>, nuxt.config's buildDir), never the .nuxt of `nuxi prepare`, the dev server,
// the lint and the type check: `npm test` builds beside those.
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const lock = resolve(root, '.build.lock')
const STALE_MS = 5 * 60_000

/** Whether the build that holds the lock is gone: its process ended, or (no pid written yet) the lock is old. */
function lockIsStale() {
  try {
    const pid = Number(readFileSync(resolve(lock, 'pid'), 'utf8'))
    process.kill(pid, 0)
    return false
  }
  catch (e) {
    if (e.code === 'ESRCH') return true
    if (e.code === 'EPERM') return false
    return Date.now() - statSync(lock).mtimeMs > STALE_MS
  }
}

/**
 * Takes the build lock, waiting for another build to finish. A lock whose process is gone is stale; a build that
 * runs long on a loaded machine keeps its lock however long it takes.
 */
export async function withBuildLock(fn) {
  for (;;) {
    try {
      mkdirSync(lock)
      writeFileSync(resolve(lock, 'pid'), String(process.pid))
      break
    }
    catch (e) {
      if (e.code !== 'EEXIST') throw e
      try {
        if (lockIsStale()) rmSync(lock, { recursive: true, force: true })
      }
      catch { /* released meanwhile */ }
      await new Promise(r => setTimeout(r, 500))
    }
  }
  try {
    return await fn()
  }
  finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

/** The builds the integration and browser tests run against (`npm test` makes them before the suites). */
export const TEST_BUILDS = {
  app: { NITRO_PRESET: 'node-server' },
  lambda: { NITRO_PRESET: 'aws-lambda', NITRO_OUTPUT_DIR: '.output-lambda' },
}

/** Runs `nuxt build` with the given extra environment; answers { status, output }. */
export function build(env = {}) {
  return withBuildLock(() => buildUnlocked(env))
}

function buildUnlocked(env) {
  const buildDir = resolve(root, '.nuxt-build', (env.NITRO_OUTPUT_DIR ?? '.output').replace(/[^\w.-]+/g, '_'))
  const r = spawnSync(process.execPath, [resolve(root, 'node_modules/nuxt/bin/nuxt.mjs'), 'build'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, OUROBOROS_BUILD_DIR: buildDir, ...env },
  })
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` }
}

// What a build is made of: every file git knows or would add, but tests, benchmarks and prose; with the Node that
// builds and the build's own settings.
const NOT_BUILT = /^(?:test|bench|docs)\/|\.md$/

/** A fingerprint of the sources a build with `env` is made from. */
export function sourceFingerprint(env = {}) {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard'], { cwd: root, encoding: 'utf8' })
  if (listed.status !== 0) return null
  const hash = createHash('sha256').update(JSON.stringify({ env, node: process.version }))
  for (const file of listed.stdout.split('\n').filter(f => f && !NOT_BUILT.test(f)).sort()) {
    const path = resolve(root, file)
    if (!existsSync(path)) continue
    hash.update(`${file}\0`).update(readFileSync(path))
  }
  return hash.digest('hex')
}

/**
 * Builds unless the output already holds a build of exactly these sources (the integration and the browser tests
 * share one build within `npm test`); answers { status, output, skipped }.
 */
export async function buildIfChanged(env = {}) {
  const dir = resolve(root, env.NITRO_OUTPUT_DIR ?? '.output')
  const stamp = resolve(dir, '.sources')
  const fingerprint = sourceFingerprint(env)
  const built = () => fingerprint && existsSync(resolve(dir, 'server/index.mjs')) && existsSync(stamp) && readFileSync(stamp, 'utf8') === fingerprint
  if (built()) return { status: 0, output: '', skipped: true }
  // Looked at again under the lock: a suite that starts while npm test's own build of these sources is still running
  // waits for that build and reuses it, instead of making it a second time.
  return withBuildLock(async () => {
    if (built()) return { status: 0, output: '', skipped: true }
    const result = await buildUnlocked(env)
    if (result.status === 0 && fingerprint) writeFileSync(stamp, fingerprint)
    return { ...result, skipped: false }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { status, output } = await build()
  if (status !== 0) console.error(output)
  process.exit(status ?? 1)
}
