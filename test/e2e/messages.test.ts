// Messages a person understands, in their language (issue 13, section 2): the rule dialog's errors name the fields
// as the form labels them, in English and in Chinese, each under its own input (the schedule's directly under the
// expression, above the presets); an error only the server finds (a key's name) arrives as a code and is said in
// Chinese too. Screenshots of the dialog with its errors, 1280 and 375 px wide, go to __screenshots__.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-messages-0123456789abcdef'
let server: RunningServer
let browser: Browser
let page: Page

/** The error under the form field that holds `#id`. */
const fieldError = (id: string) => page.locator('.el-form-item').filter({ has: page.locator(`#${id}`) }).locator('.el-form-item__error')

/** Pastes `text` into the focused element, as the clipboard would. */
async function paste(text: string) {
  await page.evaluate((t) => {
    const data = new DataTransfer()
    data.setData('text', t)
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

/** A signed-in page in `locale`, `width` px wide, with its errors (and missing-message warnings) collected. */
async function signedInPage(locale: string, width: number) {
  const opened = await newPage(browser, { locale, viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) })
  page = opened.page
  await page.addInitScript(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
  await page.goto(server.url)
  return opened.errors
}

/** Opens a new rule and makes the mistakes whose messages are checked: a short account id, no filter, a bad cron. */
async function ruleWithMistakes(newRule: string, create: string) {
  await page.getByRole('button', { name: newRule }).click()
  const dialog = page.getByRole('dialog', { name: newRule })
  await dialog.locator('#rule-name').fill('nightly-stop')
  await dialog.locator('#rule-accountId').fill('12345')
  await dialog.locator('#rule-scheduleExpression').fill('cron(60 19 ? * MON-FRI *)')
  await dialog.getByRole('button', { name: create, exact: true }).click()
  return dialog
}

/** The schedule's error sits right under the expression input, above the presets. */
async function expectScheduleErrorUnderItsInput() {
  const input = await page.locator('#rule-scheduleExpression').boundingBox()
  const error = await fieldError('rule-scheduleExpression').boundingBox()
  const presets = await page.locator('.cron-preview .presets').boundingBox()
  expect(error!.y).toBeGreaterThanOrEqual(input!.y + input!.height - 1)
  expect(error!.y - (input!.y + input!.height)).toBeLessThan(12)
  expect(presets!.y).toBeGreaterThanOrEqual(error!.y + error!.height)
}

beforeAll(async () => {
  server = await startApp(KEY)
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('the rule dialog\'s errors', () => {
  it.each([1280, 375])('name the fields as the form labels them, in English, %i px wide', async (width) => {
    const errors = await signedInPage('en-US', width)
    const dialog = await ruleWithMistakes('New rule', 'Create')
    await fieldError('rule-accountId').getByText('Account must be exactly 12 digits, e.g. 123456789012').waitFor()
    await fieldError('rule-allInstances').getByText('With no filter, the rule acts on every resource of its types in this account and these regions: tick “No filter” to confirm, or add a filter').waitFor()
    await fieldError('rule-scheduleExpression').getByText('Minutes: 60 is out of range (allowed: 0-59)').waitFor()
    await expectScheduleErrorUnderItsInput()
    // Nothing of the API's own names for the fields reaches the person.
    await expect(dialog.locator('.el-form-item__error').allTextContents()).resolves.not.toEqual(expect.arrayContaining([expect.stringMatching(/accountId|allInstances/)]))

    await dialog.getByLabel('Filter value').focus()
    await paste('vpc-id=vpc-nope')
    await dialog.locator('.filter-input [role="alert"]').getByText('vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'vpc-nope\')').waitFor()
    await fieldError('rule-filters').getByText(/is not a filter yet/).waitFor()
    await screenshot(page, `dialog-errors-${width}-en`, { dialog: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  it.each([1280, 375])('are in Chinese in the Chinese UI, each under its own field, %i px wide', async (width) => {
    const errors = await signedInPage('zh-CN', width)
    const dialog = await ruleWithMistakes('新建规则', '创建')
    await fieldError('rule-accountId').getByText('账号须为 12 位数字的 AWS 账号 ID，例如 123456789012').waitFor()
    await fieldError('rule-allInstances').getByText('没有筛选条件时，规则会作用于此账号及这些区域中其类型的所有资源：请勾选“无筛选条件”以确认，或添加筛选条件').waitFor()
    await fieldError('rule-scheduleExpression').getByText('分钟：60 超出范围（允许：0-59）').waitFor()
    await expectScheduleErrorUnderItsInput()

    await dialog.getByLabel('筛选值').focus()
    await paste('vpc-id=vpc-nope')
    await dialog.locator('.filter-input [role="alert"]').getByText('vpc-id 须为 VPC ID，例如 vpc-id=vpc-4085e027（输入的是“vpc-nope”）').waitFor()
    await fieldError('rule-filters').getByText(/还不是筛选条件/).waitFor()
    await dialog.locator('#rule-scheduleExpression').fill('rate(5 minute)')
    await fieldError('rule-scheduleExpression').getByText('rate()：数值大于 1 时单位用复数，请写成 rate(5 minutes)').waitFor()
    await screenshot(page, `dialog-errors-${width}-zh`, { dialog: true })
    // Ticked, the confirmation's error goes; a valid schedule's too.
    await dialog.locator('.el-checkbox').filter({ has: page.locator('#rule-allInstances') }).click()
    await fieldError('rule-allInstances').waitFor({ state: 'detached' })
    await dialog.getByRole('button', { name: '工作日 19:00' }).click()
    await fieldError('rule-scheduleExpression').waitFor({ state: 'detached' })
    expect(errors).toEqual([])
    await page.context().close()
  })
})

describe('an error only the server finds', () => {
  it('arrives with its code and is said in Chinese under the key\'s name', async () => {
    const errors = await signedInPage('zh-CN', 1280)
    await page.getByRole('button', { name: '管理' }).click()
    await page.getByRole('menuitem', { name: 'API 密钥' }).click()
    await page.getByRole('button', { name: '新建密钥' }).click()
    const dialog = page.getByRole('dialog', { name: '新建 API 密钥' })
    await dialog.locator('#key-name').fill('ci#deploy')
    const answer = page.waitForResponse(res => res.url().endsWith('/api/keys') && res.request().method() === 'POST')
    await dialog.getByRole('button', { name: '创建密钥' }).click()
    const body = await (await answer).json() as { data: { issues: unknown[] } }
    expect(body.data.issues).toEqual([{ path: 'name', code: 'key.name.chars', params: {}, message: 'name may contain letters, digits, spaces and . _ @ : / ( ) + -' }])
    await fieldError('key-name').getByText('名称可包含字母、数字、空格以及 . _ @ : / ( ) + -').waitFor()
    await screenshot(page, 'key-errors-1280-zh', { dialog: true })
    expect(errors).toEqual([])
    await page.context().close()
  })
})
