// A big run's outcomes in the browser (issue 15 §3): the run's page shows the first page of its 1,200 outcomes, loads
// more on demand, and finds "the 3 failed of 1,200" and one account's; in English and Chinese, at desktop width and on
// a 375 px phone, without sideways scrolling. The run is a recorded set of outcomes written through the executor's log
// path into the app's tables (the app on moto's DynamoDB), not 1,200 moto instances.
import { randomUUID } from 'node:crypto'
import { DeleteTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Browser, BrowserContextOptions, Page } from 'playwright-core'
import type { LogEntry, LogTarget, TargetOutcome } from '../../shared/schemas/log'
import { runReason } from '../../shared/run-reasons'
import { parseServerConfig } from '../../server/utils/config'
import { writeOnce } from '../../server/utils/executor/once'
import { countTargets, runStatus } from '../../server/utils/executor/summary'
import { PAGE_MAX_TARGETS } from '../../server/utils/log-pages'
import { createLogsRepository } from '../../server/utils/logs'
import { documentClient } from '../../server/utils/store'
import { ensureTables } from '../../server/utils/tables'
import { startApp, stopAndClean } from './helpers/app'
import type { RunningServer } from './helpers/app'
import { hydrated, launchBrowser, screenshot, screenshotIfFailed, signedInPage } from './helpers/browser'

const KEY = 'e2e-admin-key-run-outcomes-0123456789'
const OWN = '123456789012'
const OTHER = '210987654321'
const N = 1200
const TOTAL = '1,200'
const PHONE = { viewport: { width: 375, height: 800 }, isMobile: true, hasTouch: true }
const prefix = `ro${randomUUID().slice(0, 8)}-`
const config = parseServerConfig({ tablePrefix: prefix, store: 'dynamodb', scheduler: 'local' }, { AWS_REGION: 'us-east-1' })
const tables = { ...config.tables, ...config.accessTables }
const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: process.env.MOTO_ENDPOINT })
let server: RunningServer
let browser: Browser
let current: Page | undefined

