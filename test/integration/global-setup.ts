// Integration setup: moto must be running (npm run test:integration starts it), and the app is built
// once so the API tests run against the real server output.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export default function setup() {
  if (!process.env.MOTO_ENDPOINT) {
    throw new Error('MOTO_ENDPOINT is not set: run the integration tests with `npm run test:integration`, which starts moto')
  }
  // OUROBOROS_SKIP_BUILD=1 reuses .output while iterating on tests alone.
  if (process.env.OUROBOROS_SKIP_BUILD === '1') return
  const started = Date.now()
  const build = spawnSync(process.execPath, ['node_modules/nuxt/bin/nuxt.mjs', 'build'], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NITRO_PRESET: 'node-server' },
  })
  if (build.status !== 0) {
    throw new Error(`nuxt build failed (exit ${build.status}):\n${build.stdout}\n${build.stderr}`)
  }
  console.log(`[integration] built the app in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}
