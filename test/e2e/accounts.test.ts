// The member-account setup, in the browser: an admin opens it from the header, a wrong account id is explained under
// the field, a valid one shows the role the rules assume there and the commands that create it (copied and downloaded
// exactly as the API answers them); a visitor without an admin key has no link to it; a phone does not scroll sideways.
import { readFile } from 'node:fs/promises'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import { uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-accounts-0123456789ab'
const tag = uniqueValue('acct')
const RULE_ACCOUNT = '210987654321'
const TYPED = '444455556666'
let server: RunningServer
let browser: Browser
let current: Page | undefined

interface Setup {
  roleArn: string
  template: string
  commands: { cloudformation: string, iam: string[], stackSet: string[] }
}

const setupOf = (accountId: string) => api<Setup>(server, KEY, 'GET', `/api/setup/member-role?accountId=${accountId}`)
const fieldError = (page: Page) => page.locator('.el-form-item').filter({ has: page.locator('#account-id') }).locator('.el-form-item__error')
const codeBlock = (page: Page, label: string) => page.getByRole('figure').filter({ has: page.getByText(label, { exact: true }) }).locator('pre')
/** The header is one row at 1440 and 1280 px (its links and tools side by side, nothing wrapped below). */
async function headerFitsOneRow(page: Page, shot: string) {
  const header = page.locator('header.header')
  for (const width of [1280, 1440]) {
    await page.setViewportSize({ width, height: 900 })
    expect((await header.boundingBox())!.height, `the header at ${width} px`).toBeLessThan(60)
  }
  await screenshot(page, shot)
}
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

/** A page signed in with `key` (in sessionStorage, as after signing in). */
async function signedInPage(key: string, options: BrowserContextOptions = {}) {
  const opened = await newPage(browser, options)
  await opened.page.addInitScript(k => sessionStorage.setItem('ouroboros:api-key', k), key)
  current = opened.page
  return opened
}

beforeAll(async () => {
  server = await startApp(KEY)
  await api(server, KEY, 'POST', '/api/rules', ruleBody(`acct-${tag}`.slice(0, 64), tag, { accountId: RULE_ACCOUNT }))
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && current) await screenshot(current, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
  await current?.context().close()
  current = undefined
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe('without an admin key', () => {
  it('shows no Accounts link, and the page asks for an admin key instead of showing commands', async () => {
    const { page, errors } = await newPage(browser)
    current = page
    await page.goto(server.url)
    await page.getByText(`acct-${tag}`).first().waitFor()
    await page.getByTestId('read-only').waitFor()
    expect(await page.getByTestId('admin-menu').count()).toBe(0)
    expect(await page.getByRole('menuitem', { name: 'Accounts' }).count()).toBe(0)
    await headerFitsOneRow(page, 'header-1440-read-only-en')

    await page.goto(`${server.url}/accounts?accountId=${TYPED}`)
    await page.getByTestId('admin-only').getByText('The member-account setup needs an admin key.').waitFor()
    expect(await page.getByTestId('member-role-setup').count()).toBe(0)
    expect(await page.locator('#account-id').count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('shows no Accounts link to a read key either', async () => {
    const reader = await api<{ key: string }>(server, KEY, 'POST', '/api/keys', { name: `reader-${tag}`.slice(0, 64), scope: 'read' })
    const { page, errors } = await signedInPage(reader.key)
    await page.goto(server.url)
    await page.getByTestId('key-name').getByText(`reader-${tag}`.slice(0, 64)).waitFor()
    await page.getByRole('link', { name: 'Logs', exact: true }).waitFor()
    expect(await page.getByTestId('admin-menu').count()).toBe(0)
    expect(await page.getByRole('menuitem', { name: 'Accounts' }).count()).toBe(0)
    expect(errors).toEqual([])
  })
})

describe('an admin', () => {
  it('has a header of one row at 1440 and 1280 px, the admin pages in one menu the keyboard opens, the page shown marked', async () => {
    const { page, errors } = await signedInPage(KEY)
    await page.goto(`${server.url}/audit`)
    await page.getByTestId('key-name').waitFor()
    const trigger = page.getByRole('button', { name: 'Admin' })
    await trigger.waitFor()
    await headerFitsOneRow(page, 'header-1440-admin-en')
    // On an admin page the menu's button is marked as the links are.
    expect(await trigger.getAttribute('class')).toContain('active')

    await hydrated(page)
    await trigger.focus()
    await page.keyboard.press('Enter')
    await page.locator('[role="menuitem"][aria-current="page"]').getByText('Audit trail').waitFor()
    expect(await page.locator('[role="menuitem"][aria-current="page"]').count()).toBe(1)
    // The arrow keys move through the items; Enter opens the one focused.
    // Opened from the keyboard, the menu takes the focus, on its first item.
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('role') === 'menuitem' ? document.activeElement.textContent?.trim() : undefined)
    await expect.poll(focused).toBe('API keys')
    for (let i = 0; i < 5 && await focused() !== 'Accounts'; i++) await page.keyboard.press('ArrowDown')
    expect(await focused()).toBe('Accounts')
    await page.keyboard.press('Enter')
    await page.waitForURL(/\/accounts$/)
    await page.getByRole('heading', { name: 'Member accounts' }).waitFor()
    expect(errors).toEqual([])
  })

  it('opens the page from the header, is told a wrong account id is wrong, and gets the commands of a valid one', async () => {
    const { page, errors } = await signedInPage(KEY, { permissions: ['clipboard-read', 'clipboard-write'] })
    await page.goto(server.url)
    await page.getByRole('button', { name: 'Admin' }).click()
    await page.getByRole('menuitem', { name: 'Accounts' }).click()
    await page.waitForURL(/\/accounts$/)
    await page.getByRole('heading', { name: 'Member accounts' }).waitFor()
    // Offered from the rules: the field starts with the account of the one rule.
    const field = page.locator('#account-id')
    await expect.poll(() => field.inputValue()).toBe(RULE_ACCOUNT)
    expect(await page.getByTestId('member-role-setup').count()).toBe(0)

    await field.fill('12345')
    await fieldError(page).getByText('An AWS account id is exactly 12 digits, e.g. 123456789012').waitFor()
    await page.getByRole('button', { name: 'Show setup' }).click()
    expect(page.url()).toMatch(/\/accounts$/)
    expect(await page.getByTestId('member-role-setup').count()).toBe(0)

    // The console shows account ids with dashes: they are dropped.
    await field.fill('4444-5555-6666')
    await fieldError(page).waitFor({ state: 'detached' })
    await field.press('Enter')
    await page.waitForURL(new RegExp(`\\?accountId=${TYPED}$`))
    const expected = await setupOf(TYPED)
    const roleArn = codeBlock(page, `Role the rules assume in ${TYPED}`)
    await expect.poll(() => roleArn.textContent()).toBe(`arn:aws:iam::${TYPED}:role/OuroborosSchedulerMember`)
    // Not the deployed hub: the page says the commands hold a placeholder.
    await page.getByTestId('not-ready').getByText('Not ready to run as shown').waitFor()
    await expect(page.getByTestId('not-ready').textContent()).resolves.toContain('<hub Lambda role ARN: …>')

    // CloudFormation: the template and the deploy command, as the API answers them.
    await expect(codeBlock(page, 'Deploy command').textContent()).resolves.toBe(expected.commands.cloudformation)
    await expect(codeBlock(page, 'Template member-account.json').textContent()).resolves.toBe(expected.template)
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download member-account.json' }).click(),
    ])
    expect(download.suggestedFilename()).toBe('member-account.json')
    expect(JSON.parse(await readFile((await download.path())!, 'utf8'))).toEqual(JSON.parse(expected.template))

    // IAM CLI: two commands, the permissions scoped to this account; Copy puts the exact text on the clipboard.
    await page.getByRole('tab', { name: 'IAM CLI' }).click()
    const permissions = codeBlock(page, 'Give the role its permissions')
    await permissions.waitFor()
    await expect(permissions.textContent()).resolves.toBe(expected.commands.iam[1])
    expect(expected.commands.iam[1]).toContain(`arn:aws:ec2:*:${TYPED}:instance/*`)
    await expect(codeBlock(page, 'Create the role').textContent()).resolves.toBe(expected.commands.iam[0])
    await page.getByRole('button', { name: 'Copy Give the role its permissions' }).click()
    await page.locator('.el-message').getByText('Copied: Give the role its permissions').waitFor()
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(expected.commands.iam[1])

    // StackSet: create it, then deploy it to an OU.
    await page.getByRole('tab', { name: 'StackSet' }).click()
    await expect(codeBlock(page, 'Create the stack set').textContent()).resolves.toBe(expected.commands.stackSet[0])
    await expect(codeBlock(page, 'Deploy it to the OU').textContent()).resolves.toBe(expected.commands.stackSet[1])
    await screenshot(page, 'accounts-en')

    // The rule's account, one click away.
    await page.getByRole('button', { name: RULE_ACCOUNT }).click()
    await page.waitForURL(new RegExp(`\\?accountId=${RULE_ACCOUNT}$`))
    await expect.poll(() => codeBlock(page, `Role the rules assume in ${RULE_ACCOUNT}`).textContent())
      .toBe(`arn:aws:iam::${RULE_ACCOUNT}:role/OuroborosSchedulerMember`)
    expect(errors).toEqual([])
  })

  it('after a failed request shows the server\'s message and a retry control', async () => {
    const { page, errors } = await signedInPage(KEY)
    await page.route('**/api/setup/member-role?*', route => route.fulfill({
      status: 503,
      contentType: 'application/json',
      body: JSON.stringify({ statusCode: 503, statusMessage: 'the hub is not answering' }),
    }))
    await page.goto(`${server.url}/accounts?accountId=${TYPED}`)
    const alert = page.getByRole('alert').filter({ hasText: 'Could not load this page' })
    await alert.getByText('the hub is not answering').waitFor()
    await page.unroute('**/api/setup/member-role?*')
    await alert.getByRole('button', { name: 'Retry' }).click()
    await codeBlock(page, `Role the rules assume in ${TYPED}`).waitFor()
    expect(await alert.count()).toBe(0)
    expect(errors).toEqual([])
  })

  it('is usable 375 px wide: the page does not scroll sideways, the long commands scroll inside their blocks', async () => {
    const { page, errors } = await signedInPage(KEY, { viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true })
    await page.goto(`${server.url}/accounts?accountId=${TYPED}`)
    // The header is one row, the brand and a menu; its links and tools open below it.
    const header = page.locator('header.header')
    expect((await header.boundingBox())!.height).toBeLessThan(60)
    await hydrated(page)
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.getByRole('button', { name: 'Admin' }).click()
    // The page shown is marked in the admin menu.
    await page.locator('[role="menuitem"][aria-current="page"]').getByText('Accounts').waitFor()
    await screenshot(page, 'header-375-admin-menu-en')
    await page.keyboard.press('Escape')
    await page.getByRole('menuitem', { name: 'Accounts' }).waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: 'Menu' }).click()
    await page.getByRole('button', { name: 'Admin' }).waitFor({ state: 'hidden' })
    await codeBlock(page, 'Deploy command').waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.getByRole('tab', { name: 'IAM CLI' }).click()
    const create = codeBlock(page, 'Create the role')
    await create.waitFor()
    expect(await create.evaluate(e => e.scrollWidth > e.clientWidth)).toBe(true)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await screenshot(page, 'accounts-375-en')
    expect(errors).toEqual([])
  })

  it('speaks Chinese on the page and in the header', async () => {
    const { page, errors } = await signedInPage(KEY, { locale: 'zh-CN' })
    await page.goto(`${server.url}/accounts?accountId=${TYPED}`)
    await page.getByRole('heading', { name: '成员账户' }).waitFor()
    await headerFitsOneRow(page, 'header-1440-admin-zh')
    await hydrated(page)
    await page.getByRole('button', { name: '管理' }).click()
    await page.locator('[role="menuitem"][aria-current="page"]').getByText('成员账户').waitFor()
    await screenshot(page, 'header-1440-admin-menu-zh')
    await page.keyboard.press('Escape')
    await page.getByTestId('not-ready').getByText('命令还不能直接运行').waitFor()
    await page.getByRole('tab', { name: 'IAM CLI' }).waitFor()
    await page.getByRole('button', { name: '复制部署命令' }).waitFor()
    expect(errors).toEqual([])
  })
})