// 1,200 outcomes, the second half in another account: 3 failed, the first skipped (already stopped), the rest stopped,
// the second of them with a note. The reasons are the executor's own texts, which the page says in its language.
const FAILED = new Set([7, 650, 1_100])
const REASONS: Record<number, string> = { 0: runReason('already', { state: 'stopped' }), 1: runReason('noHibernation') }
const targets: LogTarget[] = Array.from({ length: N }, (_, i) => {
  const outcome: TargetOutcome = FAILED.has(i) ? 'failed' : i === 0 ? 'skipped' : 'stopped'
  return {
    instanceId: `i-${i.toString(16).padStart(17, '0')}`, region: 'us-east-1', name: `web-${i}`, instanceType: 't3.micro',
    ...(i >= N / 2 ? { accountId: OTHER } : {}), stateBefore: 'running', stateAfter: outcome === 'failed' ? 'running' : 'stopped', outcome,
    ...(outcome === 'failed' ? { error: 'UnsupportedOperation: instance store volume' } : {}),
    ...(REASONS[i] ? { reason: REASONS[i] } : {}),
  }
})
const counts = countTargets(targets)
const started = new Date(Date.now() - 3_600_000).toISOString()
const run: LogEntry = {
  eventId: `evt-${randomUUID()}`, ruleName: 'fleet-stop', trigger: 'schedule', scheduledTime: started, startedAt: started, finishedAt: started,
  action: 'stop', accountId: OWN, regions: ['us-east-1'], filters: [{ key: 'tag:env', values: ['dev'] }], targets, counts, ...runStatus(counts, []),
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
const rows = (page: Page, narrow: boolean) => page.getByTestId(`log-detail-${run.eventId}`).locator(narrow ? '.target-list > li' : '.targets tbody tr')

async function open(options: BrowserContextOptions = {}) {
  const opened = await signedInPage(browser, KEY, options)
  current = opened.page
  await opened.page.goto(`${server.url}/runs/${run.eventId}`)
  await hydrated(opened.page)
  await opened.page.getByTestId('targets-shown').waitFor()
  return opened
}

/** Chooses `option` in the select `testId` of the run's filters. */
async function choose(page: Page, testId: string, option: RegExp) {
  await page.getByTestId(testId).click()
  await page.locator('.el-select-dropdown__item:visible').filter({ hasText: option }).click()
}

beforeAll(async () => {
  await ensureTables(dynamo, tables)
  await writeOnce({ logs: createLogsRepository(documentClient(dynamo), config.tables.logs, 90) }, run)
  server = await startApp(KEY, { NUXT_STORE: 'dynamodb', NUXT_SCHEDULER: 'local', NUXT_TABLE_PREFIX: prefix })
  browser = await launchBrowser()
}, 180_000)
afterEach(async ({ task }) => {
  await screenshotIfFailed(current, task)
  await current?.context().close()
  current = undefined
})
afterAll(async () => {
  await browser?.close()
  if (server) await stopAndClean(server)
  for (const TableName of Object.values(tables)) await dynamo.send(new DeleteTableCommand({ TableName })).catch(() => {})
  dynamo.destroy()
})

describe.each([
  ['English at desktop width', 'en', {}, false, { shown: `${PAGE_MAX_TARGETS} of ${TOTAL} shown`, more: 'Load more', failed: /^failed \(3\)$/, matching: `3 of ${TOTAL} match · 3 shown`, reasons: [REASONS[0]!, REASONS[1]!], alert: `3 of ${N - 1} instances could not be acted on (see their errors)` }],
  ['Chinese on a 375 px phone', 'zh', { locale: 'zh-CN', ...PHONE }, true, { shown: `已显示 ${PAGE_MAX_TARGETS} / ${TOTAL}`, more: '加载更多', failed: /^失败（3）$/, matching: `${TOTAL} 个中有 3 个符合 · 已显示 3 个`, reasons: ['已是「已停止」', '此实例未配置休眠：已停止，未休眠'], alert: `${N - 1} 个实例中有 3 个未能完成操作（见各自的错误）` }],
] as const)('a run of 1,200 outcomes, %s', (_label, lang, options, narrow, text) => {
  it('shows the first page, loads more, and finds the 3 failed', async () => {
    const { page, errors } = await open(options)
    await expect(page.getByTestId('targets-shown').textContent()).resolves.toBe(text.shown)
    await expect(rows(page, narrow).count()).resolves.toBe(PAGE_MAX_TARGETS)
    // The run's message and the reasons in the page's language (shared/run-reasons.ts), each under its own instance.
    await page.getByRole('alert').getByText(text.alert, { exact: true }).waitFor()
    for (const [i, said] of text.reasons.entries()) await rows(page, narrow).filter({ hasText: targets[i]!.instanceId }).getByText(said, { exact: true }).waitFor()
    await screenshot(page, `run-outcomes-${lang}${narrow ? '-phone' : ''}`)
    await page.getByRole('button', { name: text.more }).click()
    await expect.poll(() => rows(page, narrow).count(), { timeout: 30_000 }).toBe(PAGE_MAX_TARGETS + 100)

    await choose(page, 'outcome-filter', text.failed)
    await expect.poll(() => page.getByTestId('targets-shown').textContent(), { timeout: 30_000 }).toBe(text.matching)
    await expect(rows(page, narrow).count()).resolves.toBe(3)
    await expect(page.getByTestId('targets-more').count()).resolves.toBe(0)
    for (const i of FAILED) await expect(rows(page, narrow).filter({ hasText: targets[i]!.instanceId }).count()).resolves.toBe(1)
    await screenshot(page, `run-outcomes-failed-${lang}${narrow ? '-phone' : ''}`)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
  }, 120_000)

  it('shows one account\'s outcomes, page by page', async () => {
    const { page, errors } = await open(options)
    await choose(page, 'account-filter', new RegExp(OTHER))
    await expect.poll(() => rows(page, narrow).count(), { timeout: 30_000 }).toBe(100)
    await expect(rows(page, narrow).first().textContent()).resolves.toContain(targets[N / 2]!.instanceId)
    // Each row says its account, as the run spans two.
    await expect(rows(page, narrow).first().textContent()).resolves.toContain(OTHER)
    await page.getByTestId('targets-more').click()
    await expect.poll(() => rows(page, narrow).count(), { timeout: 30_000 }).toBe(200)
    await screenshot(page, `run-outcomes-account-${lang}${narrow ? '-phone' : ''}`)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(errors).toEqual([])
  }, 120_000)
})
