#!/usr/bin/env node
// `npm test`: the checks, then the three suites (`npm run typecheck`, `lint`, `lint:infra` and each suite still run alone).
// The jobs run side by side, each as soon as what it needs is ready, because on a 2-core machine they wait on the
// network, on moto or on the browser as much as on the CPU:
// - the lint, the type check, the unit suite and the templates' lint, niced: none of them is on the way to the end;
// - the installs the suites need first (cfn-lint, then moto, into .venv; Chromium), and the two builds the suites run
//   against (node-server, then aws-lambda), each in a build folder of its own so that the lint and the type check
//   never read a .nuxt being rewritten;
// - the browser suite, the longest, as soon as the app is built and Chromium installed; the integration suite once
//   schemathesis (a venv of its own) is installed too (its Lambda test waits for the aws-lambda build if that is
//   still running), then the browser files that balance the two streams (E2E_AFTER_INTEGRATION). Each stream has a
//   moto server of its own.
// Each job's output is printed whole when it ends.
import { spawn, spawnSync } from 'node:child_process'

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm'
const node = process.execPath
const hasNice = process.platform !== 'win32' && spawnSync('nice', ['true']).status === 0

/** Runs `args` (an npm script, or a node command) with its output kept; answers its exit code, output and time. */
function job(name, cmd, args, { niced = false } = {}) {
  const started = Date.now()
  if (niced && hasNice) [cmd, args] = ['nice', ['-n', '10', cmd, ...args]]
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

/**
 * Runs `tasks` ({ name: { after: [names], run: () => exit code } }), each once those it comes after passed; a failed
 * task starts nothing more, and npm test fails once the running ones ended.
 */
async function runGraph(tasks) {
  const done = new Map()
  let failed = false
  const start = name => done.get(name) ?? done.set(name, (async () => {
    const codes = await Promise.all((tasks[name].after ?? []).map(start))
    if (failed || codes.some(code => code !== 0)) return 1
    const code = await tasks[name].run()
    if (code !== 0) failed = true
    return code
  })()).get(name)
  const codes = await Promise.all(Object.keys(tasks).map(start))
  return codes.every(code => code === 0)
}

const script = code => ['--input-type=module', '-e', code]
const built = name => script(`
    const { buildIfChanged, TEST_BUILDS } = await import('./scripts/build.mjs')
    const { status, output, skipped } = await buildIfChanged(TEST_BUILDS[${JSON.stringify(name)}])
    if (status !== 0) { console.error(output); process.exit(1) }
    console.log(TEST_BUILDS[${JSON.stringify(name)}].NITRO_PRESET + (skipped ? ': the last build is of these sources' : ': built'))`)

// The browser files run after the integration suite, in its stream: the browser suite is the longer, and these make
// the two streams end together (in a fresh clone on 2 cores, the rest of the browser suite ran from 108 s to 914 s,
// the integration suite from 431 s to 1019 s with schemathesis's install niced, and layout-fit after it took 110 s).
// A file named here that is renamed or gone fails the run, rather than quietly running nowhere.
const E2E_AFTER_INTEGRATION = ['test/e2e/layout-fit.test.ts']

// `nuxt typecheck` is `nuxi prepare` then `vue-tsc --build --noEmit`: the types (and the lint's config, which .nuxt
// holds too) are written once, first, so that no job reads .nuxt while another writes it.
const prepared = spawnSync(npm, ['exec', '--', 'nuxi', 'prepare'], { stdio: 'inherit' })
if (prepared.status !== 0) process.exit(prepared.status ?? 1)

const started = Date.now()
const ok = await runGraph({
  lint: { run: () => job('lint', npm, ['run', 'lint'], { niced: true }) },
  typecheck: { run: () => job('typecheck', npm, ['exec', '--', 'vue-tsc', '--build', '--noEmit'], { niced: true }) },
  unit: { run: () => job('unit', npm, ['run', 'test:unit'], { niced: true }) },
  // The Python tools and Chromium the suites need. cfn-lint and moto share .venv: installed one after the other, and
  // both before any moto runs, so that no install ever changes a package under a running moto (checkov and
  // schemathesis have venvs of their own inside it: .venv/checkov, .venv/schemathesis).
  tools: { run: () => job('installs (cfn-lint, moto, Chromium)', node, script(`
    ;(await import('./scripts/cfn-lint.mjs')).ensureCfnLint()
    ;(await import('./scripts/with-moto.mjs')).ensureMoto()
    await import('./scripts/ensure-chromium.mjs')`)) },
  infra: { after: ['tools'], run: () => job('lint:infra', npm, ['run', 'lint:infra'], { niced: true }) },
  // Not niced: the integration suite waits for it.
  schemathesis: { after: ['tools'], run: () => job('install (schemathesis)', node, script(`
    await (await import('./scripts/schemathesis.mjs')).ensureSchemathesis()`)) },
  // One after the other (the build lock): each takes both cores for a while.
  app: { run: () => job('build (node-server)', node, built('app')) },
  lambda: { after: ['app'], run: () => job('build (aws-lambda)', node, built('lambda')) },
  e2e: { after: ['app', 'tools'], run: () => job('e2e', npm, ['run', 'test:e2e', '--', ...E2E_AFTER_INTEGRATION.flatMap(f => ['--exclude', f])]) },
  integration: { after: ['app', 'tools', 'schemathesis'], run: async () => {
    const code = await job('integration', npm, ['run', 'test:integration'])
    return code !== 0 ? code : job(`e2e: ${E2E_AFTER_INTEGRATION.join(', ')}`, npm, ['run', 'test:e2e', '--', ...E2E_AFTER_INTEGRATION])
  } },
})
console.log(`\n──── npm test: ${ok ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s ────`)
process.exit(ok ? 0 : 1)
