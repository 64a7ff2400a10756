// Notification channels in the browser, in English and in Chinese: create a webhook channel to a receiver on loopback
// (private addresses allowed, as in the sandbox), see its signing secret once, send a test and see the receiver's
// answer, then run a rule and see the delivery on the run's page; edit its events (its URL and secret kept), turn it off
// and see a run send it nothing, turn it on again; delete the channel. Screenshots on a desktop and on a 375 px screen
// go to __screenshots__.
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot } from './helpers/browser'

const KEY = 'e2e-admin-key-channels-0123456789abcdef'
const tag = uniqueValue('chan')

interface Words {
  suffix: string
  locale: string
  createTitle: string
  badUrl: string
  create: string
  done: string
  test: string
  arrived: string
  nothingToDo: string
  delivered: string
  del: string
  edit: string
  editTitle: string
  drift: string
  save: string
  saved: string
  off: string
  offToast: string
  onToast: string
  switchLabel: string
}
const LANGUAGES: Words[] = [
  {
    suffix: 'en', locale: 'en-US', createTitle: 'New notification channel', badUrl: 'Enter a full URL', create: 'Create channel', done: 'Done', test: 'Send test', arrived: 'The test notice arrived', nothingToDo: 'Run had nothing to do', delivered: 'delivered', del: 'Delete',
    edit: 'Edit', editTitle: 'Edit channel', drift: 'The reconcile repaired a schedule', save: 'Save', saved: 'Saved', off: 'off', offToast: 'it sends nothing until turned on', onToast: 'it sends notifications again', switchLabel: 'sends notifications',
  },
  {
    suffix: 'zh', locale: 'zh-CN', createTitle: '新建通知渠道', badUrl: '请输入完整的 URL', create: '创建渠道', done: '完成', test: '发送测试', arrived: '测试通知已送达', nothingToDo: '运行无事可做', delivered: '已送达', del: '删除',
    edit: '编辑', editTitle: '编辑渠道', drift: '对账修复了排程', save: '保存', saved: '已保存', off: '已停用', offToast: '在重新启用前不发送任何通知', onToast: '重新发送通知', switchLabel: '发送通知',
  },
]

let server: RunningServer
let receiver: Server
let receiverUrl = ''
const received: string[] = []
let browser: Browser
let page: Page
let errors: string[]

const rule = (w: Words) => `notify-${w.suffix}-${tag}`.slice(0, 64)
const channel = (w: Words) => `ops-${w.suffix}`

