// Pauses and overrides in the browser, in English and in Chinese: pause a rule from its row for a week and until a
// time picked in the rule's zone, see "paused until …" on the row and resume it; keep an instance as is from a run's
// log, see the override on the instance's row there, in the list of instances kept as is and in the rule dialog's
// preview, and end it early. Screenshots of each, on a desktop and on a 375 px screen, go to __screenshots__.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { LogEntry } from '../../shared/schemas/log'
import type { Override } from '../../shared/schemas/override'
import type { RuleView } from '../../shared/schemas/rule'
import { fromZonedInput, toZonedInput } from '../../shared/zoned-input'
import { motoEc2, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, screenshot, screenshotIfFailed, signedInPage as signedIn } from './helpers/browser'

const KEY = 'e2e-admin-key-overrides-0123456789abcdef'
const DAY_MS = 86_400_000

type Words = Record<'suffix' | 'locale' | 'pause' | 'resume' | 'forWeek' | 'untilChoice' | 'pausedUntil' | 'keep' | 'keepTitle' | 'reason' | 'kept' | 'endNow' | 'endTitle' | 'edit' | 'preview', string>
const LANGUAGES: Words[] = [
  { suffix: 'en', locale: 'en-US', pause: 'Pause', resume: 'Resume', forWeek: 'For 1 week', untilChoice: 'Until a date and time…', pausedUntil: 'Paused until', keep: 'Keep as is', keepTitle: 'Keep {id} as is', reason: 'Reason (optional)', kept: 'Kept as is until', endNow: 'End now', endTitle: 'End the override now?', edit: 'Edit', preview: 'Preview matching resources' },
  { suffix: 'zh', locale: 'zh-CN', pause: '暂停', resume: '恢复', forWeek: '暂停 1 周', untilChoice: '暂停到指定日期和时间…', pausedUntil: '暂停到', keep: '保持现状', keepTitle: '让 {id} 保持现状', reason: '原因（可选）', kept: '保持现状到', endNow: '立即结束', endTitle: '立即结束覆盖？', edit: '编辑', preview: '预览匹配的资源' },
]

let server: RunningServer
let browser: Browser
let page: Page
let errors: string[]
const tag = uniqueValue('ovr')
const instances: Record<string, string> = {}
const ruleOf = (w: Words) => `keep-${w.suffix}-${tag}`.slice(0, 64)

const signedInPage = (locale: string, viewport = { width: 1440, height: 900 }) => signedIn(browser, KEY, { locale, viewport })

const rule = (w: Words) => api<RuleView>(server, KEY, 'GET', `/api/rules/${ruleOf(w)}`)
const overridesOf = async (instanceId: string) => (await api<{ items: Override[] }>(server, KEY, 'GET', '/api/overrides?limit=100')).items.filter(o => o.instanceId === instanceId)

