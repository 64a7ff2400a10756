// The rule dialog's organization tree (issue 15): with the organization role set (moto's organization), units are
// picked from a tree that opens one level at a time and fill the OU box; after a preview resolved them, the rules
// list says "1 OU, 2 accounts (resolved just now)". Without the role, the box stays with a hint. English and Chinese,
// 1280 and 375 px; screenshots go to __screenshots__.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { uniqueValue } from '../integration/helpers/ec2'
import { createTestOrganization } from '../integration/helpers/organization'
import type { TestOrganization } from '../integration/helpers/organization'
import { startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-organization-units-0123456789'
const tag = uniqueValue('orgtree')
let org: TestOrganization
let server: RunningServer
let noRole: RunningServer
let browser: Browser
let page: Page
let errors: string[]

const TEXT = {
  en: { newRule: 'New rule', pick: 'Pick units from the organization', preview: 'Preview matching resources', create: 'Create', filter: 'Filter value', reach: '1 OU, 2 accounts (resolved just now)', noRole: 'To pick units from your organization\'s tree, set the organization role' },
  zh: { newRule: '新建规则', pick: '从组织中选择单元', preview: '预览匹配的资源', create: '创建', filter: '筛选值', reach: '1 个组织单元，2 个账号（刚刚解析）', noRole: '设置组织角色' },
}

async function open(url: string, locale: 'en' | 'zh', width: number) {
  await page?.context().close()
  const opened = await newPage(browser, { locale: locale === 'en' ? 'en-US' : 'zh-CN', viewport: { width, height: 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) })
  page = opened.page
  errors = opened.errors
  await page.addInitScript(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
  await page.goto(url)
  await hydrated(page)
}

async function openNewRule(label: string) {
  await page.getByRole('button', { name: label }).click()
  const dialog = page.getByRole('dialog', { name: label })
  await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('rule-name')
  return dialog
}

beforeAll(async () => {
  org = await createTestOrganization({ dev: null, team: 'dev', prod: null }, { a1: 'dev', a2: 'team', p1: 'prod' })
  ;[server, noRole] = await Promise.all([startApp(KEY, { NUXT_ORGANIZATION_ROLE_ARN: org.roleArn }), startApp(KEY)])
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  await Promise.all([server, noRole].filter(Boolean).map(s => stopAndClean(s)))
})

describe('the organization tree in the rule dialog', () => {
  it.each([['en', 1280], ['zh', 375]] as const)('picks a unit from the tree into the OU box, and the list says what the rule reaches (%s, %i px)', async (locale, width) => {
    const text = TEXT[locale]
    const name = `tree-${locale}-${tag}`
    await open(server.url, locale, width)
    const dialog = await openNewRule(text.newRule)
    await dialog.locator('#rule-name').fill(name)
    // The tree opens at the root; its units load as it is expanded.
    await dialog.getByTestId('unit-picker').locator('.el-select__wrapper').click()
    const tree = page.locator('.el-popper:visible .el-tree')
    const rootNode = tree.locator('.el-tree-node__content').filter({ hasText: org.root }).first()
    await rootNode.locator('.el-tree-node__expand-icon').first().click()
    const devNode = tree.locator('.el-tree-node__content').filter({ hasText: `dev · ${org.units.dev}` }).first()
    await devNode.waitFor()
    await devNode.locator('.el-checkbox').first().click()
    await expect.poll(() => dialog.locator('#rule-organizationalUnits').inputValue()).toBe(org.units.dev)
    await devNode.locator('.el-tree-node__expand-icon').first().click()
    await tree.locator('.el-tree-node__content').filter({ hasText: `team · ${org.units.team}` }).first().waitFor()
    await screenshot(page, `org-tree-dialog-${width}-${locale}`, { dialog: true })
    await page.keyboard.press('Escape')

    await dialog.getByLabel(text.filter).fill(`tag:app=${tag}`)
    await dialog.getByLabel(text.filter).press('Enter')
    await dialog.locator('#rule-scheduleExpression').fill('cron(0 19 ? * MON-FRI *)')
    // The preview resolves the unit: a1 beneath dev, a2 beneath team.
    await dialog.getByRole('button', { name: text.preview }).click()
    await dialog.getByTestId('preview-result').waitFor()
    await dialog.getByRole('button', { name: text.create, exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    const reach = page.getByTestId('rule-reach').filter({ hasText: text.reach })
    await reach.first().waitFor()
    await expect(reach.first().getAttribute('title')).resolves.toBe(org.units.dev)
    await screenshot(page, `org-tree-list-${width}-${locale}`)
    expect(errors).toEqual([])
  })

  it.each([['en', 1280], ['zh', 375]] as const)('keeps the OU box with a hint when no organization role is set (%s, %i px)', async (locale, width) => {
    const text = TEXT[locale]
    await open(noRole.url, locale, width)
    const dialog = await openNewRule(text.newRule)
    await dialog.getByTestId('unit-picker-no-role').getByText(text.noRole).waitFor()
    await expect(dialog.locator('#rule-organizationalUnits').isEditable()).resolves.toBe(true)
    await screenshot(page, `org-tree-no-role-${width}-${locale}`, { dialog: true })
    expect(errors).toEqual([])
  })
})
