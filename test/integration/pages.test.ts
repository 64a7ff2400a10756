// The pages as the built server renders them: whole in the HTML, compressed, and never stale after a change
// (the page cache, server/utils/http/page-cache.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-pages-0123456789'
let server: RunningServer
const call = apiClient(() => server.url, KEY)

const rule = (name: string, overrides: Record<string, unknown> = {}) => ({
  name, accountId: '123456789012', regions: ['eu-west-1'], action: 'stop', filters: 'tag:Name=web',
  scheduleExpression: 'cron(0 19 ? * MON-FRI *)', timezone: 'Europe/Berlin', ...overrides,
})
const page = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(`${server.url}${path}`, { headers })
  return { res, html: await res.text() }
}

beforeAll(async () => {
  server = await startServer({ NUXT_ADMIN_API_KEY: KEY })
})
afterAll(async () => server && stopAndClean(server))

describe('server-rendered pages', () => {
  it('carry the first page of rules in the HTML, and the list answers each rule\'s next run', async () => {
    expect((await call('POST', '/api/rules', rule('pages-first'))).status).toBe(201)
    const { res, html } = await page('/')
    expect(res.status).toBe(200)
    expect(html).toContain('>pages-first<')
    const list = await call('GET', '/api/rules?q=pages-first', undefined, null)
    const detail = await call('GET', '/api/rules/pages-first', undefined, null)
    expect(list.body.items[0].nextRun).toBe(detail.body.nextRuns[0])
    const disabled = await call('PATCH', '/api/rules/pages-first', { enabled: false })
    expect(disabled.body.nextRun).toBeNull()
  })

  it('show a change at once, though a page is kept for a few seconds', async () => {
    await page('/')
    await page('/')
    expect((await call('POST', '/api/rules', rule('pages-added'))).status).toBe(201)
    expect((await page('/')).html).toContain('>pages-added<')
    expect((await call('DELETE', '/api/rules/pages-added')).status).toBe(200)
    expect((await page('/')).html).not.toContain('>pages-added<')
  })

  it('are gzipped for a client that takes gzip, and the same page in each language', async () => {
    // fetch takes the gzip off itself, and keeps the header that says it was there.
    const { res, html } = await page('/', { 'accept-encoding': 'gzip' })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    expect(res.headers.get('vary')).toContain('accept-encoding')
    expect(html).toContain('>pages-first<')
    // An answer under 1 KiB is sent as it is: three rules make the list longer than that.
    for (const name of ['pages-gzip-a', 'pages-gzip-b']) expect((await call('POST', '/api/rules', rule(name))).status).toBe(201)
    const api = await fetch(`${server.url}/api/rules?limit=50`, { headers: { 'accept-encoding': 'gzip' } })
    expect(api.headers.get('content-encoding')).toBe('gzip')
    expect(((await api.json()) as { items: unknown[] }).items.length).toBeGreaterThan(0)
    expect((await page('/', { 'accept-language': 'zh-CN' })).html).toContain('规则')
    expect((await page('/', { 'accept-language': 'en-US' })).html).not.toContain('规则')
  })
})
