// Calendars in the browser, in English and in Chinese: make a calendar from Bavaria's public holidays on the calendars
// page, attach it to a rule in the rule dialog and see the next 25 December greyed out in its preview, then in the
// schedule's month grid and week, with its reason and the holiday's name. Screenshots of every page this adds, on a
// desktop and on a 375 px screen, go to __screenshots__.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { uniqueValue } from '../integration/helpers/ec2'
import { event, ics } from '../helpers/ics'
import { api, ruleBody, startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { launchBrowser, newPage, screenshot, screenshotIfFailed, SCREENSHOTS, signedInPage as signedIn } from './helpers/browser'

const KEY = 'e2e-admin-key-calendars-0123456789abcdef'
const tag = uniqueValue('cal')
// Fires on 24, 25 and 26 December at 19:00 in Berlin: the next Christmas is always among its first firings.
const XMAS = 'cron(0 19 24-26 12 ? *)'
// The year of the next 25 December firing (18:00 UTC) from now, whatever today is.
const now = new Date()
const year = now < new Date(`${now.getUTCFullYear()}-12-25T18:00:00Z`) ? now.getUTCFullYear() : now.getUTCFullYear() + 1
const christmas = `${year}-12-25`

interface Words { suffix: string, locale: string, newCalendar: string, create: string, save: string, edit: string, holiday: RegExp, skipped: string, calendars: string, week: string, remove: string, removeTitle: string, inUse: string }
const LANGUAGES: Words[] = [
  { suffix: 'en', locale: 'en-US', newCalendar: 'New calendar', create: 'Create', save: 'Save', edit: 'Edit', holiday: /Christmas Day/, skipped: 'skipped', calendars: 'Skip the days of these calendars', week: 'Week', remove: 'Delete', removeTitle: 'Delete this calendar?', inUse: 'is used by rule' },
  { suffix: 'zh', locale: 'zh-CN', newCalendar: '新建日历', create: '创建', save: '保存', edit: '编辑', holiday: /圣诞|聖誕/, skipped: '已跳过', calendars: '跳过这些日历的日期', week: '周', remove: '删除', removeTitle: '删除此日历？', inUse: '正被规则' },
]
// A team's days off as a calendar application exports them: a yearly all-day event, next month, in the years ahead.
const nextMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 15))
const teamDay = nextMonth.toISOString().slice(0, 10)
const TEAM_ICS = ics('BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Ouroboros e2e//EN',
  ...event('UID:team@e2e', 'DTSTAMP:20260101T000000Z', `DTSTART;VALUE=DATE:${teamDay.replaceAll('-', '')}`, 'RRULE:FREQ=YEARLY', 'SUMMARY:Team day'),
  'END:VCALENDAR')

let server: RunningServer
let browser: Browser
let page: Page
let errors: string[]

const rule = (w: Words) => `xmas-${w.suffix}-${tag}`.slice(0, 64)
const calendar = (w: Words) => `de-by-${w.suffix}`

/** Picks an option of a searchable select by typing part of its name. */
async function pick(box: ReturnType<Page['locator']>, typed: string, option: RegExp) {
  await box.click()
  await box.locator('input').first().fill(typed)
  await page.getByRole('option', { name: option }).first().click()
}

const signedInPage = (locale: string, viewport = { width: 1440, height: 900 }) => signedIn(browser, KEY, { locale, viewport })

