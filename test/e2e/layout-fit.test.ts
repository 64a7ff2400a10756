// What reads whole at desktop widths and fits a phone (issue 13 §4), measured from the boxes the browser lays out, in
// English and Chinese: at 1280 and 1440 px the rules table's headers and cells clear its sticky Operations column, a
// rule over OUs says what it reaches in at most two lines, and the header stays one row with the key's name whole;
// at 375 px no dialog reaches past the screen's right edge, opened there or narrowed after opening. The rules page
// holds rules over an organization's units, savings recorded days ago (times relative to now) and enough rules to
// scroll; screenshots go to __screenshots__.
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { LogEntry } from '../../shared/schemas/log'
import { parseServerConfig } from '../../server/utils/config'
import { recordRun } from '../../server/utils/savings/record'
import { createSavingsRepository } from '../../server/utils/savings/repository'
import { openStore } from '../../server/utils/store'
import { ec2For, seedInstances, uniqueValue } from '../integration/helpers/ec2'
import { createTestOrganization } from '../integration/helpers/organization'
import type { TestOrganization } from '../integration/helpers/organization'
import { startServer, stopAndClean } from '../integration/helpers/server'
import type { RunningServer } from '../integration/helpers/server'
import { api, ruleBody } from './helpers/app'
import { hydrated, launchBrowser, newPage, screenshot, screenshotIfFailed } from './helpers/browser'

const HOUR = 3_600_000
const KEY = 'e2e-admin-key-layout-fit-0123456789'
const READER = 'reader (dashboards)'
const tag = uniqueValue('fit')
const STOP = `ou-stop-${tag}`.slice(0, 64)
const START = `ou-start-${tag}`.slice(0, 64)
const PHONE = { width: 375, height: 812 }
let org: TestOrganization
let server: RunningServer
let browser: Browser
let readerKey: string
let page: Page | undefined

type Locale = 'en' | 'zh'
const LOCALES: Record<Locale, string> = { en: 'en-US', zh: 'zh-CN' }
const TEXT = {
  en: { newRule: 'New rule', edit: 'Edit', preview: 'Preview matching resources' },
  zh: { newRule: '新建规则', edit: '编辑', preview: '预览匹配的资源' },
}

/** A run of `rule` at `at` (ms) over two m5.large instances in `accountId`: stopped or started. */
function run(rule: string, action: 'stop' | 'start', at: number, accountId: string): LogEntry {
  const iso = new Date(at).toISOString()
  const targets = ['i-0e2e0000000000fa1', 'i-0e2e0000000000fa2'].map(instanceId => ({
    instanceId, region: 'eu-west-1', instanceType: 'm5.large',
    stateBefore: action === 'stop' ? 'running' : 'stopped',
    stateAfter: action === 'stop' ? 'stopped' : 'running',
    outcome: action === 'stop' ? 'stopped' as const : 'started' as const,
  }))
  return { eventId: `${rule}-${at}`, ruleName: rule, trigger: 'schedule', scheduledTime: iso, startedAt: iso, finishedAt: iso, action, accountId, regions: ['eu-west-1'], filters: [], status: 'succeeded', targets, counts: { total: 2, acted: 2, skipped: 0, failed: 0 } }
}

/** A fresh page in `locale` at `width`, with `key` signed in (or none), on `path`, hydrated. */
async function open(locale: Locale, width: number, key: string | null, path = '/') {
  const opened = await newPage(browser, { locale: LOCALES[locale], viewport: { width, height: width < 500 ? PHONE.height : 900 }, ...(width < 500 ? { isMobile: true, hasTouch: true } : {}) })
  page = opened.page
  if (key) await page.addInitScript(k => sessionStorage.setItem('ouroboros:api-key', k), key)
  await page.goto(`${server.url}${path}`)
  await hydrated(page)
  return opened
}

/**
 * The rules table as laid out: how far it scrolls sideways, each header's text box and the sticky Operations column's
 * left edge, and how far each row's cell text reaches.
 */
