// The aws-lambda build, run as Lambda runs it: a plain Node process imports .output-lambda/server/index.mjs
// (bench/lib/lambda-invoke.mjs) and calls its handler with Function URL requests and EventBridge Scheduler
// payloads. DynamoDB, Scheduler, EC2 and STS are moto's; the tables are created first, as the stack would.
import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { DeleteTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { executeEvent, httpEvent, RECONCILE_EVENT } from '../helpers/lambda-events'
import type { HttpAnswer } from '../helpers/lambda-events'
import { buildIfChanged, TEST_BUILDS } from '../../scripts/build.mjs'
import { tableSpecs } from '../../scripts/deploy-template.mjs'
import { parseServerConfig } from '../../server/utils/config'
import { ensureTables, tableDefinitions } from '../../server/utils/tables'
import { motoEc2, motoEndpoint, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'

const OUTPUT = resolve(TEST_BUILDS.lambda.NITRO_OUTPUT_DIR)
const ENTRY = join(OUTPUT, 'server/index.mjs')
const REGION = 'us-east-1'

interface Invocation {
  importMs: number
  results: { ms: number, answer: unknown }[]
}

/** Imports the handler in a fresh Node process and calls it with `events` in turn. */
function invoke(events: unknown[], env: Record<string, string>, dir: string): Invocation {
  const eventsFile = join(dir, `events-${randomBytes(4).toString('hex')}.json`)
  const resultFile = `${eventsFile}.result.json`
  writeFileSync(eventsFile, JSON.stringify(events))
  const r = spawnSync(process.execPath, [resolve('bench/lib/lambda-invoke.mjs'), ENTRY, eventsFile, resultFile], {
    encoding: 'utf8',
    // Only what Lambda would set, plus moto's endpoints: nothing of the test runner's own settings.
    env: { PATH: process.env.PATH, ...env },
    timeout: 120_000,
  })
  if (r.status !== 0) throw new Error(`the handler process failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`)
  return JSON.parse(readFileSync(resultFile, 'utf8'))
}

describe('the Lambda build', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-lambda-'))
  const prefix = `l${randomBytes(4).toString('hex')}-`
  const adminKey = `ouro_admin_${randomBytes(24).toString('base64url')}`
  const names = Object.fromEntries(
    (tableSpecs({ parseServerConfig, tableDefinitions }) as { key: string, suffix: string }[]).map(s => [s.key, `${prefix}${s.suffix}`]),
  )
  const dynamo = new DynamoDBClient({ region: REGION, endpoint: motoEndpoint() })
  let env: Record<string, string>

  beforeAll(async () => {
    // OUROBOROS_SKIP_LAMBDA_BUILD=1 reuses the last Lambda build while iterating on this test; `npm test` has made
    // a build of these sources before the suites, which is reused.
    if (process.env.OUROBOROS_SKIP_LAMBDA_BUILD !== '1' || !existsSync(ENTRY)) {
      const { status, output } = await buildIfChanged(TEST_BUILDS.lambda)
      if (status !== 0) throw new Error(`the aws-lambda build failed (exit ${status}):\n${output}`)
    }
    await ensureTables(dynamo, names)
    env = {
      // What infra/hub.yaml sets, with moto for every AWS endpoint.
      AWS_LAMBDA_FUNCTION_NAME: 'ouroboros-test',
      AWS_REGION: REGION,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_SESSION_TOKEN: 'testing',
      AWS_ENDPOINT_URL: motoEndpoint(),
      AWS_ENDPOINT_URL_DYNAMODB: motoEndpoint(),
      NUXT_STORE: 'dynamodb',
      NUXT_TABLE_PREFIX: prefix,
      NUXT_ADMIN_API_KEY: adminKey,
      NUXT_SCHEDULER: 'eventbridge',
      NUXT_SCHEDULER_GROUP: `${prefix}group`,
      NUXT_SCHEDULER_TARGET_ARN: `arn:aws:lambda:${REGION}:${OWN_ACCOUNT}:function:ouroboros-test`,
      NUXT_SCHEDULER_ROLE_ARN: `arn:aws:iam::${OWN_ACCOUNT}:role/ouroboros-test-scheduler`,
      NUXT_SCHEDULER_DLQ_ARN: `arn:aws:sqs:${REGION}:${OWN_ACCOUNT}:ouroboros-test-dlq`,
      NUXT_VERIFY_TIMEOUT_SECONDS: '10',
    }
  }, 600_000)

  afterAll(async () => {
    for (const TableName of Object.values(names)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
    dynamo.destroy()
    rmSync(dir, { recursive: true, force: true })
  })

  it('answers GET /api/rules with 200 and JSON', () => {
    const answer = (invoke([httpEvent('GET', '/api/rules')], env, dir) as { results: { answer: HttpAnswer }[] }).results[0]!.answer
    expect(answer.statusCode).toBe(200)
    expect(answer.headers['content-type']).toMatch(/^application\/json/)
    expect(JSON.parse(answer.body)).toEqual({ items: [], cursor: null })
  })

  it('serves the built assets with their content type, a one-year immutable cache and the exact bytes', () => {
    const assets = readdirSync(join(OUTPUT, 'public/_nuxt'))
    const js = assets.find(f => f.endsWith('.js'))!
    const css = assets.find(f => f.endsWith('.css'))!
    const { results } = invoke([httpEvent('GET', `/_nuxt/${js}`), httpEvent('GET', `/_nuxt/${css}`), httpEvent('GET', '/_nuxt/missing.js')], env, dir) as { results: { answer: HttpAnswer }[] }
    const [jsAnswer, cssAnswer, missing] = results.map(r => r.answer)
    expect(jsAnswer!.statusCode).toBe(200)
    expect(jsAnswer!.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect(jsAnswer!.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    expect(jsAnswer!.headers.etag).toBeTruthy()
    expect(jsAnswer!.isBase64Encoded).toBe(false)
    expect(jsAnswer!.body).toBe(readFileSync(join(OUTPUT, 'public/_nuxt', js), 'utf8'))
    expect(cssAnswer!.headers['content-type']).toBe('text/css; charset=utf-8')
    expect(missing!.statusCode).toBe(404)
  })

  it('runs a rule for a Scheduler payload: its instances stop and the run is logged once', async () => {
    const ec2 = motoEc2(REGION)
    const tag = uniqueValue('lambda')
    const ids = await seedInstances(ec2, { count: 3, tags: { Name: tag } })
    const others = await seedInstances(ec2, { count: 1, tags: { Name: `${tag}-other` } })
    const rule = `lambda-${randomBytes(3).toString('hex')}`
    const executionId = `exec-${randomBytes(6).toString('hex')}`
    const body = JSON.stringify({
      name: rule,
      accountId: OWN_ACCOUNT,
      regions: [REGION],
      action: 'stop',
      filters: `tag:Name=${tag}`,
      scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
      timezone: 'UTC',
    })
    const { results } = invoke([
      httpEvent('POST', '/api/rules', { headers: { 'x-api-key': adminKey, 'content-type': 'application/json' }, body }),
      executeEvent(rule, executionId),
      // EventBridge delivers at least once: the same execution again must not run or log twice.
      executeEvent(rule, executionId),
      httpEvent('GET', '/api/logs', { query: { rule } }),
      RECONCILE_EVENT,
      { something: 'else' },
    ], env, dir)
    const [created, run, , logs, reconcile, unknown] = results.map(r => r.answer) as [HttpAnswer, Record<string, unknown>, unknown, HttpAnswer, Record<string, unknown>, Record<string, unknown>]

    expect(created.statusCode).toBe(201)
    expect(run).toMatchObject({ eventId: executionId, ruleName: rule, status: 'succeeded' })
    expect(await statesOf(ec2, ids)).toEqual(Object.fromEntries(ids.map(id => [id, 'stopped'])))
    expect(await statesOf(ec2, others)).toEqual({ [others[0]!]: 'running' })

    const entries = JSON.parse(logs.body).items as { eventId: string }[]
    expect(entries.map(e => e.eventId)).toEqual([executionId])
    const { Item } = await dynamo.send(new GetItemCommand({ TableName: names.logs, Key: { eventId: { S: executionId } } }))
    expect(Item?.ruleName?.S).toBe(rule)

    // The reconcile payload runs rules:reconcile; an unknown event is ignored, not run.
    expect(reconcile).toMatchObject({ rules: 1, errors: [] })
    expect(unknown).toMatchObject({ ignored: true })
  })

  it('renders the UI\'s first page server-side', () => {
    const answer = (invoke([httpEvent('GET', '/')], env, dir) as { results: { answer: HttpAnswer }[] }).results[0]!.answer
    expect(answer.statusCode).toBe(200)
    expect(answer.headers['content-type']).toMatch(/^text\/html/)
    expect(answer.body).toContain('/_nuxt/')
  })

  it('renders pages in the browser\'s language, after an API answer in the same process', () => {
    // The API answer comes first, as in a cold start: the page renderer (and Vue) load on the first page.
    const { results } = invoke([
      httpEvent('GET', '/api/rules'),
      httpEvent('GET', '/logs', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } }),
      httpEvent('GET', '/accounts', { headers: { 'accept-language': 'en-US' } }),
    ], env, dir) as { results: { answer: HttpAnswer }[] }
    const [api, logs, accounts] = results.map(r => r.answer)
    expect(api!.statusCode).toBe(200)
    expect(logs!.statusCode).toBe(200)
    expect(logs!.body).toContain('lang="zh-CN"')
    expect(logs!.body).toMatch(/<title>日志 · Ouroboros<\/title>/)
    expect(accounts!.statusCode).toBe(200)
    expect(accounts!.body).toMatch(/<title>Member accounts · Ouroboros<\/title>/)
  })
})