beforeAll(async () => {
  server = await startApp(KEY)
  for (const w of LANGUAGES) await api(server, KEY, 'POST', '/api/rules', ruleBody(rule(w), tag, { scheduleExpression: XMAS, description: 'Christmas week stop' }))
  // A neighbour without calendars, for the pictures: every weekday evening.
  await api(server, KEY, 'POST', '/api/rules', ruleBody(`aa-weekday-stop-${tag}`.slice(0, 64), tag))
  await api(server, KEY, 'POST', '/api/rules', ruleBody(`aa-weekday-start-${tag}`.slice(0, 64), tag, { action: 'start', scheduleExpression: 'cron(0 7 ? * MON-FRI *)' }))
  browser = await launchBrowser()
})
afterEach(({ task }) => screenshotIfFailed(page, task))
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe.each(LANGUAGES)('calendars, in $suffix', (w) => {
  beforeAll(async () => {
    ;({ page, errors } = await signedInPage(w.locale))
  })
  afterAll(async () => {
    await page?.context().close()
  })

  it('makes a calendar from Bavaria\'s public holidays, and shows its days in a year view', async () => {
    await page.goto(`${server.url}/calendars`)
    await page.locator('.toolbar').getByRole('button', { name: w.newCalendar }).click()
    const dialog = page.getByRole('dialog', { name: w.newCalendar })
    await dialog.locator('#calendar-name').fill(calendar(w))
    await pick(dialog.locator('.country'), '(DE)', /\(DE\)$/)
    await pick(dialog.locator('.region-select'), '(BY)', /\(BY\)$/)
    await dialog.getByTestId('add-holidays').click()
    await expect.poll(() => dialog.getByTestId('calendar-entries').locator('li').count()).toBe(1)
    await screenshot(page, `calendar-form-${w.suffix}`, { dialog: true })
    await dialog.getByRole('button', { name: w.create, exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })

    // The new calendar opens: this year's holidays in Bavaria include Christmas Day.
    const detail = page.getByRole('dialog', { name: calendar(w) })
    const thisYear = new Date().getFullYear()
    await detail.getByTestId('calendar-days').getByText(`${thisYear}-12-25`).waitFor()
    await expect.poll(() => detail.getByTestId('calendar-days').textContent()).toMatch(w.holiday)
    await screenshot(page, `calendar-detail-${w.suffix}`, { dialog: true })
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'hidden' })
    await page.getByRole('button', { name: calendar(w) }).waitFor()
    await screenshot(page, `calendars-${w.suffix}`)
    expect(errors).toEqual([])
  })

  it('attaches it to a rule in the rule dialog, whose preview greys out 25 December with why', async () => {
    await page.goto(server.url)
    await page.getByRole('button', { name: `${w.edit} ${rule(w)}` }).click()
    const dialog = page.locator('.rule-dialog')
    await dialog.waitFor()
    await pick(dialog.locator('.el-form-item').filter({ has: page.locator('#rule-skipCalendars') }).locator('.el-select'), calendar(w), new RegExp(`^${calendar(w)}$`))
    await page.keyboard.press('Escape').catch(() => {})
    const skipped = dialog.getByTestId('next-runs').locator('li[data-skipped="true"]').filter({ hasText: christmas })
    await skipped.first().waitFor()
    await expect.poll(() => skipped.first().textContent()).toMatch(w.holiday)
    expect(await skipped.first().textContent()).toContain(calendar(w))
    await screenshot(page, `rule-dialog-calendars-${w.suffix}`, { dialog: true })
    await dialog.getByRole('button', { name: w.save, exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    expect((await api<{ skipCalendars: string[] }>(server, KEY, 'GET', `/api/rules/${rule(w)}`)).skipCalendars).toEqual([calendar(w)])
    expect(errors).toEqual([])
  })

  it('shows 25 December greyed out in the schedule\'s month and week, with the holiday\'s name and the reason', async () => {
    await page.goto(`${server.url}/calendar?rules=${rule(w)}&tz=Europe/Berlin&date=${christmas}`)
    const cell = page.locator(`[data-testid="month-grid"] [data-date="${christmas}"]`)
    const firing = cell.locator('[data-testid="firing"][data-skipped="true"]')
    await firing.waitFor()
    await expect.poll(() => cell.locator('.holiday-name').textContent()).toMatch(w.holiday)
    // The 24th is no public holiday in Bavaria: it runs.
    await page.locator(`[data-date="${year}-12-24"] [data-testid="firing"]:not([data-skipped])`).waitFor()
    await expect.poll(() => page.getByTestId('selected-day').textContent()).toContain(`${christmas}`)
    await screenshot(page, `schedule-month-${w.suffix}`)

    await firing.click()
    const opened = page.locator('.firing-dialog')
    await opened.getByTestId('firing-skip').waitFor()
    expect(await opened.getByTestId('firing-skip').textContent()).toMatch(w.holiday)
    await screenshot(page, `schedule-firing-${w.suffix}`, { dialog: true })
    await page.keyboard.press('Escape')
    await opened.waitFor({ state: 'hidden' })

    await page.locator('.el-radio-button').filter({ hasText: w.week }).click()
    const day = page.locator(`[data-testid="week"] [data-date="${christmas}"]`)
    await day.locator('[data-testid="firing"][data-skipped="true"]').waitFor()
    await expect.poll(() => day.textContent()).toMatch(w.holiday)
    await screenshot(page, `schedule-week-${w.suffix}`)
    expect(errors).toEqual([])
  })

  it('uploads an .ics file into a new calendar, and shows its days with the file\'s name', async () => {
    await page.goto(`${server.url}/calendars`)
    await page.locator('.toolbar').getByRole('button', { name: w.newCalendar }).click()
    const dialog = page.getByRole('dialog', { name: w.newCalendar })
    await dialog.locator('#calendar-name').fill(`team-${w.suffix}`)
    await dialog.getByTestId('ics-input').setInputFiles({ name: 'team.ics', mimeType: 'text/calendar', buffer: Buffer.from(TEAM_ICS) })
    await expect.poll(() => dialog.getByTestId('calendar-entries').textContent()).toContain('team.ics')
    await screenshot(page, `calendar-upload-${w.suffix}`, { dialog: true })
    await dialog.getByRole('button', { name: w.create, exact: true }).click()
    await dialog.waitFor({ state: 'hidden' })
    const detail = page.getByRole('dialog', { name: `team-${w.suffix}` })
    await expect.poll(() => detail.textContent()).toContain('team.ics')
    const stored = await api<{ entries: unknown[] }>(server, KEY, 'GET', `/api/calendars/team-${w.suffix}`)
    expect(stored.entries).toEqual([{ ics: expect.objectContaining({ file: 'team.ics', importedAt: expect.any(String) }) }])
    const days = await api<{ items: { date: string, label: string, source: string }[] }>(server, KEY, 'GET', `/api/calendars/team-${w.suffix}/days?from=${teamDay}&to=${teamDay}`)
    expect(days.items).toEqual([{ date: teamDay, label: 'Team day', source: 'ics:team.ics' }])
    await screenshot(page, `calendar-upload-detail-${w.suffix}`, { dialog: true })
    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'hidden' })
    expect(errors).toEqual([])
  })

  it('refuses to delete a calendar a rule uses, and names the rule', async () => {
    await page.goto(`${server.url}/calendars?name=${calendar(w)}`)
    const detail = page.getByRole('dialog', { name: calendar(w) })
    await detail.getByRole('button', { name: w.remove, exact: true }).click()
    await page.getByRole('dialog', { name: w.removeTitle }).getByRole('button', { name: w.remove, exact: true }).click()
    const toast = page.locator('.el-message--error')
    await toast.waitFor()
    expect(await toast.textContent()).toContain(w.inUse)
    expect(await toast.textContent()).toContain(rule(w))
    await page.screenshot({ path: `${SCREENSHOTS}calendar-in-use-${w.suffix}.png` })
    // Still there, still used.
    expect((await api<{ usedBy: string[] }>(server, KEY, 'GET', `/api/calendars/${calendar(w)}`)).usedBy).toEqual([rule(w)])
    expect(errors).toEqual([])
  })

  it('reads well on a 375 px screen, and to a visitor without a key', async () => {
    const phone = await signedInPage(w.locale, { width: 375, height: 812 })
    for (const [path, name] of [['/calendars', 'calendars'], [`/calendar?date=${christmas}&tz=Europe/Berlin`, 'schedule-month'], [`/calendar?date=${christmas}&tz=Europe/Berlin&view=week`, 'schedule-week']]) {
      await phone.page.goto(`${server.url}${path}`)
      await phone.page.locator('[data-testid="calendar-list"] article, [data-testid="firing"]').first().waitFor()
      expect(await phone.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375)
      await screenshot(phone.page, `${name}-375-${w.suffix}`)
    }
    await phone.page.goto(`${server.url}/calendars?name=${calendar(w)}`)
    await phone.page.getByTestId('calendar-days').waitFor()
    await screenshot(phone.page, `calendar-detail-375-${w.suffix}`, { dialog: true })
    expect(phone.errors).toEqual([])
    await phone.page.context().close()

    // Read-only: the schedule and the calendars, without the buttons that change them.
    const visitor = await newPage(browser, { locale: w.locale })
    await visitor.page.goto(`${server.url}/calendar?rules=${rule(w)}&tz=Europe/Berlin&date=${christmas}`)
    await visitor.page.locator(`[data-testid="month-grid"] [data-date="${christmas}"] [data-testid="firing"][data-skipped="true"]`).waitFor()
    await visitor.page.goto(`${server.url}/calendars`)
    await visitor.page.getByRole('button', { name: calendar(w) }).waitFor()
    expect(await visitor.page.getByRole('button', { name: w.newCalendar }).count()).toBe(0)
    expect(visitor.errors).toEqual([])
    await visitor.page.context().close()
  })
})
