// The rule dialog's projected saving, in English and in Chinese, at desktop width and at 375 px: a stop rule's
// preview shows what it would save per month, labelled an estimate, with one line saying how (paired with the start
// rule on the same instances), priced from a CSV table; a start rule's preview says it saves nothing by itself.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { motoEc2, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, screenshot, screenshotIfFailed, signedInPage } from './helpers/browser'

const KEY = 'e2e-admin-key-projection-0123456789'
const tag = uniqueValue('proj')
const stopRule = `proj-stop-${tag}`.slice(0, 64)
const startRule = `proj-start-${tag}`.slice(0, 64)
let server: RunningServer
let browser: Browser
let lastPage: Awaited<ReturnType<typeof signedInPage>>['page'] | undefined

interface Words { suffix: string, locale: string, edit: string, title: RegExp, perMonth: RegExp, how: RegExp, start: RegExp, button: string }
const LANGUAGES: Words[] = [
  { suffix: 'en', locale: 'en-US', edit: 'Edit', title: /Projected saving, an estimate/, perMonth: /≈ \$9\.77 a month/, how: new RegExp(`How: .* off 108 h a week, from this rule's stops to the starts of ${startRule}`), start: /A start rule saves nothing by itself/, button: 'Preview matching resources' },
  { suffix: 'zh', locale: 'zh-CN', edit: '编辑', title: /预计节省（估算）/, perMonth: /≈ 每月 (US)?\$9\.77/, how: new RegExp(`计算方式：.*到 ${startRule} 启动为止，每周关闭 108 小时`), start: /启动规则本身不节省费用/, button: '预览匹配的资源' },
]

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-prices-'))
  writeFileSync(join(dir, 'prices.csv'), 'region,instanceType,pricePerHour,currency\nus-east-1,t3.micro,0.0104,USD\n')
  server = await startApp(KEY, { NUXT_PRICE_TABLE: join(dir, 'prices.csv') })
  await seedInstances(motoEc2('us-east-1'), { count: 2, tags: { app: tag }, instanceType: 't3.micro' })
  await api(server, KEY, 'POST', '/api/rules', ruleBody(stopRule, tag, { scheduleExpression: 'cron(0 19 ? * MON-FRI 2099)', timezone: 'UTC' }))
  await api(server, KEY, 'POST', '/api/rules', ruleBody(startRule, tag, { action: 'start', scheduleExpression: 'cron(0 7 ? * MON-FRI *)', timezone: 'UTC' }))
  browser = await launchBrowser()
})
afterEach(async ({ task }) => screenshotIfFailed(lastPage, task))
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe.each(LANGUAGES)('the rule dialog\'s projected saving ($suffix)', (w) => {
  it('shows the monthly estimate and how it was computed, at desktop width and at 375 px', async () => {
    const { page, errors } = await signedInPage(browser, KEY, { locale: w.locale })
    lastPage = page
    await page.goto(server.url)
    await page.getByRole('button', { name: `${w.edit} ${stopRule}` }).click()
    const dialog = page.getByRole('dialog')
    // Once open, the dialog moves the focus to its description: wait for that, so it takes no typing later.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-description')
    // The stored rule fires in 2099 only; the dialog's schedule is what the projection reads. In UTC, 4 whole weeks hold
    // 108 h off a week whenever they start: 2 instances x 108 x 4 x (365.25 / 12) / 28 h x $0.0104 = $9.77 a month.
    await dialog.locator('#rule-scheduleExpression').fill('cron(0 19 ? * MON-FRI *)')
    await dialog.getByRole('button', { name: w.button }).click()
    const projection = dialog.getByTestId('preview-projection')
    await projection.getByText(w.title).waitFor()
    expect(await projection.textContent()).toMatch(w.perMonth)
    expect(await dialog.getByTestId('preview-projection-how').textContent()).toMatch(w.how)
    await projection.scrollIntoViewIfNeeded()
    await screenshot(page, `projection-${w.suffix}-desktop`, { dialog: true })
    await page.setViewportSize({ width: 375, height: 812 })
    await projection.scrollIntoViewIfNeeded()
    await screenshot(page, `projection-${w.suffix}-375`, { dialog: true })

    // The same settings as a start rule: one line, and no figure.
    await dialog.locator('.el-radio-button').filter({ has: page.locator('input[value="start"]') }).click()
    await dialog.getByRole('button', { name: w.button }).click()
    await dialog.getByTestId('preview-projection-start').getByText(w.start).waitFor()
    expect(await dialog.getByTestId('preview-projection').count()).toBe(0)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
