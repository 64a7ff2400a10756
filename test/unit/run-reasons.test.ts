// A run's reasons in the UI's language (shared/run-reasons.ts): every reason of the catalog is found back from the
// English text a log keeps, joined reasons part by part, and said in both languages: in English exactly as the log
// has it, in Chinese with its states, actions and a check's nested reason translated too; any other text as it is.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createI18n } from 'vue-i18n'
import { describe, expect, it } from 'vitest'
import { joinReasons, RUN_REASONS, runReason, runReasonParts, sayRunReason } from '../../shared/run-reasons'
import type { RunReasonCode } from '../../shared/run-reasons'
import { apiOverrideReason } from '../../server/utils/executor/overrides'
import { optOutReason } from '../../server/utils/executor/decision'
import { KMS_REASON } from '../../server/utils/executor/verify'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
type Messages = { [key: string]: string | Messages }
const read = (locale: string) => JSON.parse(readFileSync(join(ROOT, 'i18n/locales', `${locale}.json`), 'utf8')) as Messages
const i18n = createI18n({ legacy: false, locale: 'en', messages: { 'en': read('en'), 'zh-CN': read('zh-CN') }, missingWarn: false, fallbackWarn: false })
const language = (locale: 'en' | 'zh-CN') => ({
  t: (key: string, params: Record<string, string>) => i18n.global.t(key, params, { locale }),
  te: (key: string) => i18n.global.te(key, locale),
  separator: locale === 'zh-CN' ? '；' : '; ',
})
const CODES = Object.keys(RUN_REASONS) as RunReasonCode[]
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]!)
// Each parameter a value of its own, so a parameter found in the wrong place shows.
const sample = (code: RunReasonCode) => Object.fromEntries(placeholders(RUN_REASONS[code]).map(name => [name, `<${code}.${name}>`]))

describe('a run\'s reasons', () => {
  it.each(CODES)('finds %s back from its English text, with its parameters', (code) => {
    expect(runReasonParts(runReason(code, sample(code)))).toEqual([{ code, params: sample(code) }])
  })

  it('tells the specific reasons from the general ones', () => {
    expect(runReasonParts('already starting (pending)')).toEqual([{ code: 'alreadyStartingPending', params: {} }])
    expect(runReasonParts('already stopped')).toEqual([{ code: 'already', params: { state: 'stopped' } }])
    expect(runReasonParts('already stopped (capacity 0, 1,2,3 saved in ouroboros:capacity)')).toEqual([{ code: 'alreadyStoppedSaved', params: { capacity: '1,2,3', tag: 'ouroboros:capacity' } }])
    expect(runReasonParts('no longer exists')).toEqual([{ code: 'gone', params: {} }])
    expect(runReasonParts('tag ouroboros:skip-until=2026-12-24 (until the end of that day in UTC, 2026-12-25 00:00 UTC)')?.[0]?.code).toBe('tagOverrideDay')
  })

  it('reads the server\'s own texts, and reasons joined, and an override\'s note that holds "; " whole', () => {
    expect(runReasonParts(optOutReason({ 'ouroboros:skip': 'True' }, { key: 'ouroboros:skip', value: 'true' })!)).toEqual([{ code: 'optedOut', params: { tag: 'ouroboros:skip=True' } }])
    expect(runReasonParts(KMS_REASON)).toEqual([{ code: 'kms', params: {} }])
    const note = 'release testing; back on Monday'
    expect(runReasonParts(apiOverrideReason({ until: '2026-12-24T18:00:00.000Z', reason: note, createdBy: { keyName: 'ops' } } as Parameters<typeof apiOverrideReason>[0])))
      .toEqual([{ code: 'apiOverrideWhy', params: expect.objectContaining({ key: 'ops', note }) }])
    expect(runReasonParts(joinReasons(runReason('noHibernation'), runReason('refused', { service: 'EC2', action: 'stop' }))!))
      .toEqual([{ code: 'noHibernation', params: {} }, { code: 'refused', params: { service: 'EC2', action: 'stop' } }])
  })

  it('leaves a text it does not hold as it is, a joined one with one unknown part too', () => {
    expect(runReasonParts('InvalidInstanceID.NotFound: the instance does not exist')).toBeUndefined()
    expect(runReasonParts(`${runReason('gone')}; something else`)).toBeUndefined()
    expect(sayRunReason('something AWS said', language('zh-CN'))).toBe('something AWS said')
  })

  it.each(['en', 'zh-CN'] as const)('has a message for every reason in %s, with only the reason\'s parameters', (locale) => {
    const wrong: string[] = []
    for (const code of CODES) {
      const key = `reason.${code}`
      if (!i18n.global.te(key, locale)) {
        wrong.push(`${code}: missing`)
        continue
      }
      const message = (i18n.global.getLocaleMessage(locale) as { reason: Record<string, string> }).reason[code]!
      const allowed = new Set(placeholders(RUN_REASONS[code]))
      for (const name of placeholders(message)) if (!allowed.has(name)) wrong.push(`${code}: {${name}}`)
      const said = sayRunReason(runReason(code, sample(code)), language(locale))
      if (/[{}]/.test(said)) wrong.push(`${code}: ${said}`)
    }
    expect(wrong).toEqual([])
  })

  it('says every reason in English exactly as the log has it', () => {
    for (const code of CODES) {
      const text = runReason(code, sample(code))
      expect(sayRunReason(text, language('en'))).toBe(text)
    }
    const joined = joinReasons(runReason('noHibernation'), runReason('refused', { service: 'EC2', action: 'stop' }))!
    expect(sayRunReason(joined, language('en'))).toBe(joined)
  })

  it('says them in Chinese, with the states, the actions and a check\'s nested reason in Chinese too', () => {
    const zh = language('zh-CN')
    expect(sayRunReason('already stopped', zh)).toBe('已是「已停止」')
    expect(sayRunReason(runReason('refused', { service: 'EC2', action: 'stop' }), zh)).toBe('EC2 拒绝停止它')
    expect(sayRunReason(runReason('notReached', { target: 'running', why: runReason('waitOver', { seconds: 120 }), state: 'pending' }), zh))
      .toBe('120 秒的等待结束时未达到「运行中」（最后所见：待启动）')
    expect(sayRunReason(joinReasons(runReason('noHibernation'), runReason('already', { state: 'stopping' }))!, zh)).toBe('此实例未配置休眠：已停止，未休眠；已是「停止中」')
    // An unknown state keeps its own word.
    expect(sayRunReason('already rebooting', zh)).toBe('已是「rebooting」')
  })

  it('says a run\'s message part by part, an AWS error\'s words as they are', () => {
    const message = joinReasons(runReason('someFailed', { failed: 3, total: 1199 }), 'us-east-1: AccessDenied: not authorized to perform sts:AssumeRole')!
    expect(runReasonParts(message)).toBeUndefined()
    expect(sayRunReason(message, language('zh-CN'))).toBe('1199 个实例中有 3 个未能完成操作（见各自的错误）；us-east-1: AccessDenied: not authorized to perform sts:AssumeRole')
    expect(sayRunReason(message, language('en'))).toBe(message)
    expect(sayRunReason(runReason('calendarsGone', { calendars: 'calendar \'holidays\'' }), language('zh-CN'))).toContain('跳过 calendar \'holidays\' 的日期')
  })
})
