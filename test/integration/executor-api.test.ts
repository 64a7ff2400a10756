// The run and preview routes, against the built server with its EC2 and STS pointed at moto
// through the SDK's own AWS_ENDPOINT_URL_* variables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { motoEc2, motoEndpoint, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-executor-0123456789'
let server: RunningServer

const call = apiClient(() => server.url, KEY)

beforeAll(async () => {
  server = await startServer({
    NUXT_ADMIN_API_KEY: KEY,
    NUXT_VERIFY_TIMEOUT_SECONDS: '10',
    AWS_ENDPOINT_URL_EC2: motoEndpoint(),
    AWS_ENDPOINT_URL_STS: motoEndpoint(),
  })
})
afterAll(async () => server && stopAndClean(server))

describe('POST /api/rules/:name/run', () => {
  it('runs a rule now, answers its log entry, and a dry run first acts on nothing', async () => {
    const tag = uniqueValue('api')
    const ec2 = motoEc2('us-east-1')
    const seeded = await seedInstances(ec2, { count: 2, tags: { app: tag } })
    const name = `api-run-${tag}`
    const created = await call('POST', '/api/rules', {
      name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: `tag:app=${tag}`,
      // Never fires during the test.
      scheduleExpression: 'cron(0 3 1 1 ? 2099)',
    })
    expect(created.status).toBe(201)

    const dry = await call('POST', `/api/rules/${name}/run`, { dryRun: true })
    expect(dry.status).toBe(200)
    expect(dry.body).toMatchObject({ dryRun: true, counts: { total: 2, wouldAct: 2, skipped: 0 } })
    expect(Object.values(await statesOf(ec2, seeded))).toEqual(['running', 'running'])

    const run = await call('POST', `/api/rules/${name}/run`)
    expect(run.status).toBe(201)
    expect(run.body).toMatchObject({ ruleName: name, trigger: 'manual', status: 'succeeded', counts: { total: 2, acted: 2 } })
    expect(Object.values(await statesOf(ec2, seeded))).toEqual(['stopped', 'stopped'])

    const logged = await call('GET', `/api/logs/${run.body.eventId}`, undefined, null)
    // The run's detail: the same run, with its counts by outcome, account, region and type, and no page after this one.
    expect(logged.body).toEqual({ ...run.body, countsBy: expect.objectContaining({ outcome: { stopped: 2 } }), targetsCursor: null })
  })

  it('refuses a caller without the admin key before reading the body', async () => {
    const res = await call('POST', '/api/rules/anything/run', { dryRun: 'not a boolean' }, null)
    expect(res.status).toBe(401)
  })

  it('answers 400 for bad options and 404 for a rule that does not exist, logging nothing', async () => {
    expect((await call('POST', '/api/rules/anything/run', { dryRun: 'yes' })).status).toBe(400)
    const missing = await call('POST', '/api/rules/no-such-rule/run')
    expect(missing.status).toBe(404)
    expect((await call('GET', '/api/logs?rule=no-such-rule', undefined, null)).body.items).toEqual([])
  })
})

describe('POST /api/preview', () => {
  it('answers which instances would be acted on or skipped, and why', async () => {
    const tag = uniqueValue('preview')
    const ec2 = motoEc2('us-east-1')
    const [running] = await seedInstances(ec2, { tags: { app: tag } })
    const [optedOut] = await seedInstances(ec2, { tags: { 'app': tag, 'ouroboros:skip': 'true' } })

    const res = await call('POST', '/api/preview', { accountId: OWN_ACCOUNT, action: 'stop', filters: `tag:app=${tag}` })

    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ dryRun: true, accountId: OWN_ACCOUNT, regions: ['us-east-1'], counts: { total: 2, wouldAct: 1, skipped: 1 } })
    const byId = Object.fromEntries(res.body.targets.map((t: { instanceId: string }) => [t.instanceId, t]))
    expect(byId[running!]).toMatchObject({ outcome: 'would-stop', state: 'running' })
    expect(byId[optedOut!]).toMatchObject({ outcome: 'skipped', reason: expect.stringContaining('ouroboros:skip') })
    expect(await statesOf(ec2, [running!])).toEqual({ [running!]: 'running' })
  })

  it('previews every instance of the account only when asked to, as saving a rule requires', async () => {
    const tag = uniqueValue('preview-all')
    const [instance] = await seedInstances(motoEc2('us-east-1'), { tags: { app: tag } })

    const refused = await call('POST', '/api/preview', { accountId: OWN_ACCOUNT, action: 'stop' })
    expect(refused.status).toBe(400)
    expect(refused.body.data.issues).toEqual([expect.objectContaining({ path: 'allInstances', message: expect.stringContaining('every instance') })])
    const everything = await call('POST', '/api/preview', { accountId: OWN_ACCOUNT, action: 'stop', allInstances: true })
    expect(everything.status).toBe(200)
    expect(everything.body.targets.map((t: { instanceId: string }) => t.instanceId)).toContain(instance)
    const both = await call('POST', '/api/preview', { accountId: OWN_ACCOUNT, action: 'stop', filters: `tag:app=${tag}`, allInstances: true })
    expect(both.status).toBe(400)
    expect(both.body.data.issues.map((i: { path: string }) => i.path)).toEqual(['allInstances'])
  })

  it('names each wrong field, and needs the admin key', async () => {
    const bad = await call('POST', '/api/preview', { accountId: '12', action: 'reboot', filters: 'colour=blue' })
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues.map((i: { path: string }) => i.path).sort()).toEqual(['accountId', 'action', 'filters'])
    expect((await call('POST', '/api/preview', { accountId: OWN_ACCOUNT, action: 'stop' }, null)).status).toBe(401)
  })
})
