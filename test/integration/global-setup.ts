// Integration setup: moto must be running (npm run test:integration starts it), and the app is built
// once so the API tests run against the real server output.
import { buildIfChanged, TEST_BUILDS } from '../../scripts/build.mjs'

export default async function setup() {
  if (!process.env.MOTO_ENDPOINT) {
    throw new Error('MOTO_ENDPOINT is not set: run the integration tests with `npm run test:integration`, which starts moto')
  }
  // OUROBOROS_SKIP_BUILD=1 reuses the last build while iterating on tests alone.
  if (process.env.OUROBOROS_SKIP_BUILD === '1') return
  const started = Date.now()
  const { status, output, skipped } = await buildIfChanged(TEST_BUILDS.app)
  if (status !== 0) throw new Error(`nuxt build failed (exit ${status}):\n${output}`)
  console.log(skipped ? '[integration] the last build is of these sources: reusing it' : `[integration] built the app in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}