function tableLayout(p: Page) {
  return p.evaluate(() => {
    const table = document.querySelector('.rule-table')!
    const textBox = (el: Element) => {
      const range = document.createRange()
      range.selectNodeContents(el)
      return range.getBoundingClientRect()
    }
    const ths = [...table.querySelectorAll('th')]
    const opsLeft = table.querySelector('th.col-operations')!.getBoundingClientRect().left
    return {
      sideways: table.scrollWidth - table.clientWidth,
      opsLeft,
      headers: ths.filter(th => !th.classList.contains('col-operations')).map(th => ({ text: th.textContent!.trim(), right: textBox(th).right, cellRight: th.getBoundingClientRect().right })),
      // The last cell before Operations, in every row: its text must end left of the sticky column.
      savingsRight: Math.max(...[...table.querySelectorAll('td.col-savings')].map(td => textBox(td).right)),
    }
  })
}

/** The lines each rule's reach takes, by rule name: one client rect per line of the inline text. */
function reachLines(p: Page) {
  return p.evaluate(() => Object.fromEntries([...document.querySelectorAll('.rule-table tr')].flatMap((tr) => {
    const reach = tr.querySelector('[data-testid="rule-reach"]')
    const name = tr.querySelector('.col-name strong')?.textContent?.trim()
    return reach && name ? [[name, { text: reach.textContent!.trim(), lines: reach.getClientRects().length }]] : []
  })))
}

/**
 * What of an open dialog shows past the screen's right edge: each element's right edge, cut where an element inside
 * the dialog clips it (a table that scrolls inside itself is fine; the dialog or its form scrolling sideways is not).
 */
