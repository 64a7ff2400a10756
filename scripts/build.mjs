#!/usr/bin/env node
// Builds the app (nuxt build) under a lock, so that parallel test runs never write .nuxt at the same time.
// NITRO_PRESET and NITRO_OUTPUT_DIR pick the preset and the output folder (default .output).
import { spawnSync } from 'node:child_process'
import { mkdirSync, rmSync, statSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')
const lock = resolve(root, '.build.lock')
const STALE_MS = 5 * 60_000

/** Takes the build lock, waiting for another build to finish; a lock older than 5 minutes is stale. */
export async function withBuildLock(fn) {
  for (;;) {
    try {
      mkdirSync(lock)
      break
    }
    catch (e) {
      if (e.code !== 'EEXIST') throw e
      try {
        if (Date.now() - statSync(lock).mtimeMs > STALE_MS) rmSync(lock, { recursive: true, force: true })
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

/** Runs `nuxt build` with the given extra environment; answers { status, output }. */
export function build(env = {}) {
  return withBuildLock(() => {
    const r = spawnSync(process.execPath, [resolve(root, 'node_modules/nuxt/bin/nuxt.mjs'), 'build'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, ...env },
    })
    return { status: r.status, output: `${r.stdout}\n${r.stderr}` }
  })
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { status, output } = await build()
  if (status !== 0) console.error(output)
  process.exit(status ?? 1)
}
