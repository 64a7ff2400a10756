// The API with the EventBridge scheduler: schedules follow rule changes (moto), and a failing
// Scheduler answers 502 and leaves no rule active without a schedule.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CreateScheduleCommand, CreateScheduleGroupCommand, ListSchedulesCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-schedules'
const SCHEDULER_ENV = {
  NUXT_ADMIN_API_KEY: KEY,
  NUXT_SCHEDULER: 'eventbridge',
  NUXT_SCHEDULER_TARGET_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros',
  NUXT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/ouroboros-scheduler',
}

const rule = (name: string) => ({
  name,
  accountId: '123456789012',
  action: 'stop',
  filters: 'tag:Name=web',
  scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
  timezone: 'Europe/Berlin',
})

describe('API with EventBridge Scheduler on moto', () => {
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)
  const group = `api-${Date.now()}`
  beforeAll(async () => {
    server = await startServer({ ...SCHEDULER_ENV, NUXT_SCHEDULER_GROUP: group, AWS_ENDPOINT_URL_SCHEDULER: process.env.MOTO_ENDPOINT! })
  })
  afterAll(async () => server && stopAndClean(server))

  it('answers a created rule as in sync with its schedule, and reconciles on demand', async () => {
    expect((await call('POST', '/api/rules', rule('api-eb'))).status).toBe(201)
    const read = await call('GET', '/api/rules/api-eb')
    expect(read.body.scheduleStatus).toBe('in-sync')
    const report = await call('POST', '/api/admin/reconcile')
    expect(report.status).toBe(200)
    expect(report.body).toMatchObject({ rules: 1, schedules: 1, created: [], updated: [], deleted: [], errors: [] })
  })

  it('removes, on demand, a revert schedule that no revert waits for', async () => {
    const scheduler = new SchedulerClient({ region: 'us-east-1', endpoint: process.env.MOTO_ENDPOINT! })
    const revertGroup = `${group}-reverts`
    await scheduler.send(new CreateScheduleGroupCommand({ Name: revertGroup }))
    await scheduler.send(new CreateScheduleCommand({
      Name: 'i-0123456789abcdef0.123456789012.us-east-1', GroupName: revertGroup, ScheduleExpression: 'at(2030-01-01T00:00:00)',
      FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: SCHEDULER_ENV.NUXT_SCHEDULER_TARGET_ARN, RoleArn: SCHEDULER_ENV.NUXT_SCHEDULER_ROLE_ARN, Input: '{}' },
    }))
    const report = await call('POST', '/api/admin/reconcile')
    expect(report.status).toBe(200)
    expect(report.body.reverts).toEqual({ inSync: 0, armed: 0, removed: 1, ran: 0, moved: 0, errors: [] })
    expect((await scheduler.send(new ListSchedulesCommand({ GroupName: revertGroup }))).Schedules).toEqual([])
  })

  it('refuses reconcile without the admin key', async () => {
    const res = await fetch(`${server.url}/api/admin/reconcile`, { method: 'POST' })
    expect(res.status).toBe(401)
  })
})

describe('API when EventBridge Scheduler refuses', () => {
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)
  let refusing: Server
  beforeAll(async () => {
    // Answers every Scheduler call with a non-retryable AccessDenied, as a wrong IAM policy would.
    refusing = createServer((_req, res) => {
      res.writeHead(403, { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' })
      res.end(JSON.stringify({ Message: 'User is not authorized to perform: scheduler:CreateSchedule' }))
    })
    await new Promise<void>(ok => refusing.listen(0, '127.0.0.1', () => ok()))
    const { port } = refusing.address() as AddressInfo
    server = await startServer({ ...SCHEDULER_ENV, AWS_ENDPOINT_URL_SCHEDULER: `http://127.0.0.1:${port}` })
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
    refusing?.close()
  })

  it('answers 502 with what failed, and keeps no rule without a schedule', async () => {
    const res = await call('POST', '/api/rules', rule('api-refused'))
    expect(res.status).toBe(502)
    expect(res.body.statusMessage).toContain('EventBridge Scheduler could not save the schedule \'api-refused\': AccessDeniedException')
    expect(res.body.statusMessage).toContain('The rule was not created')
    expect((await call('GET', '/api/rules/api-refused')).status).toBe(404)
  })
})
