// The app under test for the browser tests: the built server in embedded mode with EC2 and STS on moto,
// plus API shortcuts to arrange data the way a user would find it.
import { startServer } from '../../integration/helpers/server'
import type { RunningServer } from '../../integration/helpers/server'

export { stopAndClean } from '../../integration/helpers/server'
export type { RunningServer }

/** Starts the built app with `key` as its admin key, its AWS calls on moto (MOTO_ENDPOINT), and `env` besides. */
export function startApp(key: string, env: Record<string, string> = {}): Promise<RunningServer> {
  const moto = process.env.MOTO_ENDPOINT
  if (!moto) throw new Error('MOTO_ENDPOINT is not set: run the browser tests with `npm run test:e2e`, which starts moto')
  return startServer({
    NUXT_ADMIN_API_KEY: key,
    AWS_ENDPOINT_URL: moto,
    NUXT_VERIFY_TIMEOUT_SECONDS: '5',
    ...env,
  })
}

/** Calls the API as a script would, with the key. */
export async function api<T = unknown>(server: RunningServer, key: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return JSON.parse(text) as T
}

/** A rule as the API takes it, stopping one tag's instances on weekday evenings in Berlin. */
export function ruleBody(name: string, tag: string, extra: Record<string, unknown> = {}) {
  return {
    name,
    description: 'Stop the web tier at night',
    accountId: '123456789012',
    regions: ['us-east-1'],
    action: 'stop',
    filters: `tag:app=${tag}`,
    scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    timezone: 'Europe/Berlin',
    ...extra,
  }
}
