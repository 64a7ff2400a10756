// The calendars API and rules that skip calendar days, against the built server, once on its embedded store and once
// on moto's DynamoDB (the tables made as infra/hub.yaml makes them): create, read, update, delete, 409 while a rule
// uses a calendar, 400s with field issues, a rule's next runs and skips, and the audit trail of every change.
import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { addDays, utcDate } from '../../shared/dates'
import { parseServerConfig } from '../../server/utils/config'
import { ensureTables } from '../../server/utils/tables'
import { TEAM_DAYS_OFF } from '../helpers/ics'
import { motoEndpoint, OWN_ACCOUNT } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-calendars-0123456789'

interface Setup {
  env: Record<string, string>
  cleanup: () => Promise<void>
}

async function embedded(): Promise<Setup> {
  return { env: {}, cleanup: async () => {} }
}

async function motoDynamo(): Promise<Setup> {
  const prefix = `c${randomUUID().slice(0, 8)}-`
  const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
  const tables = { ...config.tables, ...config.accessTables }
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  await ensureTables(dynamo, tables)
  return {
    env: { NUXT_STORE: 'dynamodb', NUXT_SCHEDULER: 'local', NUXT_TABLE_PREFIX: prefix, AWS_ENDPOINT_URL_DYNAMODB: motoEndpoint() },
    cleanup: async () => {
      for (const TableName of Object.values(tables)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
      dynamo.destroy()
    },
  }
}

// Days and times relative to now, so the suite means the same on any date.
const today = utcDate(new Date())
const year = Number(today.slice(0, 4))
const nextYear = year + 1

describe.each([
  ['the embedded store', embedded],
  ['moto\'s DynamoDB', motoDynamo],
] as const)('calendars API on %s', (_label, open) => {
  let setup: Setup
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)
  const rule = (name: string, overrides: Record<string, unknown> = {}) => ({
    name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: 'tag:app=none',
    scheduleExpression: 'cron(0 8 ? * * *)', timezone: 'Europe/Berlin', ...overrides,
  })

  beforeAll(async () => {
    setup = await open()
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL_EC2: motoEndpoint(), AWS_ENDPOINT_URL_STS: motoEndpoint(), ...setup.env })
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
    await setup?.cleanup()
  })

  it('creates, reads, lists, updates and deletes a calendar, importing an .ics file on the way', async () => {
    const beforeImport = Date.now()
    const created = await call('POST', '/api/calendars', {
      name: 'team',
      description: 'days off',
      entries: [
        { date: `${nextYear}-12-24`, label: 'Christmas Eve' },
        { from: `${nextYear}-12-28`, to: `${nextYear + 1}-01-01`, label: 'office shutdown' },
        { annual: '12-31', label: 'New Year\'s Eve' },
        { holidays: { country: 'DE', region: 'BY' } },
        { ics: TEAM_DAYS_OFF, file: 'team.ics' },
      ],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body).toMatchObject({ name: 'team', version: 1, entries: [{}, {}, {}, { holidays: { country: 'DE', region: 'BY', types: ['public'] } }, { ics: { file: 'team.ics' } }] })
    const imported = created.body.entries[4].ics
    // Imported now: its horizon runs from 1 January of this year to three years ahead.
    // Stamped during the request: between the moments before it was sent and after it was answered.
    expect(Date.parse(imported.importedAt)).toBeGreaterThanOrEqual(Math.floor(beforeImport / 1000) * 1000)
    expect(Date.parse(imported.importedAt)).toBeLessThanOrEqual(Date.now())
    expect(imported.horizon.from).toBe(`${year}-01-01`)
    expect(imported.horizon.to >= `${year + 3}-01-01`).toBe(true)

    const read = await call('GET', '/api/calendars/team', undefined, null)
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ name: 'team', usedBy: [], entries: created.body.entries })

    const list = await call('GET', '/api/calendars', undefined, null)
    expect(list.body.items.map((c: { name: string }) => c.name)).toContain('team')
    const listed = list.body.items.find((c: { name: string }) => c.name === 'team')
    expect(listed.entries[4].ics).toEqual({ file: 'team.ics', importedAt: imported.importedAt, horizon: imported.horizon, dayCount: imported.days.length, ignoredEvents: 1 })

    // The answered calendar goes back unchanged but for one entry: the file stays as imported.
    const { createdAt: _c, updatedAt: _u, usedBy: _b, ...body } = read.body
    const updated = await call('PUT', '/api/calendars/team', { ...body, entries: [...body.entries.slice(1)] })
    expect(updated.status, JSON.stringify(updated.body)).toBe(200)
    expect(updated.body).toMatchObject({ version: 2, entries: [{ from: `${nextYear}-12-28` }, {}, {}, { ics: { importedAt: imported.importedAt } }] })
    expect((await call('PUT', '/api/calendars/team', { ...body, version: 1 })).status).toBe(409)

    const deleted = await call('DELETE', '/api/calendars/team')
    expect(deleted.status).toBe(200)
    expect((await call('GET', '/api/calendars/team')).status).toBe(404)
    expect((await call('DELETE', '/api/calendars/team')).status).toBe(404)
  })

  it('answers a calendar\'s days in a window with their sources, and refuses a window beyond 3 years', async () => {
    expect((await call('POST', '/api/calendars', {
      name: 'de-by',
      entries: [{ holidays: { country: 'DE', region: 'BY' } }, { date: `${nextYear}-12-24`, label: 'Christmas Eve' }, { annual: '12-31', label: 'New Year\'s Eve' }],
    })).status).toBe(201)
    const days = await call('GET', `/api/calendars/de-by/days?from=${nextYear}-12-20&to=${nextYear}-12-31`, undefined, null)
    expect(days.status).toBe(200)
    expect(days.body.items).toEqual([
      { date: `${nextYear}-12-24`, label: 'Christmas Eve', source: 'date' },
      { date: `${nextYear}-12-25`, label: 'Christmas Day', source: 'holidays:DE-BY', names: { en: 'Christmas Day', zh: expect.any(String) } },
      { date: `${nextYear}-12-26`, label: 'Boxing Day', source: 'holidays:DE-BY', names: { en: 'Boxing Day' } },
      { date: `${nextYear}-12-31`, label: 'New Year\'s Eve', source: 'annual' },
    ])
    const tooLong = await call('GET', `/api/calendars/de-by/days?from=${nextYear}-01-01&to=${nextYear + 3}-01-01`)
    expect(tooLong.status).toBe(400)
    expect(tooLong.body.data.issues).toEqual([expect.objectContaining({ path: 'to', code: 'calendar.window.tooLong' })])
    expect((await call('GET', `/api/calendars/de-by/days?from=${nextYear}-01-02&to=${nextYear}-01-01`)).status).toBe(400)
    expect((await call('GET', `/api/calendars/nope/days?from=${nextYear}-01-01&to=${nextYear}-01-02`)).status).toBe(404)
  })

  it('skips a rule\'s firings on its calendar days: nextRuns leaves them out, nextSkips says why', async () => {
    const created = await call('POST', '/api/rules', rule('daily-de', { skipCalendars: ['de-by'] }))
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.body.skipCalendars).toEqual(['de-by'])
    const read = await call('GET', '/api/rules/daily-de', undefined, null)
    expect(read.body.nextRuns).toHaveLength(5)
    // The days of the next runs and skips are consecutive, and every skip is a day of the calendar.
    const dates = [...read.body.nextRuns, ...read.body.nextSkips.map((s: { at: string }) => s.at)].map((at: string) => at.slice(0, 10)).sort()
    expect(dates.slice(1).every((d: string, i: number) => d === addDays(dates[i]!, 1))).toBe(true)
    const from = dates[0]!
    const holidays = (await call('GET', `/api/calendars/de-by/days?from=${from}&to=${dates.at(-1)}`)).body.items.map((d: { date: string }) => d.date)
    expect(read.body.nextSkips.map((s: { at: string }) => s.at.slice(0, 10))).toEqual(holidays.filter((d: string) => dates.includes(d)))
    for (const s of read.body.nextSkips) expect(s.reason).toMatch(/^\d{4}-\d\d-\d\d is .+ \(calendar de-by\)$/)

    // A one-time rule whose only firing is a calendar day that has passed: completed, nothing ahead.
    const once = await call('POST', '/api/rules', rule('once-xmas', { scheduleExpression: `at(${year - 1}-12-25T08:00:00)`, skipCalendars: ['de-by'] }))
    expect(once.status).toBe(201)
    expect((await call('GET', '/api/rules/once-xmas')).body).toMatchObject({ completed: true, nextRuns: [], nextSkips: [] })
    const ahead = await call('POST', '/api/rules', rule('once-ahead', { scheduleExpression: `at(${nextYear}-12-25T08:00:00)`, skipCalendars: ['de-by'] }))
    expect(ahead.status).toBe(201)
    expect((await call('GET', '/api/rules/once-ahead')).body).toMatchObject({
      completed: false, nextRuns: [], nextSkips: [{ at: `${nextYear}-12-25T08:00:00+01:00`, reason: `${nextYear}-12-25 is Christmas Day (calendar de-by)` }],
      nextRunsNote: expect.stringContaining('will be skipped'),
    })
  })

  it('refuses to delete a calendar that rules use, naming them, and deletes it once they no longer do', async () => {
    expect((await call('POST', '/api/calendars', { name: 'shutdown', entries: [{ from: `${nextYear}-12-24`, to: `${nextYear + 1}-01-02`, label: 'office shutdown' }] })).status).toBe(201)
    const a = await call('POST', '/api/rules', rule('uses-a', { skipCalendars: ['shutdown'] }))
    const b = await call('POST', '/api/rules', rule('uses-b', { skipCalendars: ['de-by', 'shutdown'] }))
    expect([a.status, b.status]).toEqual([201, 201])
    expect((await call('GET', '/api/calendars/shutdown')).body.usedBy).toEqual(['uses-a', 'uses-b'])

    const refused = await call('DELETE', '/api/calendars/shutdown')
    expect(refused.status).toBe(409)
    expect(refused.body.data.rules).toEqual(['uses-a', 'uses-b'])
    expect(refused.body.statusMessage).toContain('\'uses-a\', \'uses-b\'')
    expect((await call('GET', '/api/calendars/shutdown')).status).toBe(200)

    expect((await call('PUT', '/api/rules/uses-a', { ...rule('uses-a'), skipCalendars: [], version: 1 })).status).toBe(200)
    expect((await call('DELETE', '/api/rules/uses-b')).status).toBe(200)
    const deleted = await call('DELETE', '/api/calendars/shutdown')
    expect(deleted.status).toBe(200)
    expect(deleted.body).toMatchObject({ name: 'shutdown', version: 1 })
  })

  it.each([
    ['an unknown country', { name: 'bad', entries: [{ holidays: { country: 'XX' } }] }, 'entries.0.holidays.country', 'calendar.holidays.country'],
    ['an unknown region', { name: 'bad', entries: [{ holidays: { country: 'DE', region: 'ZZ' } }] }, 'entries.0.holidays.region', 'calendar.holidays.region'],
    ['a range that ends before it starts', { name: 'bad', entries: [{ from: '2027-01-02', to: '2027-01-01' }] }, 'entries.0.to', 'calendar.range.order'],
    ['a file that is not a calendar', { name: 'bad', entries: [{ ics: 'BEGIN:VCARD\r\nEND:VCARD\r\n' }] }, 'entries.0.ics', 'calendar.ics.notCalendar'],
    ['an .ics file that does not parse', { name: 'bad', entries: [{ ics: 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n' }] }, 'entries.0.ics', 'calendar.ics.parse'],
    ['an .ics file over 1 MB', { name: 'bad', entries: [{ ics: `BEGIN:VCALENDAR\r\n${'X-A:b\r\n'.repeat(180_000)}END:VCALENDAR\r\n` }] }, 'entries.0.ics', 'calendar.ics.tooLarge'],
  ])('answers 400 for %s, at its field, and stores nothing', async (_what, body, path, code) => {
    const res = await call('POST', '/api/calendars', body)
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([expect.objectContaining({ path, code, message: expect.any(String) })])
    expect(res.body.statusMessage).toContain(path)
    expect((await call('GET', '/api/calendars/bad')).status).toBe(404)
  })

  it('answers 400 for a rule that names an unknown calendar, and saves nothing', async () => {
    const res = await call('POST', '/api/rules', rule('unknown-cal', { skipCalendars: ['de-by', 'no-such'] }))
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([{ path: 'skipCalendars.1', code: 'rule.skipCalendars.unknown', params: { name: 'no-such' }, message: expect.stringContaining('no-such') }])
    expect((await call('GET', '/api/rules/unknown-cal')).status).toBe(404)
  })

  it('needs the admin key for every change, and refuses a rename and a taken name', async () => {
    for (const [method, path, body] of [
      ['POST', '/api/calendars', { name: 'x', entries: [] }],
      ['PUT', '/api/calendars/de-by', { entries: [], version: 1 }],
      ['DELETE', '/api/calendars/de-by', undefined],
    ] as const) expect((await call(method, path, body, null)).status).toBe(401)
    const renamed = await call('PUT', '/api/calendars/de-by', { name: 'other', entries: [], version: 1 })
    expect(renamed.status).toBe(400)
    expect(renamed.body.data.issues).toEqual([expect.objectContaining({ path: 'name', code: 'calendar.name.rename' })])
    expect((await call('POST', '/api/calendars', { name: 'de-by', entries: [] })).status).toBe(409)
  })

  it('records every calendar change in the audit trail, and nothing for refused ones', async () => {
    const trail = (await call('GET', '/api/audit?limit=100')).body.items.filter((r: { route: string }) => r.route.includes('/api/calendars'))
    expect(trail.map((r: { route: string, summary: string }) => [r.route, r.summary]).reverse()).toEqual([
      ['POST /api/calendars', 'created calendar team: 5 entries (1 dates, 1 ranges, 1 yearly dates, 1 holiday sets, 1 .ics files)'],
      ['PUT /api/calendars/:name', 'replaced calendar team: now version 2, 4 entries (1 ranges, 1 yearly dates, 1 holiday sets, 1 .ics files)'],
      ['DELETE /api/calendars/:name', 'deleted calendar team (was version 2)'],
      ['POST /api/calendars', 'created calendar de-by: 3 entries (1 dates, 1 yearly dates, 1 holiday sets)'],
      ['POST /api/calendars', 'created calendar shutdown: 1 entries (1 ranges)'],
      ['DELETE /api/calendars/:name', 'deleted calendar shutdown (was version 1)'],
    ])
    for (const r of trail) expect(r).toMatchObject({ keyId: 'bootstrap', status: expect.any(Number) })
  })

  it('lists the countries and regions with holiday data', async () => {
    const res = await call('GET', '/api/holidays?lang=zh', undefined, null)
    expect(res.status).toBe(200)
    const germany = res.body.items.find((c: { code: string }) => c.code === 'DE')
    expect(germany.regions).toContainEqual(expect.objectContaining({ code: 'BY' }))
  })
})