function pastRightEdge(p: Page) {
  return p.evaluate(() => {
    const width = document.documentElement.clientWidth
    const past: string[] = []
    for (const dialog of [...document.querySelectorAll('.el-dialog')].filter(d => d.getClientRects().length)) {
      for (const el of [dialog, ...dialog.querySelectorAll('*')]) {
        if (!el.getClientRects().length) continue
        let right = el.getBoundingClientRect().right
        for (let a = el.parentElement; a && a !== dialog && dialog.contains(a); a = a.parentElement) {
          if (getComputedStyle(a).overflowX !== 'visible') right = Math.min(right, a.getBoundingClientRect().right)
        }
        if (right > width + 0.5) past.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} at ${Math.round(right)} px`)
      }
    }
    return past
  })
}

beforeAll(async () => {
  org = await createTestOrganization({ dev: null, team: 'dev' }, { a1: 'dev', a2: 'team' })
  // The store the app will open, filled first: a night of the OU stop rule's two instances three days ago.
  const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-layout-e2e-'))
  const config = parseServerConfig({ store: 'embedded', dataDir }, { AWS_REGION: 'us-east-1' })
  const store = await openStore(config)
  const savings = createSavingsRepository(store.doc, config.tables.savings)
  const night = Math.floor(Date.now() / HOUR) * HOUR - 72 * HOUR
  await recordRun(savings, run(STOP, 'stop', night, org.accounts.a1!))
  await recordRun(savings, run(START, 'start', night + 12 * HOUR, org.accounts.a1!))
  await store.close()
  writeFileSync(join(dataDir, 'prices.csv'), 'region,instanceType,pricePerHour,currency\neu-west-1,m5.large,0.0107,USD\n')
  server = await startServer({
    NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL: process.env.MOTO_ENDPOINT!, NUXT_VERIFY_TIMEOUT_SECONDS: '5',
    NUXT_ORGANIZATION_ROLE_ARN: org.roleArn, NUXT_PRICE_TABLE: join(dataDir, 'prices.csv'),
  }, dataDir)
  // Two instances beneath the unit, so the rule dialog's preview shows its table of resources.
  await seedInstances(await ec2For(org.accounts.a1!, 'us-east-1'), { count: 2, tags: { app: tag } })
  // The OU rules never fire during the test; the others fill the page past the screen's height (a scrollbar).
  const units = { accountId: undefined, accountIds: [], organizationalUnits: [org.units.dev!] }
  await api(server, KEY, 'POST', '/api/rules', ruleBody(STOP, tag, { ...units, scheduleExpression: 'cron(0 3 1 1 ? 2099)' }))
  await api(server, KEY, 'POST', '/api/rules', ruleBody(START, tag, { ...units, action: 'start', scheduleExpression: 'cron(0 3 1 1 ? 2099)' }))
  for (let i = 0; i < 10; i++) {
    await api(server, KEY, 'POST', '/api/rules', ruleBody(`team-${i}-${tag}`.slice(0, 64), tag, { accountId: undefined, accountIds: ['111111111111', '222222222222', '333333333333'], regions: ['eu-west-1', 'us-east-1'] }))
  }
  // A preview resolves the unit (a1 beneath dev, a2 beneath team): the list then says "1 OU, 2 accounts (resolved …)".
  await api(server, KEY, 'POST', '/api/preview', { accountIds: [], organizationalUnits: [org.units.dev!], regions: ['us-east-1'], action: 'stop', filters: `tag:app=${tag}` })
  readerKey = (await api<{ key: string }>(server, KEY, 'POST', '/api/keys', { name: READER, scope: 'read' })).key
  browser = await launchBrowser()
})
afterEach(async ({ task }) => {
  await screenshotIfFailed(page, task)
  await page?.context().close()
  page = undefined
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
})

describe.each(['en', 'zh'] as const)('the rules page at desktop widths (%s)', (locale) => {
  it.each([['an admin key', KEY], ['no key', null]] as const)('shows every header and cell clear of the sticky Operations column, at 1280 and 1440 px, with %s', async (_, key) => {
    const { page, errors } = await open(locale, 1280, key)
    await page.getByTestId('rule-reach').filter({ hasText: locale === 'en' ? '(resolved' : '解析）' }).first().waitFor()
    if (key) await page.getByRole('button', { name: `${TEXT[locale].edit} ${STOP}` }).waitFor()
    // The savings cells fill in once the list shows.
    await expect.poll(() => page.locator('.rule-table tr', { hasText: STOP }).getByTestId('rule-savings').textContent()).toMatch(/\d/)
    for (const width of [1280, 1440]) {
      await page.setViewportSize({ width, height: 900 })
      // The page is taller than the screen: the widths are those left beside a scrollbar.
      expect(await page.evaluate(() => document.documentElement.scrollHeight > document.documentElement.clientHeight)).toBe(true)
      const layout = await tableLayout(page)
      expect(layout.sideways, `the table scrolls sideways at ${width} px`).toBeLessThanOrEqual(0)
      for (const h of layout.headers) {
        expect(h.right, `"${h.text}" at ${width} px ends under the Operations column`).toBeLessThanOrEqual(layout.opsLeft)
        expect(h.right, `"${h.text}" at ${width} px runs out of its own cell`).toBeLessThanOrEqual(h.cellRight)
      }
      expect(layout.savingsRight, `a savings cell at ${width} px`).toBeLessThanOrEqual(layout.opsLeft)
      const reach = await reachLines(page)
      for (const name of [STOP, START]) {
        expect(reach[name]?.text).toMatch(locale === 'en' ? /^1 OU, 2 accounts \(resolved / : /^1 个组织单元，2 个账号（/)
        expect(reach[name]?.lines, `${name}'s reach at ${width} px`).toBeLessThanOrEqual(2)
      }
      await screenshot(page, `layout-rules-${width}-${locale}-${key ? 'admin' : 'read-only'}`)
    }
    await page.setViewportSize(PHONE)
    await page.getByRole('article', { name: STOP }).waitFor()
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0)
    await screenshot(page, `layout-rules-375-${locale}-${key ? 'admin' : 'read-only'}`)
    expect(errors).toEqual([])
  })

  it.each([['an admin key', KEY, 'admin'], ['a read key', 'reader', 'reader'], ['no key', null, 'read-only']] as const)('keeps the header one row with the key\'s name whole, at 1280 and 1440 px, with %s', async (_, which, shot) => {
    const key = which === 'reader' ? readerKey : which
    const { page, errors } = await open(locale, 1440, key)
    const badge = page.getByTestId(key ? 'key-name' : 'read-only')
    await badge.waitFor()
    if (key) await expect.poll(() => badge.textContent()).toContain(key === KEY ? 'bootstrap key (NUXT_ADMIN_API_KEY)' : READER)
    const header = page.locator('header.header')
    for (const width of [1440, 1280]) {
      await page.setViewportSize({ width, height: 900 })
      expect((await header.boundingBox())!.height, `the header at ${width} px`).toBeLessThan(60)
      // The badge's text is not cut (its content as wide as it needs) and ends inside the screen.
      const cut = await badge.evaluate(el => [...el.querySelectorAll('.el-tag__content')].some(c => c.scrollWidth > c.clientWidth))
      expect(cut, `the badge cut at ${width} px`).toBe(false)
      expect((await badge.boundingBox())!.x + (await badge.boundingBox())!.width).toBeLessThanOrEqual(width)
      await screenshot(page, `layout-header-${width}-${locale}-${shot}`)
    }
    expect(errors).toEqual([])
  })
})

