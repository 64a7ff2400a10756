// A new operator's day, in the browser: sign in with the key, create a rule through the dialog (a wrong cron is
// explained under its field), preview the instances it matches, edit and disable it, run it now and read the
// outcome of every instance in the logs, delete it, then switch to Chinese. Screenshots go to __screenshots__.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { scheduleExpressionError } from '#shared/schedule'
import { motoEc2, seedInstances, statesOf, uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-flow-0123456789abcdef'
const tag = uniqueValue('flow')
const name = `nightly-${tag}`.slice(0, 64)
const neighbour = `aa-morning-start-${tag}`.slice(0, 64)
const BAD_CRON = 'cron(0 19 ? * MON-FRI'
let server: RunningServer
let browser: Browser
let page: Page
let errors: string[]
let acting: string[]
let optedOut: string[]

/** The error shown under the form field that holds `#id`. */
const fieldError = (id: string) => page.locator('.el-form-item').filter({ has: page.locator(`#${id}`) }).locator('.el-form-item__error')
const toast = (text: string | RegExp) => page.locator('.el-message').filter({ hasText: text }).first()
const row = (text: string) => page.locator('.data-table .data-row').filter({ hasText: text }).first()

/** Picks an option of a searchable select by typing its name, as a keyboard user would. */
async function pickOption(combobox: string, option: string) {
  const box = page.getByRole('combobox', { name: combobox })
  await box.focus()
  await box.fill(option)
  await page.getByRole('option', { name: option, exact: true }).click()
}

beforeAll(async () => {
  server = await startApp(KEY)
  const ec2 = motoEc2('us-east-1')
  acting = await seedInstances(ec2, { count: 2, tags: { app: tag } })
  optedOut = await seedInstances(ec2, { count: 1, tags: { 'app': tag, 'ouroboros:skip': 'true' } })
  // Neighbours in the table, for the screenshots: in another (empty) account, so that firing would touch nothing.
  await api(server, KEY, 'POST', '/api/rules', ruleBody(neighbour, tag, {
    action: 'start', description: 'Start the web tier on weekday mornings', scheduleExpression: 'cron(0 7 ? * MON-FRI *)',
    accountId: '210987654321', filters: `tag:app=${tag},instance-type=t3.micro`, regions: ['us-east-1', 'eu-west-1'],
  }))
  await api(server, KEY, 'POST', '/api/rules', ruleBody(`zz-weekend-stop-${tag}`.slice(0, 64), tag, {
    description: 'Everything off for the weekend', scheduleExpression: 'cron(0 18 ? * FRI *)', timezone: 'Asia/Shanghai',
    accountId: '210987654321', filters: [], allInstances: true, hibernate: true,
  }))
  browser = await launchBrowser()
  ;({ page, errors } = await newPage(browser))
})
// A failed step leaves a picture of what the browser showed.
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('an operator with the admin key', () => {
  it('signs in: a wrong key is refused under the field, the right one reveals the controls', async () => {
    await page.goto(server.url)
    await page.getByText('Start the web tier on weekday mornings').waitFor()
    expect(await page.getByRole('button', { name: 'New rule' }).count()).toBe(0)

    await page.getByRole('button', { name: 'Sign in' }).click()
    const dialog = page.getByRole('dialog', { name: 'Sign in with an API key' })
    await dialog.getByLabel('API key').fill('not-the-key')
    await dialog.getByLabel('API key').press('Enter')
    await dialog.locator('.el-form-item__error').getByText(/not accepted/).waitFor()
    await dialog.getByLabel('API key').fill(KEY)
    await dialog.getByLabel('API key').press('Enter')
    const who = await api<{ name: string }>(server, KEY, 'GET', '/api/auth/whoami')
    await page.getByTestId('key-name').getByText(who.name).waitFor()
    await page.getByRole('button', { name: 'New rule' }).waitFor()
    expect(await page.getByTestId('read-only').count()).toBe(0)
    // The key is in sessionStorage only, and never in the address.
    const stored = await page.evaluate(() => [sessionStorage.getItem('ouroboros:api-key'), localStorage.getItem('ouroboros:api-key')])
    expect(stored).toEqual([KEY, null])
    expect(page.url()).not.toContain(KEY)
    await screenshot(page, 'rules-en')
  })

  it('creates a rule through the dialog: a wrong cron is explained under its field, a valid one shows its next runs', async () => {
    await page.getByRole('button', { name: 'New rule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New rule' })
    // Once open, the dialog puts the focus in its first field.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-name')
    await dialog.locator('#rule-name').fill(name)
    await dialog.locator('#rule-accountId').fill('12345')
    // The message names the field as the form labels it (the API's own says accountId).
    await fieldError('rule-accountId').getByText('Account must be exactly 12 digits').waitFor()
    await dialog.locator('#rule-accountId').fill('123456789012')
    await fieldError('rule-accountId').waitFor({ state: 'detached' })
    await dialog.locator('#rule-description').fill('Stop the web tier at night')
    await pickOption('Regions', 'us-east-1')
    await dialog.locator('#rule-description').click()

    // Pasting the text form adds every filter in it.
    await dialog.getByLabel('Filter value').focus()
    await page.evaluate((text) => {
      const data = new DataTransfer()
      data.setData('text', text)
      document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
    }, `tag:app=${tag},instance-type=t3.micro`)
    await dialog.getByRole('button', { name: 'Remove instance-type=t3.micro' }).click()
    await dialog.getByRole('button', { name: `Remove tag:app=${tag}` }).waitFor()

    await dialog.locator('#rule-scheduleExpression').fill(BAD_CRON)
    await fieldError('rule-scheduleExpression').getByText(scheduleExpressionError(BAD_CRON)!).waitFor()
    await dialog.getByRole('button', { name: 'Weekdays at 19:00' }).click()
    await fieldError('rule-scheduleExpression').waitFor({ state: 'detached' })
    await expect(dialog.locator('#rule-scheduleExpression').inputValue()).resolves.toBe('cron(0 19 ? * MON-FRI *)')
    await expect(dialog.getByTestId('schedule-description').textContent()).resolves.toContain('At 19:00, Monday through Friday')
    await pickOption('Time zone', 'Europe/Berlin')
    await dialog.getByText('Next 5 runs in Europe/Berlin').waitFor()
    expect(await dialog.getByTestId('next-runs').locator('li').count()).toBe(5)

    await dialog.getByRole('button', { name: 'Preview matching resources' }).click()
    const preview = dialog.getByTestId('preview-result')
    await preview.getByText('3 resources match: 2 would be acted on, 1 skipped').waitFor()
    for (const id of [...acting, ...optedOut]) await preview.getByText(id).waitFor()
    await expect(preview.getByText('would stop').count()).resolves.toBe(2)
    await screenshot(page, 'dialog-en', { dialog: true })

    // The server's refusal lands on the field it is about: the name is taken.
    await dialog.locator('#rule-name').fill(neighbour)
    await dialog.getByRole('button', { name: 'Create' }).click()
    await fieldError('rule-name').getByText(`a rule named '${neighbour}' already exists`).waitFor()
    await dialog.locator('#rule-name').fill(name)
    await fieldError('rule-name').waitFor({ state: 'detached' })
    // A check only the server makes: its data.issues land under the fields they name (answered here by the test).
    await page.route('**/api/rules', route => route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ statusCode: 400, statusMessage: 'Invalid rule', data: { issues: [{ path: 'scheduleExpression', message: 'the scheduler refused this expression' }] } }),
    }), { times: 1 })
    await dialog.getByRole('button', { name: 'Create' }).click()
    await fieldError('rule-scheduleExpression').getByText('the scheduler refused this expression').waitFor()
    await dialog.getByRole('button', { name: 'Create' }).click()
    await toast(`Rule ${name} created`).waitFor()
    const created = row(name)
    await created.getByText('At 19:00, Monday through Friday').waitFor()
    await expect(created.getByTestId('next-run').textContent()).resolves.toMatch(/Next:.*\(your time\).*Europe\/Berlin/s)
    // Nothing was acted on by the preview.
    expect(Object.values(await statesOf(motoEc2('us-east-1'), acting))).toEqual(['running', 'running'])
  })

  it('edits the rule, and after someone else changed it, offers to reload instead of overwriting', async () => {
    await page.getByRole('button', { name: `Edit ${name}` }).click()
    let dialog = page.getByRole('dialog', { name: `Edit ${name}` })
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-description')
    await dialog.locator('#rule-description').fill('Stop the web tier every weekday evening')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await toast(`Rule ${name} saved`).waitFor()
    await row(name).getByText('Stop the web tier every weekday evening').waitFor()

    // Someone else saves a change while the dialog is open: saving ours answers 409.
    await page.getByRole('button', { name: `Edit ${name}` }).click()
    dialog = page.getByRole('dialog', { name: `Edit ${name}` })
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-description')
    const current = await api<{ version: number }>(server, KEY, 'GET', `/api/rules/${name}`)
    await api(server, KEY, 'PUT', `/api/rules/${name}`, ruleBody(name, tag, { description: 'Changed by a colleague', version: current.version }))
    await dialog.locator('#rule-description').fill('My change')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await dialog.getByText('Someone changed this rule since you opened it').waitFor()
    await dialog.getByRole('button', { name: /Reload the rule/ }).click()
    await toast(/^Reloaded/).waitFor()
    await expect(dialog.locator('#rule-description').inputValue()).resolves.toBe('Changed by a colleague')
    await dialog.getByRole('button', { name: 'Save' }).click()
    await toast(`Rule ${name} saved`).waitFor()
    await row(name).getByText('Changed by a colleague').waitFor()
  })

  it('disables the rule with its switch', async () => {
    // With the keyboard: the switch is a focusable checkbox.
    await page.getByRole('switch', { name: `Enabled: ${name}` }).focus()
    await page.keyboard.press('Enter')
    await toast(`${name} disabled`).waitFor()
    await row(name).getByText('Disabled: will not run').waitFor()
    expect((await api<{ enabled: boolean }>(server, KEY, 'GET', `/api/rules/${name}`)).enabled).toBe(false)
  })

  it('runs the rule now, and the logs show the run with every instance\'s outcome', async () => {
    await page.getByRole('button', { name: `Run now ${name}` }).click()
    await page.getByRole('dialog', { name: 'Run now?' }).getByRole('button', { name: 'Run now' }).click()
    await toast(/succeeded: 2 acted, 1 skipped, 0 failed/).waitFor({ timeout: 30_000 })
    expect(Object.values(await statesOf(motoEc2('us-east-1'), acting))).toEqual(['stopped', 'stopped'])

    await page.getByRole('link', { name: `Logs of ${name}` }).click()
    await page.waitForURL(/\/logs\?rule=/)
    await page.getByRole('heading', { name: `Logs of ${name}` }).waitFor()
    const run = row(name)
    await run.getByText('succeeded').waitFor()
    await expect(run.textContent()).resolves.toContain('manual')
    await run.getByRole('button', { name: /^Details of run/ }).click()
    const detail = page.locator('[data-testid^="log-detail-"]')
    for (const id of acting) {
      const target = detail.locator('.el-table__row').filter({ hasText: id })
      await target.getByText('running → stopped').waitFor()
      await target.getByText('stopped', { exact: true }).waitFor()
    }
    await detail.locator('.el-table__row').filter({ hasText: optedOut[0]! }).getByText('skipped').waitFor()
    await screenshot(page, 'logs-en')
  })

  it('deletes the rule after a confirmation', async () => {
    await page.getByRole('link', { name: 'Rules' }).click()
    await page.getByRole('button', { name: `Delete ${name}` }).click()
    await page.getByRole('dialog', { name: 'Delete this rule?' }).getByRole('button', { name: 'Delete' }).click()
    await toast(`Rule ${name} deleted`).waitFor()
    await page.getByRole('button', { name: `Delete ${name}` }).waitFor({ state: 'detached' })
    const res = await fetch(`${server.url}/api/rules/${name}`)
    expect(res.status).toBe(404)
  })

  it('switches to Chinese: the labels change, on every page and in the dialog', async () => {
    await page.getByRole('combobox', { name: 'Language' }).selectOption({ label: '简体中文' })
    await page.getByRole('heading', { name: '规则' }).waitFor()
    await page.getByRole('button', { name: '新建规则' }).waitFor()
    await page.getByRole('columnheader', { name: '筛选条件' }).first().waitFor()
    await page.getByRole('button', { name: '退出登录' }).waitFor()
    await screenshot(page, 'rules-zh')

    await page.getByRole('button', { name: '新建规则' }).click()
    const dialog = page.getByRole('dialog', { name: '新建规则' })
    await dialog.getByRole('button', { name: '预览匹配的资源' }).waitFor()
    await dialog.getByRole('button', { name: '工作日 19:00' }).click()
    await expect(dialog.getByTestId('schedule-description').textContent()).resolves.toContain('每周一至周五 19:00')
    await screenshot(page, 'dialog-zh', { dialog: true })
    await dialog.getByRole('button', { name: '取消' }).click()

    await page.getByRole('link', { name: '日志' }).first().click()
    await page.getByRole('heading', { name: '日志' }).waitFor()
    await page.getByRole('columnheader', { name: '触发方式' }).first().waitFor()
    await row(name).getByText('成功').waitFor()
    await row(name).getByRole('button', { name: /详情/ }).click()
    await page.locator('[data-testid^="log-detail-"]').getByText('已停止').first().waitFor()
    await screenshot(page, 'logs-zh')
    // The choice is kept: a reload stays in Chinese.
    await page.reload()
    await page.getByRole('heading', { name: '日志' }).waitFor()
    expect(errors).toEqual([])
  })
})
