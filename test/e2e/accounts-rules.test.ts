// A rule over several accounts, and organizational units, in the rule dialog (issue 15): the accounts box takes
// several ids, the preview lists each resource with its account, the rules table says how many accounts a rule
// reaches; units without the organization role are refused under their own field, in English and in Chinese.
// Screenshots of the dialog and the table at 1280 and 375 px, in both languages, go to __screenshots__.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { ec2For, newAccountId, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { api, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-accounts-rules-0123456789'
const tag = uniqueValue('accts')
const [first, second] = [newAccountId(), newAccountId()]
const ruleName = `two-${tag}`
let server: RunningServer
let browser: Browser
let page: Page
let errors: string[]

/** The error under the form field that holds `#id`. */
const fieldError = (id: string) => page.locator('.el-form-item').filter({ has: page.locator(`#${id}`) }).locator('.el-form-item__error')

async function signedInPage(locale: string, width: number) {
  await page?.context().close()
  const opened = await newPage(browser, { locale, viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) })
  page = opened.page
  errors = opened.errors
  await page.addInitScript(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
  await page.goto(server.url)
  await hydrated(page)
}

async function openNewRule(label: string) {
  await page.getByRole('button', { name: label }).click()
  const dialog = page.getByRole('dialog', { name: label })
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-name')
  return dialog
}

beforeAll(async () => {
  server = await startApp(KEY)
  for (const account of [first, second]) await seedInstances(await ec2For(account, 'us-east-1'), { tags: { app: tag } })
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('a rule over several accounts', () => {
  it('previews each account\'s resources, saves both accounts, and the table says how many', async () => {
    await signedInPage('en-US', 1280)
    const dialog = await openNewRule('New rule')
    await dialog.locator('#rule-name').fill(ruleName)
    await dialog.locator('#rule-accountId').fill(`${first}, ${second}`)
    await dialog.getByLabel('Filter value').fill(`tag:app=${tag}`)
    await dialog.getByLabel('Filter value').press('Enter')
    await dialog.locator('#rule-scheduleExpression').fill('cron(0 19 ? * MON-FRI *)')
    await dialog.getByRole('button', { name: 'Preview matching resources' }).click()
    const result = dialog.getByTestId('preview-result')
    await result.getByText('2 resources match: 2 would be acted on, 0 skipped').waitFor()
    await result.getByTestId('preview-reach').getByText('In 2 accounts').waitFor()
    for (const account of [first, second]) await result.getByRole('cell', { name: account }).waitFor()
    await screenshot(page, 'accounts-dialog-1280-en', { dialog: true })

    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    const saved = await api<{ accountIds: string[], organizationalUnits: string[] }>(server, KEY, 'GET', `/api/rules/${ruleName}`)
    expect(saved).toMatchObject({ accountIds: [first, second], organizationalUnits: [] })
    const row = page.getByRole('row').filter({ hasText: ruleName })
    await row.getByText('2 accounts').waitFor()
    await expect(row.getByText('2 accounts').getAttribute('title')).resolves.toBe(`${first}, ${second}`)
    await screenshot(page, 'accounts-table-1280-en')
    expect(errors).toEqual([])
  })

  it('refuses units without the organization role under their own field, and offers the exclusions once units are named', async () => {
    for (const [locale, width, label, expected] of [
      ['en-US', 1280, 'New rule', 'Organizational units need the app\'s organization role (NUXT_ORGANIZATION_ROLE_ARN): see the Accounts page'],
      ['zh-CN', 375, '新建规则', '使用组织单元需要应用的组织角色（NUXT_ORGANIZATION_ROLE_ARN）：请查看“账号”页'],
    ] as const) {
      await signedInPage(locale, width)
      const dialog = await openNewRule(label)
      await dialog.locator('#rule-name').fill(`ou-${tag}`)
      await expect(dialog.locator('#rule-excludeAccountIds').count()).resolves.toBe(0)
      await dialog.locator('#rule-organizationalUnits').fill('ou-ab12-cd34ef56')
      await dialog.locator('#rule-excludeAccountIds').fill(first)
      await dialog.getByLabel(locale === 'en-US' ? 'Filter value' : '筛选值').fill(`tag:app=${tag}`)
      await dialog.getByLabel(locale === 'en-US' ? 'Filter value' : '筛选值').press('Enter')
      await dialog.locator('#rule-scheduleExpression').fill('cron(0 19 ? * MON-FRI *)')
      await dialog.getByRole('button', { name: locale === 'en-US' ? 'Create' : '创建', exact: true }).click()
      await fieldError('rule-organizationalUnits').getByText(expected).waitFor()
      await screenshot(page, `accounts-units-${width}-${locale === 'en-US' ? 'en' : 'zh'}`, { dialog: true })
      expect(errors).toEqual([])
    }
  })

  it('says how many accounts a rule reaches on a phone, in Chinese', async () => {
    await signedInPage('zh-CN', 375)
    await page.getByText(ruleName).first().waitFor()
    await page.getByText('2 个账号').first().waitFor()
    await screenshot(page, 'accounts-table-375-zh')
    expect(errors).toEqual([])
  })
})
