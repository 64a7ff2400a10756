// When the store, a table or EventBridge Scheduler cannot be used, every route answers 503 with a statusMessage that
// names what failed, never an opaque 500; and the first request after it is fixed works, without a restart.
// Against the built server: its DynamoDB is moto (with tables missing), a closed port, or a dynalite started later.
import { randomBytes } from 'node:crypto'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { parseServerConfig } from '../../server/utils/config'
import { ensureTables } from '../../server/utils/tables'
import { startDynalite } from '../helpers/dynalite'
import type { Dynalite } from '../helpers/dynalite'
import { apiClient } from './helpers/http'
import type { ApiAnswer } from './helpers/http'
import { freePort, startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-unavailable-0123'
const rule = { name: 'unavailable-stop', accountId: '123456789012', regions: ['us-east-1'], action: 'stop', filters: 'tag:Name=web', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', timezone: 'UTC' }

let server: RunningServer | undefined
let dynalite: Dynalite | undefined
const call = apiClient(() => server!.url, KEY)

afterEach(async () => {
  if (server) await stopAndClean(server)
  server = undefined
  await dynalite?.close()
  dynalite = undefined
})

/** Every table the app uses with NUXT_TABLE_PREFIX=`prefix`, created in the store at `endpoint`. */
async function createTables(endpoint: string, prefix: string) {
  const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } })
  await ensureTables(client, { ...config.tables, ...config.accessTables })
  client.destroy()
}

/** The server with DynamoDB at `endpoint`; the local scheduler, so no Scheduler is needed. */
function startWithStore(endpoint: string, prefix: string, env: Record<string, string> = {}) {
  return startServer({
    NUXT_STORE: 'dynamodb',
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    NUXT_TABLE_PREFIX: prefix,
    NUXT_SCHEDULER: 'local',
    NUXT_ADMIN_API_KEY: KEY,
    ...env,
  }, undefined, { answering: true })
}

/** A 503 whose statusMessage matches `message`, with no stack trace or server path in the answer. */
function expectUnavailable(answer: ApiAnswer, message: RegExp) {
  expect(answer.status).toBe(503)
  expect(answer.body.statusMessage).toMatch(message)
  expect(answer.body.data?.error).toBe('ServiceUnavailable')
  expect(answer.body.stack).toBeUndefined()
  expect(JSON.stringify(answer.body)).not.toContain(process.cwd())
}

const routes: [string, string, unknown?][] = [
  ['GET', '/api/rules'],
  ['GET', '/api/rules/unavailable-stop'],
  ['GET', '/api/logs'],
  ['GET', '/api/keys'],
  ['GET', '/api/audit'],
  ['POST', '/api/rules', rule],
]

describe('a table that does not exist', () => {
  it('answers 503 naming the table and what to do, on every route, and works once the tables exist', async () => {
    const prefix = `missing${randomBytes(3).toString('hex')}-`
    server = await startWithStore(process.env.MOTO_ENDPOINT!, prefix)
    for (const [method, path, body] of routes) {
      // The first table the request reads is named: the limits (the key's per-IP check), or the route's own.
      expectUnavailable(await call(method, path, body), new RegExp(`^table ${prefix}(limits|keys|rules|logs|audit) does not exist: deploy infra/hub.yaml, or set NUXT_TABLE_PREFIX`))
      // Without a key, a public read reaches the route, which names its own table.
      if (method === 'GET' && /rules|logs/.test(path)) {
        expectUnavailable(await call(method, path, body, null), new RegExp(`^table ${prefix}${path.split('/')[2]} does not exist`))
      }
    }
    const health = await call('GET', '/api/health', undefined, null)
    expect(health.status).toBe(503)
    expect(health.body.reason).toMatch(new RegExp(`^table ${prefix}rules does not exist`))

    await createTables(process.env.MOTO_ENDPOINT!, prefix)
    expect((await call('GET', '/api/health', undefined, null)).status).toBe(200)
    expect((await call('GET', '/api/rules')).status).toBe(200)
    expect((await call('POST', '/api/rules', rule)).status).toBe(201)
    // The operator reads the same in the server's log.
    expect(server.output()).toMatch(new RegExp(`\\[ouroboros\\] 503: table ${prefix}\\w+ does not exist`))
  })
})

describe('a store that does not answer', () => {
  it('answers 503 naming DynamoDB and the endpoint, then works as soon as the store answers, without a restart', async () => {
    const port = await freePort()
    const endpoint = `http://127.0.0.1:${port}`
    const prefix = 'late-'
    server = await startWithStore(endpoint, prefix)
    for (const [method, path, body] of routes) {
      expectUnavailable(await call(method, path, body), new RegExp(`^DynamoDB cannot be reached \\(.*ECONNREFUSED 127\\.0\\.0\\.1:${port}.*\\): check AWS_ENDPOINT_URL_DYNAMODB`))
    }
    expect((await call('GET', '/api/health', undefined, null)).body.reason).toMatch(/^DynamoDB cannot be reached/)

    // The store answers only now, on the same endpoint, long after the app started.
    dynalite = await startDynalite('ouroboros-late-', port)
    await createTables(endpoint, prefix)
    expect((await call('GET', '/api/health', undefined, null)).status).toBe(200)
    const created = await call('POST', '/api/rules', rule)
    expect(created.status).toBe(201)
    expect((await call('GET', '/api/rules/unavailable-stop')).body.name).toBe('unavailable-stop')
  })
})

describe('a Scheduler that does not answer', () => {
  it('answers 503 naming EventBridge Scheduler, and says what happened to the rule', async () => {
    const prefix = `sched${randomBytes(3).toString('hex')}-`
    await createTables(process.env.MOTO_ENDPOINT!, prefix)
    const closed = await freePort()
    server = await startWithStore(process.env.MOTO_ENDPOINT!, prefix, {
      NUXT_SCHEDULER: 'eventbridge',
      AWS_ENDPOINT_URL_SCHEDULER: `http://127.0.0.1:${closed}`,
      NUXT_SCHEDULER_TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros',
      NUXT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/scheduler',
    })
    const created = await call('POST', '/api/rules', rule)
    expectUnavailable(created, /^EventBridge Scheduler could not save the schedule 'unavailable-stop'.*The rule was not created.*\(EventBridge Scheduler cannot be reached \(connect ECONNREFUSED 127\.0\.0\.1:\d+\): check AWS_ENDPOINT_URL_SCHEDULER/)
    expect(created.body.data.service).toBe('EventBridge Scheduler')
    // A new rule is taken back out when its schedule cannot be made: nothing half-made is left.
    expect((await call('GET', '/api/rules/unavailable-stop')).status).toBe(404)
  })
})

afterAll(async () => {
  if (server) await stopAndClean(server)
})
