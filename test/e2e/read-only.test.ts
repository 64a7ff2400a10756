// A visitor without an API key: sees the rules and the logs (with each run's instances), and not one control
// that would change anything; the header says read-only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { motoEc2, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage } from './helpers/browser'

const KEY = 'e2e-admin-key-read-only-0123456789'
const tag = uniqueValue('ro')
const name = `ro-${tag}`.slice(0, 64)
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  server = await startApp(KEY)
  await seedInstances(motoEc2('us-east-1'), { count: 1, tags: { app: tag } })
  await api(server, KEY, 'POST', '/api/rules', ruleBody(name, tag))
  await api(server, KEY, 'POST', `/api/rules/${name}/run`)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('without an API key', () => {
  it('shows the rules, says read-only, and renders no control that changes anything', async () => {
    const { page, errors } = await newPage(browser)
    await page.goto(server.url)
    await page.getByText(name).first().waitFor()
    await expect(page.getByTestId('read-only').textContent()).resolves.toContain('read-only')
    await expect(page.getByRole('button', { name: 'Sign in' }).isVisible()).resolves.toBe(true)
    for (const label of ['New rule', `Edit ${name}`, `Run now ${name}`, `Delete ${name}`]) {
      expect(await page.getByRole('button', { name: label }).count(), label).toBe(0)
    }
    expect(await page.getByRole('switch').count()).toBe(0)
    expect(await page.locator('.el-switch').count()).toBe(0)
    // The next run is shown even without a key.
    await expect(page.getByTestId('next-run').first().textContent()).resolves.toContain('Europe/Berlin')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('after a failed request shows the server\'s message and a retry control, not a blank page', async () => {
    const { page } = await newPage(browser)
    await page.route('**/api/rules?*', route => route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ statusCode: 503, statusMessage: 'the store is not answering' }),
    }))
    // The server renders the first page of rules into the HTML: the browser asks for the list itself when it comes
    // to the page from another one, which is when its request can fail.
    await page.goto(`${server.url}/logs`, { waitUntil: 'networkidle' })
    await page.getByRole('navigation').getByRole('link', { name: 'Rules' }).click()
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load this page' })
    await alert.getByText('the store is not answering').waitFor()
    await page.unroute('**/api/rules?*')
    await alert.getByRole('button', { name: 'Retry' }).click()
    await page.getByText(name).first().waitFor()
    expect(await alert.count()).toBe(0)
    await page.context().close()
  })

  it('searches the rules, and pages through them on the API\'s cursors', async () => {
    // 21 more rules: with 20 on a page, the list has a second page.
    for (let i = 0; i < 21; i++) {
      await api(server, KEY, 'POST', '/api/rules', ruleBody(`zz-page-${String(i).padStart(2, '0')}`, tag, { scheduleExpression: 'cron(0 3 1 1 ? 2099)' }))
    }
    const { page, errors } = await newPage(browser)
    await page.goto(server.url)
    const rows = page.locator('.data-table .data-row')
    await page.getByText('zz-page-18').waitFor()
    expect(await rows.count()).toBe(20)
    // A click before hydration lands on the server's HTML and does nothing (a loaded machine hydrates late).
    await hydrated(page)
    await page.getByRole('button', { name: 'Next' }).click()
    await page.getByText('Page 2').waitFor()
    await page.getByText('zz-page-20').waitFor()
    expect(await rows.count()).toBe(2)
    await page.getByRole('button', { name: 'Previous' }).click()
    await page.getByText(name).first().waitFor()

    await page.getByRole('searchbox', { name: 'Search name or description' }).fill('zz-page-07')
    await expect.poll(() => rows.count()).toBe(1)
    await page.getByText('zz-page-07').waitFor()
    await page.getByRole('searchbox', { name: 'Search name or description' }).fill('no-such-rule-at-all')
    await page.getByText('No rule matches “no-such-rule-at-all”').waitFor()
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('shows the logs, and a run\'s instances when its row is expanded', async () => {
    const { page, errors } = await newPage(browser)
    await page.goto(`${server.url}/`)
    await page.getByRole('link', { name: `Logs of ${name}` }).click()
    await page.waitForURL(/\/logs\?rule=/)
    await page.getByRole('heading', { name: `Logs of ${name}` }).waitFor()
    const row = page.locator('.data-table .data-row').filter({ hasText: name }).first()
    await row.getByText('succeeded').waitFor()
    await row.getByRole('button', { name: /^Details of run/ }).click()
    const detail = page.locator('[data-testid^="log-detail-"]')
    await detail.getByText('running → stopped').waitFor()
    await expect(detail.textContent()).resolves.toContain('stopped')
    expect(await page.getByRole('button', { name: /Run now|Delete|Edit/ }).count()).toBe(0)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