beforeAll(async () => {
  server = await startApp(KEY)
  const ec2 = motoEc2('us-east-1')
  for (const w of LANGUAGES) {
    const own = `${tag}-${w.suffix}`
    instances[w.suffix] = (await seedInstances(ec2, { tags: { app: own, Name: `build-7-${w.suffix}` } }))[0]!
    await api(server, KEY, 'POST', '/api/rules', ruleBody(ruleOf(w), own, { action: 'start', description: 'Start the build box on weekday mornings', scheduleExpression: 'cron(0 7 ? * MON-FRI *)' }))
  }
  browser = await launchBrowser()
})
afterEach(({ task }) => screenshotIfFailed(page, task))
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe.each(LANGUAGES)('pauses and overrides, in $suffix', (w) => {
  beforeAll(async () => {
    ;({ page, errors } = await signedInPage(w.locale))
  })
  afterAll(async () => {
    await page?.context().close()
  })

  it('pauses a rule from its row for a week, shows it paused, and resumes it', async () => {
    await page.goto(server.url)
    const row = page.locator('tr.data-row').filter({ hasText: ruleOf(w) })
    await row.getByRole('button', { name: `${w.pause} ${ruleOf(w)}` }).click()
    await page.getByRole('menuitem', { name: w.forWeek }).waitFor()
    await screenshot(page, `rule-pause-menu-${w.suffix}`)
    const before = Date.now()
    await page.getByRole('menuitem', { name: w.forWeek }).click()
    await row.getByTestId('paused-until').waitFor()
    expect(await row.getByTestId('paused-until').textContent()).toContain(w.pausedUntil)
    expect(await row.getByTestId('paused-until').textContent()).toContain('Europe/Berlin')
    const paused = Date.parse((await rule(w)).pausedUntil!)
    expect(paused).toBeGreaterThanOrEqual(before + 7 * DAY_MS)
    expect(paused).toBeLessThanOrEqual(Date.now() + 7 * DAY_MS)
    await screenshot(page, `rule-paused-${w.suffix}`)

    await row.getByRole('button', { name: `${w.resume} ${ruleOf(w)}` }).click()
    await row.getByTestId('paused-until').waitFor({ state: 'detached' })
    expect((await rule(w)).pausedUntil ?? null).toBeNull()
    expect(errors).toEqual([])
  })

  it('pauses a rule until a date and time picked in the rule\'s time zone', async () => {
    // Ten days from now, at 18:00 on the rule's clock.
    const day = toZonedInput(new Date(Date.now() + 10 * DAY_MS), 'Europe/Berlin').slice(0, 10)
    const row = page.locator('tr.data-row').filter({ hasText: ruleOf(w) })
    await row.getByRole('button', { name: `${w.pause} ${ruleOf(w)}` }).click()
    await page.getByRole('menuitem', { name: w.untilChoice }).click()
    const dialog = page.getByRole('dialog', { name: `${w.pause} ${ruleOf(w)}` })
    await dialog.getByText('Europe/Berlin').first().waitFor()
    const input = dialog.locator('.el-date-editor input')
    await input.fill(`${day} 18:00`)
    await input.press('Enter')
    await expect.poll(() => dialog.getByTestId('pause-your-time').count()).toBe(1)
    await dialog.locator('.el-dialog__title').click()
    await screenshot(page, `rule-pause-dialog-${w.suffix}`, { dialog: true })
    await dialog.getByTestId('pause-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await row.getByTestId('paused-until').waitFor()
    expect((await rule(w)).pausedUntil).toBe(fromZonedInput(`${day}T18:00:00`, 'Europe/Berlin')!.toISOString())
    expect(await row.getByTestId('paused-until').textContent()).toContain('18:00')

    // On a phone, the card says the same and offers the same.
    const phone = await signedInPage(w.locale, { width: 375, height: 812 })
    await phone.page.goto(server.url)
    const card = phone.page.locator('article').filter({ hasText: ruleOf(w) })
    await card.getByTestId('paused-until').waitFor()
    await card.getByRole('button', { name: `${w.resume} ${ruleOf(w)}` }).waitFor()
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(phone.page, `rule-paused-375-${w.suffix}`)
    expect(phone.errors).toEqual([])
    await phone.page.context().close()
    await api(server, KEY, 'PATCH', `/api/rules/${ruleOf(w)}`, { pausedUntil: null })
    expect(errors).toEqual([])
  })

  it('keeps an instance as is from a run\'s log, shows it there and in the preview, and ends it early', async () => {
    const instanceId = instances[w.suffix]!
    const run = await api<LogEntry>(server, KEY, 'POST', `/api/rules/${ruleOf(w)}/run`, { dryRun: false })
    await page.goto(`${server.url}/runs/${run.eventId}`)
    const cell = page.getByTestId(`keep-${instanceId}`)
    await cell.getByTestId('keep-open').click()
    const dialog = page.getByRole('dialog', { name: w.keepTitle.replace('{id}', instanceId) })
    await dialog.getByRole('textbox', { name: w.reason }).fill('release testing')
    await screenshot(page, `keep-dialog-${w.suffix}`, { dialog: true })
    const before = Date.now()
    await dialog.getByTestId('keep-save').click()
    await dialog.waitFor({ state: 'hidden' })
    await cell.getByTestId('kept-until').waitFor()
    expect(await cell.getByTestId('kept-until').textContent()).toContain(w.kept)
    const [made] = await overridesOf(instanceId)
    expect(made).toMatchObject({ accountId: '123456789012', region: 'us-east-1', instanceId, reason: 'release testing', createdBy: { keyName: expect.any(String) } })
    // The default end: a day from now, on the hour.
    expect(Date.parse(made!.until)).toBeGreaterThanOrEqual(before + DAY_MS - 1000)
    expect(Date.parse(made!.until)).toBeLessThanOrEqual(Date.now() + DAY_MS + 3_600_000)
    await screenshot(page, `log-detail-kept-${w.suffix}`)

    const phone = await signedInPage(w.locale, { width: 375, height: 812 })
    await phone.page.goto(`${server.url}/runs/${run.eventId}`)
    await phone.page.getByTestId(`keep-${instanceId}`).getByTestId('kept-until').waitFor()
    expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(phone.page, `log-detail-kept-375-${w.suffix}`)
    expect(phone.errors).toEqual([])
    await phone.page.context().close()

    // Listed with every instance kept as is, with its reason and the key that made it.
    await page.goto(`${server.url}/overrides`)
    const listed = page.getByTestId('override-list').locator('tr').filter({ hasText: instanceId })
    await listed.getByTestId('kept-until').waitFor()
    expect(await listed.textContent()).toContain('release testing')
    await screenshot(page, `overrides-${w.suffix}`)
    const phoneList = await signedInPage(w.locale, { width: 375, height: 812 })
    await phoneList.page.goto(`${server.url}/overrides`)
    await phoneList.page.getByTestId('override-list').locator('article').filter({ hasText: instanceId }).getByTestId('keep-end').waitFor()
    expect(await phoneList.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
    await screenshot(phoneList.page, `overrides-375-${w.suffix}`)
    expect(phoneList.errors).toEqual([])
    await phoneList.page.context().close()

    // The rule dialog's preview skips it for the override, says so on its row, and ends it there.
    await page.goto(server.url)
    await page.getByRole('button', { name: `${w.edit} ${ruleOf(w)}` }).click()
    const ruleDialog = page.locator('.rule-dialog')
    await ruleDialog.getByRole('button', { name: w.preview }).click()
    const row = ruleDialog.getByTestId('preview-result').getByTestId(`keep-${instanceId}`)
    await row.getByTestId('kept-until').waitFor()
    expect(await ruleDialog.getByTestId('preview-result').textContent()).toContain('release testing')
    await screenshot(page, `preview-kept-${w.suffix}`, { dialog: true })
    await row.getByTestId('keep-end').click()
    await page.getByRole('dialog', { name: w.endTitle }).getByRole('button', { name: w.endNow }).click()
    await row.getByTestId('keep-open').waitFor()
    expect(await overridesOf(instanceId)).toEqual([])
    expect(errors).toEqual([])
  })
})
