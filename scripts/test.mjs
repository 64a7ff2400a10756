#!/usr/bin/env node
// `npm test`: the checks, then the three suites (`npm run typecheck`, `lint`, `lint:infra` and each suite still run alone).
// Two stages, each of jobs side by side, because on a 2-core machine the jobs wait on the network, on moto or on the
// browser as much as on the CPU:
// 1. the lint, the type check, the templates' lint (which first installs cfn-lint and checkov from PyPI), the unit
//    suite, the installs of schemathesis, moto and Chromium, and the two builds the other suites run against (each
//    in a build folder of its own, so the lint and the type check never read a .nuxt being rewritten);
// 2. the integration and the browser suites, each with a moto server of its own.
// Each job's output is printed whole when it ends.
import { spawn, spawnSync } from 'node:child_process'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const node = process.execPath

/** Runs `args` (an npm script, or a node command) with its output kept; answers its exit code, output and time. */
function job(name, cmd, args) {
  const started = Date.now()
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FORCE_COLOR: process.env.FORCE_COLOR ?? '1' } })
    let output = ''
    const keep = (d) => {
      output += d
    }
    child.stdout.on('data', keep)
    child.stderr.on('data', keep)
    child.on('close', (code) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0)
      console.log(`\n──── ${name}: ${code === 0 ? 'passed' : `FAILED (exit ${code})`} in ${seconds} s ────\n${output}`)
      resolve(code)
    })
  })
}

/** Runs the jobs side by side; exits when one failed. */
async function stage(jobs) {
  const codes = await Promise.all(jobs.map(([name, cmd, args]) => job(name, cmd, args)))
  if (codes.some(code => code !== 0)) process.exit(1)
}

const script = code => ['--input-type=module', '-e', code]

// `nuxt typecheck` is `nuxi prepare` then `vue-tsc --build --noEmit`: the types (and the lint's config, which .nuxt
// holds too) are written once, first, so that no job reads .nuxt while another writes it.
const prepared = spawnSync(npm, ['exec', '--', 'nuxi', 'prepare'], { stdio: 'inherit' })
if (prepared.status !== 0) process.exit(prepared.status ?? 1)

const started = Date.now()
await stage([
  ['lint', npm, ['run', 'lint']],
  ['typecheck', npm, ['exec', '--', 'vue-tsc', '--build', '--noEmit']],
  ['unit', npm, ['run', 'test:unit']],
  // The templates' lint installs cfn-lint and checkov into .venv, and moto goes into the same venv: one after the other,
  // so that two installs never create it at the same time. Installed here, once, so that the two suites of the next
  // stage never install at the same time either. schemathesis has a venv of its own (.venv/schemathesis).
  ['lint:infra, then the installs (moto, schemathesis, Chromium)', node, script(`
    const { spawnSync } = await import('node:child_process')
    const lint = spawnSync(${JSON.stringify(npm)}, ['run', 'lint:infra'], { stdio: 'inherit' })
    if (lint.status !== 0) process.exit(lint.status ?? 1)
    const { ensureMoto } = await import('./scripts/with-moto.mjs')
    ensureMoto()
    await (await import('./scripts/schemathesis.mjs')).ensureSchemathesis()
    await import('./scripts/ensure-chromium.mjs')`)],
  // One after the other (the build lock): each takes both cores for a while.
  ['builds (node-server, aws-lambda)', node, script(`
    const { buildIfChanged, TEST_BUILDS } = await import('./scripts/build.mjs')
    for (const env of Object.values(TEST_BUILDS)) {
      const { status, output, skipped } = await buildIfChanged(env)
      if (status !== 0) { console.error(output); process.exit(1) }
      console.log(env.NITRO_PRESET + (skipped ? ': the last build is of these sources' : ': built'))
    }`)],
])
console.log(`\n──── checks, unit suite, installs and builds: ${((Date.now() - started) / 1000).toFixed(0)} s ────`)

await stage([
  ['integration', npm, ['run', 'test:integration']],
  ['e2e', npm, ['run', 'test:e2e']],
])
