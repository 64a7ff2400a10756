// Local mode end to end: a rule created through the API fires on its own at its time, in the app's
// in-process scheduler, and its run appears in the log with each instance's outcome.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { formatInZone } from '../../shared/schedule'
import { motoEc2, motoEndpoint, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-local-firing'
let server: RunningServer

beforeAll(async () => {
  server = await startServer({
    NUXT_ADMIN_API_KEY: KEY,
    NUXT_SCHEDULER: 'local',
    NUXT_VERIFY_TIMEOUT_SECONDS: '10',
    AWS_ENDPOINT_URL_EC2: motoEndpoint(),
    AWS_ENDPOINT_URL_STS: motoEndpoint(),
  })
})
afterAll(async () => server && stopAndClean(server))

describe('local scheduler through the API', () => {
  it('fires a new rule at its time and logs the run with each instance', async () => {
    const tag = uniqueValue('fire')
    const ec2 = motoEc2('us-east-1')
    const ids = await seedInstances(ec2, { count: 2, tags: { app: tag } })
    const timezone = 'America/Sao_Paulo'
    const due = new Date(Math.ceil((Date.now() + 3_000) / 1000) * 1000)
    const name = `fires-${tag}`
    const created = await fetch(`${server.url}/api/rules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': KEY },
      body: JSON.stringify({
        name,
        accountId: OWN_ACCOUNT,
        regions: ['us-east-1'],
        action: 'stop',
        filters: `tag:app=${tag}`,
        scheduleExpression: `at(${formatInZone(due, timezone).slice(0, 19)})`,
        timezone,
      }),
    })
    expect(created.status).toBe(201)

    // Nothing runs before its time.
    expect((await (await fetch(`${server.url}/api/logs?rule=${name}`)).json()).items).toEqual([])
    let items: { eventId: string, trigger: string, status: string, scheduledTime: string }[] = []
    for (let i = 0; i < 100 && items.length === 0; i++) {
      await new Promise(r => setTimeout(r, 200))
      items = (await (await fetch(`${server.url}/api/logs?rule=${name}`)).json()).items
    }
    expect(items).toHaveLength(1)
    expect(items[0]).toMatchObject({ trigger: 'schedule', status: 'succeeded', scheduledTime: due.toISOString() })
    const run = await (await fetch(`${server.url}/api/logs/${items[0]!.eventId}`)).json()
    expect(run.targets.map((t: { instanceId: string }) => t.instanceId).sort()).toEqual([...ids].sort())
    for (const t of run.targets) expect(t).toMatchObject({ stateBefore: 'running', stateAfter: 'stopped', outcome: 'stopped' })
    expect(Object.values(await statesOf(ec2, ids))).toEqual(['stopped', 'stopped'])

    // A one-time rule shows as completed after its run.
    const rule = await (await fetch(`${server.url}/api/rules/${name}`)).json()
    expect(rule).toMatchObject({ completed: true, nextRuns: [] })
  })
})