async function signedInPage(locale: string, viewport = { width: 1440, height: 900 }) {
  const opened = await newPage(browser, { locale, viewport })
  await opened.page.addInitScript(key => sessionStorage.setItem('ouroboros:api-key', key), KEY)
  return opened
}

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      received.push(body)
      res.writeHead(200, { 'content-type': 'text/plain' }).end('received, thanks')
    })
  })
  await new Promise<void>(ok => receiver.listen(0, '127.0.0.1', ok))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
  server = await startApp(KEY, { NUXT_NOTIFY_ALLOW_PRIVATE: 'true' })
  for (const w of LANGUAGES) await api(server, KEY, 'POST', '/api/rules', ruleBody(rule(w), tag))
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  if (task.result?.state === 'fail' && page) await screenshot(page, `failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => {})
})
afterAll(async () => {
  await browser?.close()
  receiver?.close()
  if (server) await stopAndClean(server)
})

describe.each(LANGUAGES)('notification channels, in $suffix', (w) => {
  beforeAll(async () => {
    ;({ page, errors } = await signedInPage(w.locale))
  })
  afterAll(async () => {
    await page?.context().close()
  })

  it('creates a webhook channel, shows its secret once, and sends a test whose answer it shows', async () => {
    await page.goto(`${server.url}/channels`)
    await page.getByTestId('new-channel').click()
    const dialog = page.getByRole('dialog', { name: w.createTitle })
    await dialog.locator('#channel-name').fill(channel(w))
    // A URL that is none: the server's issue, in the page's language, at its field.
    await dialog.locator('#channel-url').fill('hooks.example.com/x')
    await dialog.getByTestId('channel-create-submit').click()
    await dialog.locator('.el-form-item__error').filter({ hasText: w.badUrl }).waitFor()
    await dialog.locator('#channel-url').fill(receiverUrl)
    await dialog.getByText(w.nothingToDo).click()
    await screenshot(page, `channel-form-${w.suffix}`, { dialog: true })
    await dialog.getByTestId('channel-create-submit').click()
    await page.getByTestId('created-secret').waitFor()
    expect((await page.getByTestId('created-secret').textContent())!.trim().length).toBeGreaterThanOrEqual(32)
    await screenshot(page, `channel-created-${w.suffix}`, { dialog: true })
    await page.getByRole('button', { name: w.done }).click()

    const card = page.getByTestId(`channel-${channel(w)}`)
    await card.waitFor()
    // The URL is masked from now on.
    expect(await card.textContent()).toContain('http://127.0.0.1:')
    expect(await card.textContent()).toContain('…/hook')
    const before = received.length
    await card.getByRole('button', { name: w.test }).click()
    const answer = card.getByTestId('channel-test-answer')
    await answer.waitFor()
    expect(await answer.textContent()).toContain(w.arrived)
    expect(await answer.textContent()).toContain('HTTP 200')
    expect(await answer.textContent()).toContain('received, thanks')
    expect(received.length).toBe(before + 1)
    await screenshot(page, `channels-${w.suffix}`)
    expect(errors).toEqual([])
  })

  it('shows a run\'s delivery on the run\'s page', async () => {
    const run = await api<{ eventId: string, status: string }>(server, KEY, 'POST', `/api/rules/${rule(w)}/run`, {})
    expect(run.status).toBe('nothing-to-do')
    await page.goto(`${server.url}/runs/${run.eventId}`)
    const deliveries = page.getByTestId('run-deliveries')
    await deliveries.waitFor()
    expect(await deliveries.textContent()).toContain(channel(w))
    expect(await deliveries.textContent()).toContain(w.delivered)
    expect(await deliveries.textContent()).toContain('HTTP 200')
    await screenshot(page, `run-deliveries-${w.suffix}`)
    expect(errors).toEqual([])
  })

  it('edits the channel\'s events, keeping its URL and secret, and a run sends nothing while it is off', async () => {
    await page.goto(`${server.url}/channels`)
    const card = page.getByTestId(`channel-${channel(w)}`)
    await card.getByRole('button', { name: `${w.edit} ${channel(w)}` }).click()
    const dialog = page.getByRole('dialog', { name: `${w.editTitle} ${channel(w)}` })
    await dialog.locator('#channel-url').waitFor()
    // The URL and secret are never read back: the fields start empty, the URL's mask as the placeholder.
    expect(await dialog.locator('#channel-url').inputValue()).toBe('')
    expect(await dialog.locator('#channel-url').getAttribute('placeholder')).toContain('…/hook')
    expect(await dialog.locator('#channel-name').isDisabled()).toBe(true)
    await dialog.getByText(w.drift).click()
    await screenshot(page, `channel-edit-${w.suffix}`, { dialog: true })
    await dialog.getByTestId('channel-save-submit').click()
    await page.locator('.el-message').filter({ hasText: `${w.saved} ${channel(w)}` }).waitFor()
    await dialog.waitFor({ state: 'hidden' })
    await card.getByText(w.drift).waitFor()
    const [stored] = (await api<{ items: { name: string, events: string[], url: string, hasSecret: boolean }[] }>(server, KEY, 'GET', '/api/channels')).items.filter(c => c.name === channel(w))
    expect(stored).toMatchObject({ events: expect.arrayContaining(['run.nothing-to-do', 'schedule.drift']), hasSecret: true, url: expect.stringContaining('…/hook') })

    // Off: the card says so, and a run that it would get sends it nothing.
    expect(await card.getByRole('switch', { name: `${channel(w)} ${w.switchLabel}` }).count()).toBe(1)
    await card.getByTestId(`channel-toggle-${channel(w)}`).click()
    await page.locator('.el-message').filter({ hasText: w.offToast }).waitFor()
    await card.locator('.el-tag').filter({ hasText: w.off }).waitFor()
    await screenshot(page, `channels-off-${w.suffix}`)
    const before = received.length
    const run = await api<{ eventId: string }>(server, KEY, 'POST', `/api/rules/${rule(w)}/run`, {})
    const detail = await api<{ notifications?: unknown[] }>(server, KEY, 'GET', `/api/logs/${run.eventId}`)
    expect(detail.notifications ?? []).toEqual([])
    expect(received.length).toBe(before)

    await card.getByTestId(`channel-toggle-${channel(w)}`).click()
    await page.locator('.el-message').filter({ hasText: w.onToast }).waitFor()
    await card.locator('.el-tag').filter({ hasText: w.off }).waitFor({ state: 'detached' })
    expect(errors).toEqual([])
  })

  it('reads well on a 375 px screen', async () => {
    const narrow = await signedInPage(w.locale, { width: 375, height: 812 })
    try {
      await narrow.page.goto(`${server.url}/channels`)
      await narrow.page.getByTestId(`channel-${channel(w)}`).waitFor()
      const overflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(overflow).toBeLessThanOrEqual(0)
      await screenshot(narrow.page, `channels-narrow-${w.suffix}`)
      await narrow.page.getByTestId('new-channel').click()
      await narrow.page.locator('#channel-name').waitFor()
      await screenshot(narrow.page, `channel-form-narrow-${w.suffix}`, { dialog: true })
      await narrow.page.keyboard.press('Escape')
      await narrow.page.getByTestId(`channel-${channel(w)}`).getByRole('button', { name: `${w.edit} ${channel(w)}` }).click()
      await narrow.page.getByTestId('channel-save-submit').waitFor()
      const dialogOverflow = await narrow.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
      expect(dialogOverflow).toBeLessThanOrEqual(0)
      await screenshot(narrow.page, `channel-edit-narrow-${w.suffix}`, { dialog: true })
      expect(narrow.errors).toEqual([])
    }
    finally {
      await narrow.page.context().close()
    }
  })

  it('deletes the channel after confirming', async () => {
    await page.goto(`${server.url}/channels`)
    const card = page.getByTestId(`channel-${channel(w)}`)
    await card.getByRole('button', { name: `${w.del} ${channel(w)}` }).click()
    await page.locator('.el-dialog').getByRole('button', { name: w.del, exact: true }).click()
    await card.waitFor({ state: 'detached' })
    expect((await api<{ items: { name: string }[] }>(server, KEY, 'GET', '/api/channels')).items.map(c => c.name)).not.toContain(channel(w))
    expect(errors).toEqual([])
  })
})
