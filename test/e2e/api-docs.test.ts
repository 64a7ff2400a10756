// The API reference page: Scalar's viewer shows /api/openapi.json under the app's own CSP (no violation, nothing
// loaded from another origin), in English and Chinese, on a desktop and a phone; no other page loads the viewer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-api-docs-0123456789'
let server: RunningServer
let browser: Browser

beforeAll(async () => {
  server = await startApp(KEY)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

/** Collects the page's CSP violations and every request to another origin. */
function watch(page: Page, origin: string) {
  const seen = { violations: [] as string[], foreign: [] as string[], scalar: [] as string[] }
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.violations.push(m.text())
  })
  page.on('request', (r) => {
    if (!r.url().startsWith(origin) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) seen.foreign.push(r.url())
    if (r.url().includes('/_scalar/')) seen.scalar.push(r.url())
  })
  return seen
}

/** What the viewer shows once it has read the document: its description, and (desktop) an operation by its summary. */
async function documentShown(page: Page, desktop = true) {
  const viewer = page.getByTestId('api-reference')
  await viewer.getByText('Stop and start fleets of EC2 instances').filter({ visible: true }).first().waitFor({ timeout: 30_000 })
  // A phone folds the list of operations into a menu.
  if (desktop) await viewer.getByText('Create a rule (and its schedule)').filter({ visible: true }).first().waitFor()
}

describe('the API reference page', () => {
  it.each([
    ['en-US', 1440, 'desktop', 'API reference'],
    ['en-US', 375, 'phone', 'API reference'],
    ['zh-CN', 1440, 'desktop', 'API 参考'],
    ['zh-CN', 375, 'phone', 'API 参考'],
  ])('shows every route of the document in %s at %i px, under the app\'s CSP', async (locale, width, kind, title) => {
    const { page, errors } = await newPage(browser, { locale, viewport: { width, height: 900 } })
    const seen = watch(page, server.url)
    await page.goto(`${server.url}/api-docs`)
    await page.getByRole('heading', { name: title, level: 1 }).waitFor()
    // The viewer lists the operations by their summaries, from the document.
    await documentShown(page, width > 1000)
    await page.waitForLoadState('networkidle')
    await screenshot(page, `api-docs-${locale}-${kind}`)
    expect(seen.violations).toEqual([])
    expect(seen.foreign).toEqual([])
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('is linked from the header, and no other page loads the viewer', async () => {
    const { page } = await newPage(browser)
    const seen = watch(page, server.url)
    await page.goto(server.url, { waitUntil: 'networkidle' })
    expect(seen.scalar).toEqual([])
    await page.getByRole('navigation').getByRole('link', { name: 'API' }).click()
    await documentShown(page)
    expect(seen.scalar.length).toBeGreaterThan(0)
    await page.context().close()
  })
})