/** Each dialog of the app, opened from the page it belongs to (signed in with the admin key, but for signing in). */
const DIALOGS: [string, string, (p: Page, locale: Locale) => Promise<void>][] = [
  ['the new rule dialog', '/', async (p, l) => {
    await p.getByRole('button', { name: TEXT[l].newRule }).click()
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('rule-name')
  }],
  ['the rule dialog with its preview', '/', async (p, l) => {
    await p.getByRole('button', { name: `${TEXT[l].edit} ${STOP}` }).click()
    await p.getByRole('button', { name: TEXT[l].preview }).click()
    await p.getByTestId('preview-result').locator('.el-table__row').first().waitFor()
  }],
  ['keep as is, from the preview', '/', async (p, l) => {
    await DIALOGS[1]![2](p, l)
    await p.getByRole('button', { name: /^Keep i-\S+ as is$/ }).first().click()
    await p.getByRole('dialog', { name: /^Keep i-\S+ as is$/ }).waitFor()
  }],
  ['pause until', '/', async (p) => {
    await p.getByRole('button', { name: `Pause ${STOP}` }).click()
    await p.locator('.el-dropdown-menu__item:visible', { hasText: 'Until a date and time…' }).click()
    await p.getByRole('dialog', { name: `Pause ${STOP}` }).waitFor()
  }],
  ['sign in', '/', async (p) => {
    // On a phone the header's tools are behind its menu.
    if (await p.getByRole('button', { name: 'Menu' }).isVisible()) await p.getByRole('button', { name: 'Menu' }).click()
    await p.getByRole('button', { name: 'Sign in' }).click()
    await p.getByRole('dialog', { name: 'Sign in with an API key' }).waitFor()
  }],
  ['a new key', '/keys', async (p) => {
    await p.getByRole('button', { name: 'New key' }).click()
    await p.getByRole('dialog', { name: 'New API key' }).waitFor()
  }],
  ['a new calendar', '/calendars', async (p) => {
    await p.getByRole('button', { name: 'New calendar' }).first().click()
    await p.getByRole('dialog', { name: 'New calendar' }).waitFor()
  }],
  ['a new channel', '/channels', async (p) => {
    await p.getByRole('button', { name: 'New channel' }).click()
    await p.getByRole('dialog', { name: 'New notification channel' }).waitFor()
  }],
]

describe('dialogs on a 375 px screen', () => {
  it.each(DIALOGS)('%s fits, opened at 375 px and narrowed to it after opening at 1280 px', async (name, path, openDialog) => {
    for (const width of [375, 1280]) {
      const { page, errors } = await open('en', width, name === 'sign in' ? null : KEY, path)
      await openDialog(page, 'en')
      if (width !== PHONE.width) await page.setViewportSize(PHONE)
      await expect.poll(() => pastRightEdge(page), { message: `${name}, opened at ${width} px` }).toEqual([])
      expect(errors).toEqual([])
      if (width !== 1280) await page.context().close()
    }
  })

  it.each(['en', 'zh'] as const)('the rule dialog reads well at 1440, 1280 and 375 px (%s)', async (locale) => {
    const { page, errors } = await open(locale, 1440, KEY)
    await DIALOGS[1]![2](page, locale)
    for (const width of [1440, 1280, 375]) {
      await page.setViewportSize({ width, height: width < 500 ? PHONE.height : 900 })
      await expect.poll(() => pastRightEdge(page)).toEqual([])
      await screenshot(page, `layout-rule-dialog-${width}-${locale}`, { dialog: true })
    }
    expect(errors).toEqual([])
  })
})
