// The rule dialog's preview never overstates what a rule would do (issue 13, section 1): a paste with one bad
// filter keeps its good parts and marks the bad one, and the preview refuses loudly, in English and in Chinese,
// until the filters are what would be saved; then it lists only the instances those filters match.
// And "Run now" says what it will do, from a dry run, before it does it; cancelling keeps it a dry run.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Locator, Page } from 'playwright-core'
import { motoEc2, seedInstances, statesOf, uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-preview-safety-0123456789'
const tag = uniqueValue('safe')
let server: RunningServer
let browser: Browser
let page: Page
let errors: string[]
let tagged: string[]
let other: string[]

/** Pastes `text` into `target`, as the clipboard would. */
async function paste(target: Locator, text: string) {
  await target.evaluate((el, t) => {
    const data = new DataTransfer()
    data.setData('text', t)
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  }, text)
}

async function openNewRule(label: string, title: string) {
  await page.getByRole('button', { name: label }).click()
  const dialog = page.getByRole('dialog', { name: title })
  // Once open, the dialog moves the focus to its first field: wait for that, so it moves nothing later.
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-name')
  await dialog.locator('#rule-accountId').fill('123456789012')
  return dialog
}

beforeAll(async () => {
  server = await startApp(KEY)
  const ec2 = motoEc2('us-east-1')
  tagged = await seedInstances(ec2, { count: 1, tags: { app: tag } })
  other = await seedInstances(ec2, { count: 1, tags: { app: `${tag}-web` } })
  browser = await launchBrowser()
  ;({ page, errors } = await newPage(browser))
  await page.goto(server.url)
  await page.evaluate(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
  await page.reload()
  await page.getByRole('button', { name: 'New rule' }).waitFor()
})
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return
  await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
  // A dialog a failed test left open would block the next one.
  await page.reload().catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('the rule dialog\'s preview', () => {
  it('keeps the valid part of a rejected paste, marks the bad one, and previews nothing until it is fixed', async () => {
    const dialog = await openNewRule('New rule', 'New rule')
    const box = dialog.getByLabel('Filter value')
    await box.focus()
    await paste(box, `tag:app=${tag},vpc-id=vpc-nope`)

    // The good filter is added; only the bad one stays in the box, with its error.
    await dialog.getByRole('button', { name: `Remove tag:app=${tag}` }).waitFor()
    await expect(box.inputValue()).resolves.toBe('vpc-id=vpc-nope')
    await dialog.locator('.filter-input [role="alert"]').getByText(/vpc-id/).waitFor()
    // The preview refuses, loudly, rather than list what the rule would not act on.
    await dialog.getByTestId('preview-blocked').getByText(/filters above are not valid/).waitFor()
    await expect(dialog.getByRole('button', { name: 'Preview matching resources' }).isDisabled()).resolves.toBe(true)
    await screenshot(page, 'preview-blocked-en', { dialog: true })

    // Saving refuses too, and says why under the filters.
    await dialog.getByRole('button', { name: 'Create' }).click()
    await dialog.locator('.el-form-item__error').getByText(/is not a filter yet/).waitFor()

    // Cleared, the preview lists exactly what the remaining filter matches.
    await box.fill('')
    await dialog.getByTestId('preview-blocked').waitFor({ state: 'detached' })
    await dialog.getByRole('button', { name: 'Preview matching resources' }).click()
    const result = dialog.getByTestId('preview-result')
    await result.getByText('1 resources match: 1 would be acted on, 0 skipped').waitFor()
    await result.getByText(tagged[0]!).waitFor()
    await expect(result.getByText(other[0]!).count()).resolves.toBe(0)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
  })

  it('asks for the confirmation before previewing a rule with no filter, in Chinese too', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' })
    const dialog = await openNewRule('新建规则', '新建规则')
    await dialog.getByTestId('preview-blocked').getByText(/请先勾选/).waitFor()
    await expect(dialog.getByRole('button', { name: '预览匹配的资源' }).isDisabled()).resolves.toBe(true)
    await screenshot(page, 'preview-blocked-zh', { dialog: true })
    await dialog.locator('.el-checkbox').filter({ has: page.locator('#rule-allInstances') }).click()
    await dialog.getByTestId('preview-blocked').waitFor({ state: 'detached' })
    await dialog.getByRole('button', { name: '预览匹配的资源' }).click()
    const result = dialog.getByTestId('preview-result')
    for (const id of [...tagged, ...other]) await result.getByText(id).waitFor()
    await dialog.getByRole('button', { name: '取消' }).click()
    expect(errors).toEqual([])
  })
})

describe('run now', () => {
  it('says what a stop will do, from a dry run, and does nothing when kept a dry run', async () => {
    const rule = `safe-run-${tag}`.slice(0, 64)
    await api(server, KEY, 'POST', '/api/rules', ruleBody(rule, tag, { scheduleExpression: 'cron(0 3 1 1 ? 2099)' }))
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption({ label: 'English' })
    await page.getByRole('heading', { name: 'Rules', exact: true }).waitFor()
    await page.reload()
    await page.getByRole('button', { name: `Run now ${rule}` }).click()
    const dialog = page.getByRole('dialog', { name: 'Run now?' })
    await dialog.getByText(`A dry run just now: this will stop 1 resource of ${rule} in account 123456789012 (us-east-1); 0 skipped.`).waitFor()
    // A stop is the dangerous action: its button says so.
    await expect(dialog.getByRole('button', { name: 'Run now' }).getAttribute('class')).resolves.toContain('el-button--danger')
    await screenshot(page, 'run-confirm-en', { dialog: true })
    await dialog.getByRole('button', { name: 'Keep it a dry run' }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect(await statesOf(motoEc2('us-east-1'), tagged)).toEqual({ [tagged[0]!]: 'running' })
    expect((await api<{ items: unknown[] }>(server, KEY, 'GET', `/api/logs?rule=${rule}`)).items).toEqual([])
    expect(errors).toEqual([])
  })
})

describe('the rule dialog\'s defaults', () => {
  it('suggests the accounts of the listed rules, and names the region an empty list means', async () => {
    await page.getByRole('button', { name: 'New rule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New rule' })
    await expect.poll(() => dialog.locator('#rule-known-accounts option').evaluateAll(o => o.map(e => (e as HTMLOptionElement).value))).toContain('123456789012')
    await expect(dialog.locator('#rule-accountId').getAttribute('list')).resolves.toBe('rule-known-accounts')
    await dialog.getByText('Empty: us-east-1, the app\'s region').waitFor()
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    expect(errors).toEqual([])
  })
})
