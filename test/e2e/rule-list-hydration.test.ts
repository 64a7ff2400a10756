// The rules as cards on a phone and as rows elsewhere, each hydrated on its own once the browser is idle (RuleCards.vue and
// RuleTable.vue in components/rules): every card and row is whole in the server's HTML, works once scrolled to, takes
// the controls of a key restored after the page loaded (changed before it hydrated), and goes when a search leaves it
// out, each once and no error.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot, screenshotIfFailed } from './helpers/browser'

const KEY = 'e2e-admin-key-rule-cards-0123456789'
const tag = uniqueValue('cards')
// Sixteen rules: at 375 × 812 px the first two cards are in view, at 1440 × 900 px about eight rows; the others below.
const names = Array.from({ length: 16 }, (_, i) => `cards-${String(i).padStart(2, '0')}-${tag}`.slice(0, 64))
const last = names.at(-1)!
// A phone's user agent: the server then renders the cards (shared/phone.ts), which the browser hydrates.
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36'
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, userAgent: PHONE_UA }
let server: RunningServer
let browser: Browser
let current: Page | undefined

beforeAll(async () => {
  server = await startApp(KEY)
  for (const name of names) await api(server, KEY, 'POST', '/api/rules', ruleBody(name, tag))
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  await screenshotIfFailed(current, task)
  await current?.context().close()
  current = undefined
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

const cards = (page: Page) => page.getByRole('article').filter({ hasText: tag })
const rows = (page: Page) => page.getByRole('row').filter({ hasText: tag })

describe('the rule cards on a phone', () => {
  it('are all in the server\'s HTML, and one far below works once scrolled to', async () => {
    const html = await (await fetch(server.url, { headers: { 'user-agent': PHONE_UA } })).text()
    for (const name of names) expect(html).toContain(`aria-label="${name}"`)

    const { page, errors } = await newPage(browser, PHONE)
    current = page
    await page.goto(server.url)
    await hydrated(page)
    expect(await cards(page).count()).toBe(names.length)
    const card = page.getByRole('article', { name: last })
    await card.scrollIntoViewIfNeeded()
    await card.getByRole('link', { name: `Logs of ${last}` }).click()
    await page.getByRole('heading', { name: `Logs of ${last}` }).waitFor()
    expect(errors).toEqual([])
  })

  it('are styled before any script runs (the lazily hydrated card\'s own CSS is not in the server\'s HTML)', async () => {
    const { page } = await newPage(browser, { ...PHONE, javaScriptEnabled: false })
    current = page
    await page.goto(server.url)
    const card = page.getByRole('article', { name: last })
    await expect(card.locator('.facts').evaluate(e => getComputedStyle(e).display)).resolves.toBe('grid')
    await expect(card.evaluate(e => getComputedStyle(e).paddingTop)).resolves.toBe('12px')
    await screenshot(page, 'rules-375-no-script-en')
  })

  it('take the controls of a key restored after the page loaded, the cards out of view too, each card once', async () => {
    const { page, errors } = await newPage(browser, PHONE)
    current = page
    await page.addInitScript(k => sessionStorage.setItem('ouroboros:api-key', k), KEY)
    await page.goto(server.url)
    await page.getByRole('button', { name: `Run now ${names[0]}` }).waitFor()
    const card = page.getByRole('article', { name: last })
    await card.scrollIntoViewIfNeeded()
    await card.getByRole('button', { name: `Run now ${last}` }).waitFor()
    expect(await cards(page).count()).toBe(names.length)
    expect(await page.getByRole('article', { name: last }).count()).toBe(1)
    // The far card's switch works: the rule is disabled, and the card says so.
    await card.getByRole('switch', { name: `Enabled: ${last}` }).focus()
    await page.keyboard.press('Space')
    await page.locator('.el-message').getByText(`${last} disabled`).waitFor()
    expect((await api<{ enabled: boolean }>(server, KEY, 'GET', `/api/rules/${last}`)).enabled).toBe(false)
    expect(errors).toEqual([])
  })

  it('go when a search leaves them out, and come back when it is cleared', async () => {
    const { page, errors } = await newPage(browser, PHONE)
    current = page
    await page.goto(server.url)
    await hydrated(page)
    const search = page.getByRole('searchbox', { name: 'Search name or description' })
    await search.fill(names[3]!)
    await expect.poll(() => cards(page).count()).toBe(1)
    await page.getByRole('article', { name: names[3]! }).waitFor()
    await search.fill('')
    await expect.poll(() => cards(page).count()).toBe(names.length)
    expect(errors).toEqual([])
  })
})

describe('the rule rows at 1440 px', () => {
  it('are all in the server\'s HTML, and one far below works once scrolled to', async () => {
    const html = await (await fetch(server.url)).text()
    for (const name of names) expect(html).toMatch(new RegExp(`<strong[^>]*>${name}</strong>`))

    const { page, errors } = await newPage(browser)
    current = page
    await page.goto(server.url)
    await hydrated(page)
    expect(await rows(page).count()).toBe(names.length)
    const row = rows(page).filter({ hasText: last })
    expect(await row.evaluate(e => e.getBoundingClientRect().top > window.innerHeight)).toBe(true)
    await row.scrollIntoViewIfNeeded()
    await row.getByRole('link', { name: `Logs of ${last}` }).click()
    await page.getByRole('heading', { name: `Logs of ${last}` }).waitFor()
    expect(errors).toEqual([])
  })

  it('are styled before any script runs', async () => {
    const { page } = await newPage(browser, { javaScriptEnabled: false })
    current = page
    await page.goto(server.url)
    const row = rows(page).filter({ hasText: last })
    await expect(row.locator('.col-name > .name').evaluate(e => getComputedStyle(e).display)).resolves.toBe('flex')
    await expect(row.locator('.col-name > .description').evaluate(e => getComputedStyle(e).fontSize)).resolves.toBe('12px')
    await screenshot(page, 'rules-1440-no-script-en')
  })

  it('take the controls of a key restored after the page loaded, the rows out of view too, each row once', async () => {
    const { page, errors } = await newPage(browser)
    current = page
    await page.addInitScript(k => sessionStorage.setItem('ouroboros:api-key', k), KEY)
    await page.goto(server.url)
    await page.getByRole('button', { name: `Run now ${names[0]}` }).waitFor()
    const row = rows(page).filter({ hasText: names.at(-2)! })
    await row.scrollIntoViewIfNeeded()
    await row.getByRole('button', { name: `Edit ${names.at(-2)}` }).waitFor()
    expect(await rows(page).count()).toBe(names.length)
    await row.getByRole('switch', { name: `Enabled: ${names.at(-2)}` }).focus()
    await page.keyboard.press('Space')
    await page.locator('.el-message').getByText(`${names.at(-2)} disabled`).waitFor()
    expect((await api<{ enabled: boolean }>(server, KEY, 'GET', `/api/rules/${names.at(-2)}`)).enabled).toBe(false)
    // Sorting reorders the rows, hydrated or not.
    await page.getByRole('button', { name: 'Name', exact: true }).click()
    await expect.poll(() => rows(page).first().locator('strong').textContent()).toBe(last)
    expect(errors).toEqual([])
  })
})
