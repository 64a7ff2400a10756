// Resource types in the browser (issue 16): a run of a rule of several types shows each target with its type's icon and a
// database's engine, filters them by type, and the rule dialog lets the user choose the types; the Accounts page lists
// each type's permissions. In English and Chinese, at desktop width and on a 375 px phone, without sideways scrolling.
import { CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateCommand } from '@aws-sdk/client-ec2'
import { CreateDBInstanceCommand } from '@aws-sdk/client-rds'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import type { LogEntry } from '../../shared/schemas/log'
import { motoEc2, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { motoAutoScaling, motoRds } from '../integration/helpers/resources'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-resource-types-0123456789'
const tag = uniqueValue('types')
const region = 'us-east-1'
const PHONE = { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true }
let server: RunningServer
let browser: Browser
let current: Page | undefined
let run: LogEntry
const db = `orders-${tag}`.replace(/[^a-z0-9-]/g, '').slice(0, 60)
const group = `web-${tag}`

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

async function signedInPage(options: BrowserContextOptions = {}) {
  const opened = await newPage(browser, options)
  await opened.page.addInitScript(k => sessionStorage.setItem('ouroboros:api-key', k), KEY)
  current = opened.page
  return opened
}

beforeAll(async () => {
  server = await startApp(KEY)
  // The app's own account in moto: a tagged EC2 instance, DB instance and Auto Scaling group.
  await seedInstances(motoEc2(region), { tags: { app: tag, Name: 'web-1' } })
  await motoRds(region).send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: db, DBInstanceClass: 'db.t3.micro', Engine: 'postgres', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'not-a-secret-1', Tags: [{ Key: 'app', Value: tag }, { Key: 'Name', Value: 'orders' }],
  }))
  await motoEc2(region).send(new CreateLaunchTemplateCommand({ LaunchTemplateName: `lt-${tag}`, LaunchTemplateData: { ImageId: 'ami-12c6146b', InstanceType: 't3.micro' } }))
  await motoAutoScaling(region).send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: group, MinSize: 1, DesiredCapacity: 2, MaxSize: 3, LaunchTemplate: { LaunchTemplateName: `lt-${tag}` },
    AvailabilityZones: [`${region}a`], Tags: [{ Key: 'app', Value: tag, PropagateAtLaunch: false }],
  }))
  await api(server, KEY, 'POST', '/api/rules', ruleBody(`types-${tag}`, tag, { resourceTypes: ['ec2', 'rds', 'asg'] }))
  run = await api<LogEntry>(server, KEY, 'POST', `/api/rules/types-${tag}/run`, {})
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

describe('a run of several resource types', () => {
  it('stopped the instance, the database and the group', () => {
    expect(run.targets.map(t => [t.resourceType ?? 'ec2', t.outcome]).sort()).toEqual([['asg', 'stopped'], ['ec2', 'stopped'], ['rds', 'stopped']])
  })

  it('shows each target with its type\'s icon and engine, and filters them by type', async () => {
    const { page, errors } = await signedInPage()
    await page.goto(`${server.url}/runs/${run.eventId}`)
    const detail = page.getByTestId(`log-detail-${run.eventId}`)
    await detail.getByRole('img', { name: 'RDS instances' }).first().waitFor()
    await expect(detail.getByText('orders · postgres').count()).resolves.toBe(1)
    await expect(detail.getByRole('img', { name: 'Auto Scaling groups' }).count()).resolves.toBeGreaterThan(0)
    await screenshot(page, 'types-run-en')
    await detail.getByRole('radio', { name: /RDS \(1\)/ }).click({ force: true })
    await expect.poll(() => detail.locator('.targets tbody tr').count(), { timeout: 10_000 }).toBe(1)
    await expect(detail.locator('.targets tbody').getByText(db).count()).resolves.toBe(1)
    expect(errors).toEqual([])
  })

  it('reads in Chinese, and on a phone without sideways scrolling', async () => {
    const { page, errors } = await signedInPage({ locale: 'zh-CN', ...PHONE })
    await page.goto(`${server.url}/runs/${run.eventId}`)
    const detail = page.getByTestId(`log-detail-${run.eventId}`)
    await detail.getByRole('img', { name: 'RDS 实例' }).first().waitFor()
    await detail.getByText('全部类型（3）').waitFor()
    await screenshot(page, 'types-run-zh-phone')
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
  })
})

