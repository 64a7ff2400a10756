// The UI says every issue code in the user's language (issue 13, section 2): each code of the catalog has a message in
// English and in Chinese, which compiles (vue-i18n's syntax) and uses only the parameters the issue carries; the
// English messages of the filter and schedule issues are the API's own, and a cron field is named in both languages.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createI18n } from 'vue-i18n'
import { describe, expect, it } from 'vitest'
import { scheduleExpressionIssue } from '../../shared/schedule'
import { INVALID, ISSUE_MESSAGES } from '../../shared/schemas/issue'
import type { IssueCode } from '../../shared/schemas/issue'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { fieldIssues } from '../../server/utils/http/handler'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const LOCALES = ['en', 'zh-CN'] as const
type Messages = { [key: string]: string | Messages }
const read = (locale: string) => JSON.parse(readFileSync(join(ROOT, 'i18n/locales', `${locale}.json`), 'utf8')) as Messages
const messages: Record<typeof LOCALES[number], Messages> = { 'en': read('en'), 'zh-CN': read('zh-CN') }
const i18n = createI18n({ legacy: false, locale: 'en', messages, missingWarn: false, fallbackWarn: false })
const CODES = Object.keys(ISSUE_MESSAGES) as IssueCode[]

function lookup(tree: Messages, key: string): string | Messages | undefined {
  return key.split('.').reduce<string | Messages | undefined>((node, part) => (node && typeof node === 'object' ? node[part] : undefined), tree)
}
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]!)
// Parameters an issue carries beyond its English template's, for the UI's wording.
const EXTRA_PARAMS: Partial<Record<IssueCode, string[]>> = { 'rule.regions.unknown': ['value'], 'key.quota.text': ['value'] }

const valid = { name: 'web-stop', accountId: '123456789012', action: 'stop', filters: 'tag:Name=web', scheduleExpression: 'rate(1 hour)' }
function firstIssue(input: unknown) {
  const result = RuleInputSchema.safeParse(input)
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`)
  return fieldIssues(result.error)[0]!
}

describe('the UI\'s messages for the issue codes', () => {
  it.each(LOCALES)('has a message for every code in %s, in a group of its own', (locale) => {
    expect([...CODES, INVALID].filter(code => typeof lookup(messages[locale], `issue.${code}`) !== 'string')).toEqual([])
  })

  it.each(LOCALES)('uses in %s only the parameters an issue carries, in messages that compile', (locale) => {
    const wrong: string[] = []
    for (const code of CODES) {
      const text = lookup(messages[locale], `issue.${code}`) as string
      const allowed = new Set([...placeholders(ISSUE_MESSAGES[code]), ...(EXTRA_PARAMS[code] ?? []), 'message'])
      for (const name of placeholders(text)) if (!allowed.has(name)) wrong.push(`${code}: {${name}}`)
      const params = Object.fromEntries([...allowed].map(name => [name, `<${name}>`]))
      const said = i18n.global.t(`issue.${code}`, params, { locale })
      if (/[{}]/.test(said.replace(/\{ (key, values|limit, period) \}/, ''))) wrong.push(`${code}: ${said}`)
    }
    expect(wrong).toEqual([])
  })

  it('says the filter and schedule issues in English exactly as the API does (they already speak the form\'s words)', () => {
    const issues = [
      scheduleExpressionIssue('cron(0 19 ? * MON-FRI')!,
      scheduleExpressionIssue('cron(0/0 * * * ? *)')!,
      scheduleExpressionIssue('rate(5 minute)')!,
      scheduleExpressionIssue('at(2026-02-30T08:00:00)')!,
      firstIssue({ ...valid, filters: 'vpc-id=vpc-12' }),
      firstIssue({ ...valid, filters: 'tag:=x' }),
    ]
    for (const { code, params, message } of issues) expect(i18n.global.t(`issue.${code}`, params ?? {}, { locale: 'en' })).toBe(message)
  })

  it.each(['Minutes', 'Hours', 'Day-of-month', 'Month', 'Day-of-week', 'Year'])('names the cron field %s and what it allows in both languages', (field) => {
    const expr = { 'Minutes': 'cron(99 0 * * ? *)', 'Hours': 'cron(0 99 * * ? *)', 'Day-of-month': 'cron(0 0 99 * ? *)', 'Month': 'cron(0 0 1 99 ? *)', 'Day-of-week': 'cron(0 0 ? * 99 *)', 'Year': 'cron(0 0 1 1 ? 99)' }[field]!
    const problem = scheduleExpressionIssue(expr)!
    expect(problem).toMatchObject({ code: 'schedule.cron.range', params: { field, value: '99' } })
    expect(lookup(messages.en, `issue.cronField.${field}.allowed`)).toBe(problem.params!.allowed)
    expect(typeof lookup(messages['zh-CN'], `issue.cronField.${field}.name`)).toBe('string')
    expect(typeof lookup(messages['zh-CN'], `issue.cronField.${field}.allowed`)).toBe('string')
  })
})
