// The runs as cards on a phone and as rows elsewhere, each hydrated on its own once the browser is idle (LogCards.vue and
// LogTable.vue in components/logs, as the rules' cards and rows are): every card and row is whole and styled in the
// server's HTML, and one far below, once scrolled to, opens its run's detail and links to its rule's logs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot, screenshotIfFailed } from './helpers/browser'

const KEY = 'e2e-admin-key-log-cards-0123456789'
const tag = uniqueValue('logcards')
// Twelve runs of two rules: at 375 × 812 px the first three cards are in view, at 1440 × 500 px about six rows.
const rules = [`logcards-a-${tag}`.slice(0, 64), `logcards-b-${tag}`.slice(0, 64)]
const RUNS = 12
const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36'
const PHONE = { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, userAgent: PHONE_UA }
const SHORT = { viewport: { width: 1440, height: 500 } }
let server: RunningServer
let browser: Browser
let current: Page | undefined
/** The runs' event ids, newest first (the order the page shows them in). */
let eventIds: string[] = []

beforeAll(async () => {
  server = await startApp(KEY)
  for (const name of rules) await api(server, KEY, 'POST', '/api/rules', ruleBody(name, tag))
  // Each run finds no instance (none carries the tag): a quick nothing-to-do, logged like any run.
  for (let i = 0; i < RUNS; i++) await api(server, KEY, 'POST', `/api/rules/${rules[i % 2]}/run`, {})
  eventIds = (await api<{ items: { eventId: string }[] }>(server, KEY, 'GET', '/api/logs?limit=20')).items.map(l => l.eventId)
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

describe('the run cards on a phone', () => {
  it('are all in the server\'s HTML, and one far below opens its run once scrolled to', async () => {
    const html = await (await fetch(`${server.url}/logs`, { headers: { 'user-agent': PHONE_UA } })).text()
    for (const id of eventIds) expect(html).toContain(`Details of run ${id}`)

    const { page, errors } = await newPage(browser, PHONE)
    current = page
    await page.goto(`${server.url}/logs`)
    await hydrated(page)
    expect(await cards(page).count()).toBe(eventIds.length)
    const last = eventIds.at(-1)!
    const show = page.getByRole('button', { name: `Details of run ${last}` })
    expect(await show.evaluate(e => e.getBoundingClientRect().top > window.innerHeight)).toBe(true)
    await show.scrollIntoViewIfNeeded()
    await show.click()
    await page.getByTestId(`log-detail-${last}`).waitFor()
    await expect(show.getAttribute('aria-expanded')).resolves.toBe('true')
    await show.click()
    await page.getByTestId(`log-detail-${last}`).waitFor({ state: 'detached' })
    expect(errors).toEqual([])
  })

  it('link to their rule\'s runs, a card far below too', async () => {
    const { page, errors } = await newPage(browser, PHONE)
    current = page
    await page.goto(`${server.url}/logs`)
    await hydrated(page)
    const card = cards(page).last()
    await card.scrollIntoViewIfNeeded()
    const rule = (await card.getByRole('link').textContent())!.trim()
    await card.getByRole('link', { name: rule }).click()
    await page.getByRole('heading', { name: `Logs of ${rule}` }).waitFor()
    await expect.poll(() => cards(page).count()).toBe(RUNS / 2)
    expect(errors).toEqual([])
  })

  it('are styled before any script runs (the lazily hydrated card\'s own CSS is not in the server\'s HTML)', async () => {
    const { page } = await newPage(browser, { ...PHONE, javaScriptEnabled: false })
    current = page
    await page.goto(`${server.url}/logs`)
    const card = cards(page).last()
    await expect(card.evaluate(e => getComputedStyle(e).paddingTop)).resolves.toBe('10px')
    await expect(card.locator('.line').first().evaluate(e => getComputedStyle(e).display)).resolves.toBe('flex')
    await expect(card.getByRole('button').evaluate(e => getComputedStyle(e).backgroundColor)).resolves.toBe('rgba(0, 0, 0, 0)')
    await screenshot(page, 'logs-375-no-script-en')
  })
})

describe('the run rows at 1440 px', () => {
  it('are all in the server\'s HTML, and one far below opens its run once scrolled to', async () => {
    const html = await (await fetch(`${server.url}/logs`)).text()
    for (const id of eventIds) expect(html).toContain(`title="${id}"`)

    const { page, errors } = await newPage(browser, SHORT)
    current = page
    await page.goto(`${server.url}/logs`)
    await hydrated(page)
    expect(await rows(page).count()).toBe(eventIds.length)
    const last = eventIds.at(-1)!
    const details = page.getByRole('button', { name: `Details of run ${last}` })
    expect(await details.evaluate(e => e.getBoundingClientRect().top > window.innerHeight)).toBe(true)
    await details.scrollIntoViewIfNeeded()
    await details.click()
    await page.getByTestId(`log-detail-${last}`).waitFor()
    await expect(details.getAttribute('aria-expanded')).resolves.toBe('true')
    await expect(details.textContent()).resolves.toContain('Hide')
    expect(errors).toEqual([])
  })

  it('are styled before any script runs', async () => {
    const { page } = await newPage(browser, { ...SHORT, javaScriptEnabled: false })
    current = page
    await page.goto(`${server.url}/logs`)
    const row = rows(page).last()
    await expect(row.locator('.event-id').evaluate(e => getComputedStyle(e).textOverflow)).resolves.toBe('ellipsis')
    await expect(row.locator('.link-btn').evaluate(e => getComputedStyle(e).display)).resolves.toBe('inline-flex')
    await screenshot(page, 'logs-1440-no-script-en')
  })
})
