// Headless Chromium for the browser tests and the UI benchmark: Debian's /usr/bin/chromium with pinned flags,
// so no browser is ever downloaded and nothing reaches the network besides the app under test.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { IDLE_HYDRATION_TIMEOUT_MS } from '../../../shared/hydration'

export const CHROMIUM = '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const SCREENSHOTS = fileURLToPath(new URL('../__screenshots__/', import.meta.url))

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
}

/** A fresh page (own storage, English unless told otherwise) with its errors and missing-message warnings collected. */
export async function newPage(browser: Browser, options: BrowserContextOptions = {}): Promise<{ page: Page, errors: string[] }> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 }, ...options })
  const page = await context.newPage()
  trackScripts(page)
  const errors: string[] = []
  page.on('pageerror', e => errors.push(e.message))
  // i18n/i18n.config.ts warns of every message the page asks for and the locale lacks: a test fails on one.
  page.on('console', (m) => {
    if (m.type() === 'warning' && m.text().startsWith('[i18n] missing message')) errors.push(m.text())
  })
  return { page, errors }
}

// The app's scripts each page has asked for and not yet received (see hydrated).
const pendingScripts = new WeakMap<Page, Set<string>>()
function trackScripts(page: Page) {
  const pending = new Set<string>()
  pendingScripts.set(page, pending)
  page.on('request', (r) => {
    if (r.url().includes('/_nuxt/')) pending.add(r.url())
  })
  const done = (r: { url: () => string }) => pending.delete(r.url())
  page.on('requestfinished', done)
  page.on('requestfailed', done)
}

/** A fresh page signed in with `key` (kept in sessionStorage, as the sign-in dialog keeps it). */
export async function signedInPage(browser: Browser, key: string, options: BrowserContextOptions = {}): Promise<{ page: Page, errors: string[] }> {
  const opened = await newPage(browser, options)
  await opened.page.addInitScript(k => sessionStorage.setItem('ouroboros:api-key', k), key)
  return opened
}

/** In an afterEach: a failed test leaves a picture of what the browser showed. */
export async function screenshotIfFailed(page: Page | undefined, task: { name: string, result?: { state?: string } }): Promise<void> {
  if (task.result?.state === 'fail' && page) await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
}

/**
 * Waits until the page's Nuxt app has hydrated. A click or key press before then lands on the server's HTML, which has
 * no handlers yet, and does nothing: a loaded machine hydrates late enough for a test to get there first.
 */
export async function hydrated(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__?: { config: { globalProperties: { $nuxt?: { isHydrating?: boolean } } } } } | null)?.__vue_app__
    return app?.config.globalProperties.$nuxt?.isHydrating === false
  })
  // The lists' rows and cards hydrate after the page, each in an idle callback once its chunk has loaded
  // (components/rules/RuleCards.vue): done when no script the page asked for (newPage tracks them) was on its way
  // before or after two idle callbacks of the page, which come after theirs.
  // Why the callbacks have a timeout: headless Chromium sometimes gives a page no idle period at all after a resize
  // and a screenshot, on a loaded machine, and a callback without one never ran: the test hung here until it timed
  // out. The rows' callbacks have a timeout too (IDLE_HYDRATION_TIMEOUT_MS), and these, asked for later with a longer
  // one, still come after them.
  const pending = pendingScripts.get(page)
  const deadline = Date.now() + 20_000
  for (;;) {
    const before = pending?.size ?? 0
    await page.evaluate(timeout => new Promise<void>(resolve =>
      requestIdleCallback(() => requestIdleCallback(() => resolve(), { timeout }), { timeout })), IDLE_HYDRATION_TIMEOUT_MS + 500)
    if (before === 0 && !pending?.size) return
    if (Date.now() > deadline) throw new Error(`hydrated: scripts still loading after 20 s: ${[...pending ?? []].join(', ')}`)
    await page.waitForTimeout(25)
  }
}

/**
 * Saves a full-page screenshot as test/e2e/__screenshots__/<name>.png (gitignored), with the toasts closed first.
 * A dialog scrolls inside its overlay: `dialog` makes the viewport as tall as the dialog, so all of it is seen.
 */
export async function screenshot(page: Page, name: string, options: { dialog?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true })
  const path = join(SCREENSHOTS, `${name}.png`)
  for (const close of await page.locator('.el-message .el-message__closeBtn').all()) await close.click({ timeout: 1000 }).catch(() => {})
  await page.waitForFunction(() => !document.querySelector('.el-message'), null, { timeout: 5000 }).catch(() => {})
  const size = page.viewportSize()
  let restore = false
  if (options.dialog && size) {
    // A full-screen dialog (narrow screens) scrolls inside itself; the others scroll their overlay.
    const height = await page.evaluate(() => Math.max(0, ...[...document.querySelectorAll('.el-overlay-dialog, .el-dialog.is-fullscreen')].map((e) => {
      e.scrollTop = 0
      return e.scrollHeight
    })))
    if (height > size.height) {
      await page.setViewportSize({ width: size.width, height })
      restore = true
    }
  }
  await page.screenshot({ path, fullPage: true, animations: 'disabled' })
  if (restore && size) await page.setViewportSize(size)
  return path
}
