// How it feels: dialogs with the keyboard alone, the dark mode, and a phone-sized (375 px) screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { motoEc2, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-feel-0123456789abcdef'
const tag = uniqueValue('feel')
const name = `web-nightly-${tag}`.slice(0, 64)
let server: RunningServer
let browser: Browser

const focusedId = (page: import('playwright-core').Page) => page.evaluate(() => document.activeElement?.id ?? '')

beforeAll(async () => {
  server = await startApp(KEY)
  await seedInstances(motoEc2('us-east-1'), { count: 2, tags: { app: tag } })
  await api(server, KEY, 'POST', '/api/rules', ruleBody(name, tag, { filters: `tag:app=${tag},instance-type=t3.micro` }))
  await api(server, KEY, 'POST', `/api/rules/${name}/run`)
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('keyboard, dark mode and small screens', () => {
  it('signs in and opens and closes the rule dialog with the keyboard alone', async () => {
    const { page, errors } = await newPage(browser)
    await page.goto(server.url)
    await page.getByText(name).first().waitFor()
    await hydrated(page)
    await page.getByRole('button', { name: 'Sign in' }).focus()
    await page.keyboard.press('Enter')
    await page.getByRole('dialog', { name: 'Sign in with an API key' }).waitFor()
    await expect.poll(() => focusedId(page)).toBe('api-key-input')
    await page.keyboard.type(KEY)
    await page.keyboard.press('Enter')
    await page.getByRole('button', { name: 'New rule' }).waitFor()

    await page.getByRole('button', { name: 'New rule' }).focus()
    await page.keyboard.press('Enter')
    const dialog = page.getByRole('dialog', { name: 'New rule' })
    await dialog.waitFor()
    await expect.poll(() => focusedId(page)).toBe('rule-name')
    await page.keyboard.type('kbd-rule')
    await page.keyboard.press('Tab')
    await expect.poll(() => focusedId(page)).toBe('rule-accountId')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden' })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('speaks Chinese on a first visit from a Chinese browser', async () => {
    const { page, errors } = await newPage(browser, { locale: 'zh-CN' })
    await page.goto(server.url)
    await page.getByRole('heading', { name: '规则' }).waitFor()
    await page.getByText('只读').waitFor()
    await page.getByText('每周一至周五 19:00').first().waitFor()
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('switches to dark mode and keeps it after a reload', async () => {
    const { page, errors } = await newPage(browser)
    await page.goto(server.url)
    await page.getByText(name).first().waitFor()
    await hydrated(page)
    await page.getByRole('button', { name: 'Switch to dark mode' }).click()
    await expect.poll(() => page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
    await page.reload()
    await page.getByText(name).first().waitFor()
    expect(await page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
    await page.getByRole('button', { name: 'Switch to light mode' }).waitFor()
    await screenshot(page, 'rules-dark-en')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it('is usable 375 px wide: rules as cards, a full-screen dialog, the logs, and no sideways scrolling', async () => {
    const { page, errors } = await newPage(browser, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await page.addInitScript(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
    await page.goto(server.url)
    const card = page.getByRole('article', { name })
    await card.getByText('Stop the web tier at night').waitFor()
    await card.getByRole('button', { name: `Run now ${name}` }).waitFor()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, 'rules-375-en')

    await page.getByRole('button', { name: 'New rule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New rule' })
    await dialog.getByRole('button', { name: 'Weekdays at 07:00' }).click()
    await dialog.getByTestId('next-runs').waitFor()
    expect(await page.locator('.el-dialog.is-fullscreen').count()).toBe(1)
    await screenshot(page, 'dialog-375-en', { dialog: true })
    await dialog.getByRole('button', { name: 'Cancel' }).click()

    await card.getByRole('link', { name: `Logs of ${name}` }).click()
    await page.getByRole('heading', { name: `Logs of ${name}` }).waitFor()
    await page.getByRole('button', { name: /^Details of run/ }).first().click()
    await page.locator('[data-testid^="log-detail-"]').getByText('running → stopped').first().waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, 'logs-375-en')
    expect(errors).toEqual([])
    await page.context().close()
  })

  it.each([
    ['en', 'Audit trail', 'Open run', 'One run', 'Rule'],
    ['zh-CN', '审计记录', '打开运行', '单次运行', '规则'],
  ])('links a run in the audit trail to its own page, 375 px wide without sideways scrolling (%s)', async (locale, title, open, heading, ruleLabel) => {
    const { page, errors } = await newPage(browser, { locale, viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await page.addInitScript(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
    await page.goto(`${server.url}/audit?rule=${name}`)
    await page.getByRole('heading', { name: new RegExp(title) }).waitFor()
    const link = page.getByRole('link', { name: new RegExp(`^${open} \\S+$`) }).first()
    await link.waitFor()
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, `audit-375-${locale}`)
    const runId = (await link.textContent())!.trim().split(' ').pop()!
    await link.click()
    await page.getByRole('heading', { name: heading }).waitFor()
    const detail = page.getByTestId(`log-detail-${runId}`)
    await detail.getByText(runId).waitFor()
    await detail.getByText(ruleLabel, { exact: true }).waitFor()
    await detail.getByRole('link', { name }).waitFor()
    expect(await overflow()).toBeLessThanOrEqual(0)
    await screenshot(page, `run-375-${locale}`)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
