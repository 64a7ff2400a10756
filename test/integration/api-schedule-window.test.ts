// GET /api/schedule and GET /api/schedule/preview against the built server on its embedded store: the firings of
// rules in a window with the calendar days they skip, read without a key, and 400s with field issues for bad input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { utcDate } from '../../shared/dates'
import { motoEndpoint, OWN_ACCOUNT } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-schedule-0123456789'
// Next year's Christmas, so the window is ahead of now on any date.
const year = Number(utcDate(new Date()).slice(0, 4)) + 1
const from = `${year}-12-20T00:00:00Z`
const to = `${year}-12-30T00:00:00Z`

describe('the schedule of rules in a window', () => {
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)
  const rule = (name: string, overrides: Record<string, unknown> = {}) => ({
    name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: 'tag:app=none',
    scheduleExpression: 'cron(0 19 * * ? *)', timezone: 'Europe/Berlin', ...overrides,
  })

  beforeAll(async () => {
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL_EC2: motoEndpoint(), AWS_ENDPOINT_URL_STS: motoEndpoint() })
    expect((await call('POST', '/api/calendars', { name: 'de-by', entries: [{ holidays: { country: 'DE', region: 'BY' } }] })).status).toBe(201)
    expect((await call('POST', '/api/rules', rule('evening-stop', { skipCalendars: ['de-by'] }))).status).toBe(201)
    expect((await call('POST', '/api/rules', rule('morning-start', { action: 'start', scheduleExpression: 'cron(0 7 * * ? *)' }))).status).toBe(201)
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
  })

  it('answers every firing in the window to a visitor without a key, the holidays skipped with why', async () => {
    const answer = await call('GET', `/api/schedule?from=${from}&to=${to}`, undefined, null)
    expect(answer.status, JSON.stringify(answer.body)).toBe(200)
    const { items, days } = answer.body
    expect(items).toHaveLength(20)
    expect(items.filter((i: { rule: string }) => i.rule === 'morning-start').every((i: { skipped?: unknown }) => !i.skipped)).toBe(true)
    const skipped = items.filter((i: { skipped?: unknown }) => i.skipped)
    expect(skipped.map((i: { at: string }) => i.at)).toEqual([`${year}-12-25T18:00:00.000Z`, `${year}-12-26T18:00:00.000Z`])
    expect(skipped[0]).toEqual({
      rule: 'evening-stop', at: `${year}-12-25T18:00:00.000Z`, action: 'stop',
      skipped: { reason: `${year}-12-25 is Christmas Day (calendar de-by)`, cause: { kind: 'calendar', date: `${year}-12-25`, calendar: 'de-by', label: 'Christmas Day', names: [{ en: 'Christmas Day', zh: expect.any(String) }] } },
    })
    expect(days.map((d: { date: string, calendar: string }) => `${d.date} ${d.calendar}`)).toEqual([`${year}-12-25 de-by`, `${year}-12-26 de-by`])
  })

  it('answers only the rules named', async () => {
    const answer = await call('GET', `/api/schedule?from=${from}&to=${to}&rules=morning-start`, undefined, null)
    expect(answer.status).toBe(200)
    expect(new Set(answer.body.items.map((i: { rule: string }) => i.rule))).toEqual(new Set(['morning-start']))
    expect(answer.body.days).toEqual([])
  })

  it('answers 400 with field issues for a window over 62 days, a bad instant and a rule that does not exist', async () => {
    const long = await call('GET', `/api/schedule?from=${year}-01-01&to=${year}-03-05`, undefined, null)
    expect(long.status).toBe(400)
    expect(long.body.data.issues).toEqual([expect.objectContaining({ path: 'to', code: 'window.tooLong' })])
    const bad = await call('GET', '/api/schedule?from=soon', undefined, null)
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues).toEqual([expect.objectContaining({ path: 'from', code: 'window.instant' })])
    const unknown = await call('GET', `/api/schedule?from=${from}&to=${to}&rules=morning-start,nobody`, undefined, null)
    expect(unknown.status).toBe(400)
    expect(unknown.body.data.issues).toEqual([expect.objectContaining({ path: 'rules.1', code: 'window.rules.unknown' })])
  })

  it('previews a rule not yet saved, its calendar\'s days greyed out, and refuses a calendar that does not exist', async () => {
    const expression = encodeURIComponent('cron(0 19 * * ? *)')
    const preview = await call('GET', `/api/schedule/preview?expression=${expression}&timezone=Europe/Berlin&calendars=de-by&count=20`, undefined, null)
    expect(preview.status, JSON.stringify(preview.body)).toBe(200)
    const christmas = preview.body.items.filter((i: { at: string }) => i.at.startsWith(`${utcDate(new Date()).slice(0, 4)}-12-25`) || i.at.startsWith(`${year}-12-25`))
    // Within the next 20 evenings there may be no Christmas; every skipped one names de-by.
    for (const item of preview.body.items) if (item.skipped) expect(item.skipped.cause.calendar).toBe('de-by')
    expect(christmas.every((i: { skipped?: unknown }) => i.skipped)).toBe(true)
    expect(preview.body.items.filter((i: { skipped?: unknown }) => !i.skipped)).toHaveLength(20)
    const missing = await call('GET', `/api/schedule/preview?expression=${expression}&calendars=nope`, undefined, null)
    expect(missing.status).toBe(400)
    expect(missing.body.data.issues).toEqual([expect.objectContaining({ path: 'calendars.0', code: 'rule.skipCalendars.unknown' })])
  })
})
