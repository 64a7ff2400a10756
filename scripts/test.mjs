#!/usr/bin/env node
// `npm test`: the checks, then the three suites (`npm run typecheck`, `lint`, `lint:infra` and each suite still run alone). The checks that do not depend on each other run side by side (the
// lint, the type check, and the templates' lint, which first installs cfn-lint and checkov from PyPI), with the
// schemathesis install beside them: on a 2-core machine that takes minutes off a fresh clone's run. Each job's output
// is printed whole when it ends. Then the unit, integration and browser suites run one after the other, as before.
import { spawn, spawnSync } from 'node:child_process'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'

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

// `nuxt typecheck` is `nuxi prepare` then `vue-tsc --build --noEmit`: the types (and the lint's config, which .nuxt
// holds too) are written once, first, so that no job reads .nuxt while another writes it.
const prepared = spawnSync(npm, ['exec', '--', 'nuxi', 'prepare'], { stdio: 'inherit' })
if (prepared.status !== 0) process.exit(prepared.status ?? 1)

const checks = await Promise.all([
  job('lint', npm, ['run', 'lint']),
  job('typecheck', npm, ['exec', '--', 'vue-tsc', '--build', '--noEmit']),
  job('lint:infra', npm, ['run', 'lint:infra']),
  // Its own venv (.venv/schemathesis), so it installs beside cfn-lint's without a race; the integration suite runs it.
  job('schemathesis install', process.execPath, ['-e', 'import("./scripts/schemathesis.mjs").then(m => m.ensureSchemathesis())']),
])
if (checks.some(code => code !== 0)) process.exit(1)

for (const suite of ['test:unit', 'test:integration', 'test:e2e']) {
  const { status } = spawnSync(npm, ['run', suite], { stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