describe('keeping a database and a group as is', () => {
  it('offers "Keep as is" on the database\'s and the group\'s rows, and shows their overrides there and on the list', async () => {
    const { page, errors } = await signedInPage()
    await page.goto(`${server.url}/runs/${run.eventId}`)
    const detail = page.getByTestId(`log-detail-${run.eventId}`)
    await detail.getByTestId(`keep-${db}`).getByRole('button', { name: `Keep ${db} as is` }).click()
    const dialog = page.getByRole('dialog', { name: `Keep ${db} as is` })
    await dialog.getByText('Its rules leave this resource alone until then').waitFor()
    await screenshot(page, 'types-keep-db-en', { dialog: true })
    await dialog.getByTestId('keep-save').click()
    await detail.getByTestId(`keep-${db}`).getByTestId('kept-until').waitFor()
    await expect(detail.getByTestId(`keep-${group}`).getByTestId('keep-open').count()).resolves.toBe(1)
    const made = (await api<{ items: { instanceId: string, resourceType?: string }[] }>(server, KEY, 'GET', '/api/overrides?limit=100')).items
    expect(made).toContainEqual(expect.objectContaining({ instanceId: db, resourceType: 'rds' }))
    await screenshot(page, 'types-keep-run-en')
    await page.goto(`${server.url}/overrides`)
    await page.getByTestId('override-list').getByRole('img', { name: 'RDS instances' }).first().waitFor()
    await screenshot(page, 'types-keep-list-en')
    const zh = await signedInPage({ locale: 'zh-CN', ...PHONE })
    await zh.page.goto(`${server.url}/overrides`)
    await zh.page.getByRole('heading', { name: '保持现状的资源' }).waitFor()
    await zh.page.getByTestId('override-list').getByRole('img', { name: 'RDS 实例' }).first().waitFor()
    await screenshot(zh.page, 'types-keep-list-zh-phone')
    expect(await overflow(zh.page)).toBeLessThanOrEqual(0)
    expect([...errors, ...zh.errors]).toEqual([])
    await zh.page.context().close()
  })
})

describe('the rule dialog', () => {
  it('lets the user choose the types, and offers only the tag keys for several', async () => {
    const { page, errors } = await signedInPage()
    await page.goto(server.url)
    // The rules list shows the types a rule names, by their icons.
    await page.getByRole('img', { name: 'RDS instances' }).first().waitFor()
    await screenshot(page, 'types-rules-en')
    await page.getByRole('button', { name: 'New rule' }).click()
    const dialog = page.getByRole('dialog', { name: 'New rule' })
    const types = dialog.getByRole('group', { name: 'Resource types' })
    await types.waitFor()
    await expect(types.getByRole('checkbox', { name: 'EC2' }).isChecked()).resolves.toBe(true)
    await types.getByText('RDS').click()
    await dialog.getByText('Several types: filter by tags only').waitFor()
    // Element Plus lays its placeholder over the select's input: the click goes to the select itself.
    await dialog.getByRole('combobox', { name: 'Filter key' }).click({ force: true })
    // The dropdown renders its options once open, later on a loaded machine.
    await expect.poll(async () => (await page.locator('.el-select-dropdown__item:visible').allTextContents()).map(o => o.trim()), { timeout: 10_000 }).toEqual(['tag:KEY', 'tag-key'])
    await page.keyboard.press('Escape')
    await screenshot(page, 'types-dialog-en', { dialog: true })
    expect(errors).toEqual([])
  })

  it('fits a phone in Chinese', async () => {
    const { page, errors } = await signedInPage({ locale: 'zh-CN', ...PHONE })
    await page.goto(server.url)
    await page.getByRole('img', { name: 'Auto Scaling 组' }).first().waitFor()
    await screenshot(page, 'types-rules-zh-phone')
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.getByRole('button', { name: '新建规则' }).click()
    const dialog = page.getByRole('dialog', { name: '新建规则' })
    await dialog.getByRole('group', { name: '资源类型' }).waitFor()
    await screenshot(page, 'types-dialog-zh-phone', { dialog: true })
    expect(errors).toEqual([])
  })
})

describe('the Accounts page', () => {
  it('says which permissions each type needs, in both languages and on a phone', async () => {
    const { page, errors } = await signedInPage()
    await page.goto(`${server.url}/accounts`)
    await page.getByRole('heading', { name: 'Permissions per resource type' }).waitFor()
    await page.getByText('rds:StopDBCluster').waitFor()
    await page.getByText('autoscaling:UpdateAutoScalingGroup').waitFor()
    await page.getByTestId('managed-by-tag').getByText('ManagedByTagKey').waitFor()
    await screenshot(page, 'types-accounts-en')
    const zh = await signedInPage({ locale: 'zh-CN', ...PHONE })
    await zh.page.goto(`${server.url}/accounts`)
    await zh.page.getByRole('heading', { name: '各资源类型所需的权限' }).waitFor()
    await screenshot(zh.page, 'types-accounts-zh-phone')
    expect(await overflow(zh.page)).toBeLessThanOrEqual(0)
    expect([...errors, ...zh.errors]).toEqual([])
    await zh.page.context().close()
  })
})
