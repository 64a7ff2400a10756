// The savings page in the browser, in English and in Chinese, at desktop width and at 375 px: the chart, the totals
// and the table of a store with runs recorded days ago (times relative to now), priced from a CSV table; and the
// rules list's last-30-days column (the table, and the cards at 375 px), read by a visitor without a key.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import type { LogEntry } from '../../shared/schemas/log'
import { parseServerConfig } from '../../server/utils/config'
import { recordRun } from '../../server/utils/savings/record'
import { createSavingsRepository } from '../../server/utils/savings/repository'
import { openStore } from '../../server/utils/store'
import { startServer, stopAndClean } from '../integration/helpers/server'
import type { RunningServer } from '../integration/helpers/server'
import { api, ruleBody } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const HOUR = 3_600_000
const ACCOUNT = '210987654321'
const KEY = 'e2e-admin-key-savings-0123456789'

interface Words { suffix: string, locale: string, title: string, hours: RegExp, money: RegExp, estimate: RegExp, column: string }
// 36 hours when recorded; the 12 still off go on counting up to now, so a slow run reads 36.1 or more.
const LANGUAGES: Words[] = [
  { suffix: 'en', locale: 'en-US', title: 'Savings', hours: /36(?:\.\d)? h/, money: /\$0\.39/, estimate: /EBS volumes and Elastic IPs/, column: 'Saved (30 days)' },
  { suffix: 'zh', locale: 'zh-CN', title: '节省', hours: /36(?:\.\d)? 小时/, money: /\$0\.39/, estimate: /EBS 卷和弹性 IP/, column: '节省（30 天）' },
]

let server: RunningServer
let browser: Browser

/** A run of `rule` at `at` (ms) over two m5.large instances: stopped or started. */
function run(rule: string, action: 'stop' | 'start', at: number): LogEntry {
  const iso = new Date(at).toISOString()
  const targets = ['i-0e2e00000000000a1', 'i-0e2e00000000000a2'].map(instanceId => ({
    instanceId, region: 'eu-west-1', instanceType: 'm5.large',
    stateBefore: action === 'stop' ? 'running' : 'stopped',
    stateAfter: action === 'stop' ? 'stopped' : 'running',
    outcome: action === 'stop' ? 'stopped' as const : 'started' as const,
  }))
  return { eventId: `${rule}-${at}`, ruleName: rule, trigger: 'schedule', scheduledTime: iso, startedAt: iso, finishedAt: iso, action, accountId: ACCOUNT, regions: ['eu-west-1'], filters: [], status: 'succeeded', targets, counts: { total: 2, acted: 2, skipped: 0, failed: 0 } }
}

beforeAll(async () => {
  // The store the app will open, filled first: a night of two instances three days ago (2 x 12 h), and the same two
  // stopped 6 hours ago and still off (2 x 6 h, counted up to now).
  const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-savings-e2e-'))
  const config = parseServerConfig({ store: 'embedded', dataDir }, { AWS_REGION: 'us-east-1' })
  const store = await openStore(config)
  const savings = createSavingsRepository(store.doc, config.tables.savings)
  const now = Date.now()
  const night = Math.floor(now / HOUR) * HOUR - 72 * HOUR
  await recordRun(savings, run('dev-stop', 'stop', night))
  await recordRun(savings, run('dev-start', 'start', night + 12 * HOUR))
  await recordRun(savings, run('dev-stop', 'stop', now - 6 * HOUR))
  await store.close()
  writeFileSync(join(dataDir, 'prices.csv'), 'region,instanceType,pricePerHour,currency\neu-west-1,m5.large,0.0107,USD\n')
  server = await startServer({ NUXT_PRICE_TABLE: join(dataDir, 'prices.csv'), NUXT_ADMIN_API_KEY: KEY }, dataDir)
  // The rules whose savings the list shows; they never fire during the test.
  for (const [name, action] of [['dev-stop', 'stop'], ['dev-start', 'start']] as const) {
    await api(server, KEY, 'POST', '/api/rules', ruleBody(name, 'dev', { action, scheduleExpression: 'cron(0 3 1 1 ? 2099)' }))
  }
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe.each(LANGUAGES)('the savings page ($suffix)', (w) => {
  it('shows the totals, the estimate and what it leaves out, the chart and the table', async () => {
    const { page, errors } = await newPage(browser, { locale: w.locale })
    await page.goto(`${server.url}/savings`)
    await expect.poll(() => page.getByTestId('savings-hours').textContent()).toMatch(w.hours)
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(w.title)
    expect(await page.getByTestId('savings-money').textContent()).toMatch(w.money)
    expect(await page.locator('.estimate').textContent()).toMatch(w.estimate)
    // ECharts draws on a canvas once its chunk has loaded.
    await expect.poll(() => page.getByTestId('savings-chart').locator('canvas').count()).toBeGreaterThan(0)
    // The bars grow in for a moment: the pictures are of the drawn chart.
    await page.waitForTimeout(1500)
    const rows = await page.getByTestId('savings-table').locator('tbody tr').allTextContents()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatch(/dev-stop\s*36/)
    await screenshot(page, `savings-${w.suffix}-desktop`)
    await page.setViewportSize({ width: 375, height: 812 })
    await page.waitForTimeout(1500)
    await screenshot(page, `savings-${w.suffix}-375`)
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('the rules list shows each rule\'s last 30 days: hours and money, a dash for none, and so do the cards at 375 px', async () => {
    const { page, errors } = await newPage(browser, { locale: w.locale })
    await page.goto(server.url)
    const header = page.locator('.rule-table th', { hasText: w.column })
    await header.waitFor()
    const cell = (rule: string) => page.locator('.rule-table tr', { hasText: rule }).getByTestId('rule-savings')
    // Asked once the list shows: the cell fills in.
    await expect.poll(() => cell('dev-stop').textContent()).toMatch(w.hours)
    expect(await cell('dev-stop').textContent()).toMatch(w.money)
    expect((await cell('dev-start').textContent())?.trim()).toBe('–')
    await screenshot(page, `rules-savings-${w.suffix}-desktop`)
    await page.setViewportSize({ width: 375, height: 812 })
    const card = page.getByRole('article', { name: 'dev-stop' })
    await expect.poll(() => card.getByTestId('rule-savings').textContent()).toMatch(w.hours)
    await screenshot(page, `rules-savings-${w.suffix}-375`)
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('reads well in dark mode: the chart\'s axes and legend, the totals and the table, at desktop width and at 375 px', async () => {
    const { page, errors } = await newPage(browser, { locale: w.locale })
    await page.addInitScript(() => localStorage.setItem('ouroboros:theme', 'dark'))
    await page.goto(`${server.url}/savings`)
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
    await expect.poll(() => page.getByTestId('savings-chart').locator('canvas').count()).toBeGreaterThan(0)
    await page.waitForTimeout(1500)
    // The page's text is light on dark: Element Plus's dark palette, not black on a dark background.
    const color = await page.getByTestId('savings-table').locator('td').first().evaluate(el => getComputedStyle(el).color)
    const [r, g, b] = color.match(/\d+/g)!.map(Number)
    expect(r! + g! + b!).toBeGreaterThan(3 * 150)
    await screenshot(page, `savings-${w.suffix}-dark-desktop`)
    await page.setViewportSize({ width: 375, height: 812 })
    await page.waitForTimeout(1500)
    await screenshot(page, `savings-${w.suffix}-dark-375`)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
