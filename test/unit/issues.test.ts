// Every validation issue carries a stable code and parameters beside its English message (issue 13, section 2): the
// catalog that makes the English messages, the code and parameters of each input's issues, and the server's 400.
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { FILTER_KEYS } from '../../shared/filters'
import { scheduleExpressionIssue } from '../../shared/schedule'
import { ExecutionPayloadSchema, PreviewInputSchema } from '../../shared/schemas/execution'
import { INVALID, ISSUE_MESSAGES, issueMessage, issueOf, issueOfMessage } from '../../shared/schemas/issue'
import type { IssueCode, IssueParams } from '../../shared/schemas/issue'
import { KeyInputSchema } from '../../shared/schemas/key'
import { PageQuerySchema } from '../../shared/schemas/list'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { fieldIssues, toHttpError, validationError } from '../../server/utils/http/handler'
import { RenameRefused } from '../../server/utils/errors'

const valid = { name: 'web-stop', accountId: '123456789012', action: 'stop', filters: 'tag:Name=web', scheduleExpression: 'rate(1 hour)' }
const validKey = { name: 'ci', scope: 'read' }

/** The first field issue of `input` under `schema`, as the API answers it. */
function firstIssue(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input)
  if (result.success) throw new Error(`expected ${JSON.stringify(input)} to be refused`)
  return fieldIssues(result.error)[0]!
}

describe('the issue catalog', () => {
  it('holds each English message once, so a message names one code', () => {
    const texts = Object.values(ISSUE_MESSAGES)
    expect(new Set(texts).size).toBe(texts.length)
    expect(texts.length).toBeGreaterThan(90)
  })

  it('fills a template\'s placeholders from the parameters', () => {
    expect(issueMessage('filter.value.vpcId', { key: 'vpc-id', value: 'vpc-12' })).toBe('vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'vpc-12\')')
    expect(issueMessage('rule.filters.shape')).toContain('a list of { key, values }')
  })

  // A sample of what the schedule parser refuses: every field's checks, and rate() and at().
  it.each([
    'cron(0 19 ? * MON-FRI', '', 'cron()', 'cron(0\t0 * * ? *)', 'cron( 0 0 * * ? * )', 'cron(0 0 * * ?)', 'cron(0 8 * * * *)',
    'cron(0 0 1 JANUARY ? *)', 'cron(0 8 1,? * ? *)', 'cron(0/0 * * * ? *)', 'cron(/5 * * * ? *)', 'cron(0/x * * * ? *)',
    'cron(0/5/2 * * * ? *)', 'cron(0 0 ? * 1/2 *)', 'cron(0 0 1,L * ? *)', 'cron(0 0 32W * ? *)', 'cron(L 0 * * ? *)',
    'cron(0 9 ? * 2#6 *)', 'cron(0 9 ? * 1,6L *)', 'cron(0 0 ? * FRI-MON *)', 'cron(0 1- * * ? *)', 'cron(0 0 1,,15 * ? *)',
    'rate(0 minutes)', 'rate(1 minutes)', 'rate(5 minute)', 'rate(2 weeks)', 'rate(5)', 'rate(99999999999999 days)',
    'at(2026-02-30T08:00:00)', 'at(1969-01-01T00:00:00)', 'at(2026-13-01T08:00:00)', 'at(2026-12-01T24:00:00)', 'at(2026-12-01T08:00)',
  ])('gives the schedule issue of %j a code whose template, with its parameters, is the message', (expr) => {
    const problem = scheduleExpressionIssue(expr)!
    expect(problem.code in ISSUE_MESSAGES).toBe(true)
    expect(issueMessage(problem.code as IssueCode, problem.params)).toBe(problem.message)
    expect(problem.message).not.toMatch(/\{\w+\}/)
  })

  it('finds the code of a built-in check from its message, and answers invalid for any other message', () => {
    expect(issueOfMessage('accountId must be exactly 12 digits, e.g. 123456789012')).toEqual({ code: 'rule.accountId.digits', params: {}, message: 'accountId must be exactly 12 digits, e.g. 123456789012' })
    expect(issueOfMessage('Invalid input: expected string, received number')).toEqual({ code: INVALID, params: {}, message: 'Invalid input: expected string, received number' })
  })
})

describe('the issues of the rule, preview, key and run inputs', () => {
  it.each<[what: string, schema: z.ZodType, input: unknown, path: string, code: IssueCode, params: IssueParams]>([
    ['a bad account id', RuleInputSchema, { ...valid, accountId: '12345' }, 'accountId', 'rule.accountId.digits', {}],
    ['a bad region', RuleInputSchema, { ...valid, regions: ['us-est-1'] }, 'regions.0', 'rule.regions.unknown', { known: 'us-east-1, us-east-2, us-west-1, us-west-2, af-south-1, ap-east-1', value: 'us-est-1' }],
    ['a bad filter key', RuleInputSchema, { ...valid, filters: 'colour=blue' }, 'filters', 'filter.key.unknown', { key: 'colour', keys: FILTER_KEYS.join(', ') }],
    ['a bad vpc-id value', RuleInputSchema, { ...valid, filters: [{ key: 'vpc-id', values: ['vpc-12'] }] }, 'filters', 'filter.value.vpcId', { key: 'vpc-id', value: 'vpc-12' }],
    ['filter text that is not key=value', RuleInputSchema, { ...valid, filters: 'web' }, 'filters', 'filter.syntax.pair', { pair: 'web' }],
    ['no filter without the confirmation', RuleInputSchema, { ...valid, filters: '' }, 'allInstances', 'rule.allInstances.confirm', {}],
    ['a preview of no filter without the confirmation', PreviewInputSchema, { accountId: '123456789012', action: 'stop', filters: [] }, 'allInstances', 'rule.allInstances.confirm', {}],
    ['a cron minute out of range', RuleInputSchema, { ...valid, scheduleExpression: 'cron(60 10 * * ? *)' }, 'scheduleExpression', 'schedule.cron.range', { field: 'Minutes', value: '60', item: '60', allowed: '0-59' }],
    ['a cron without its closing parenthesis', RuleInputSchema, { ...valid, scheduleExpression: 'cron(0 19 ? * MON-FRI' }, 'scheduleExpression', 'schedule.unknown', { expression: 'cron(0 19 ? * MON-FRI' }],
    ['a singular rate unit above 1', RuleInputSchema, { ...valid, scheduleExpression: 'rate(5 minute)' }, 'scheduleExpression', 'schedule.rate.plural', { value: 5, unit: 'minute' }],
    ['a bad time zone', RuleInputSchema, { ...valid, timezone: 'Mars/Olympus' }, 'timezone', 'rule.timezone.unknown', {}],
    ['hibernate with start', RuleInputSchema, { ...valid, action: 'start', hibernate: true }, 'hibernate', 'rule.hibernate.stopOnly', {}],
    ['a bad rule name', RuleInputSchema, { ...valid, name: 'has spaces' }, 'name', 'rule.name.chars', {}],
    ['a bad key name', KeyInputSchema, { ...validKey, name: 'a#b' }, 'name', 'key.name.chars', {}],
    ['a rateLimit too low', KeyInputSchema, { ...validKey, rateLimit: 0 }, 'rateLimit', 'key.rateLimit.min', {}],
    ['a rateLimit that is not a number', KeyInputSchema, { ...validKey, rateLimit: 'fast' }, 'rateLimit', 'key.rateLimit.number', {}],
    ['a quota limit of 0', KeyInputSchema, { ...validKey, quota: { limit: 0, period: 'day' } }, 'quota.limit', 'key.quota.limit.min', {}],
    ['a quota per week', KeyInputSchema, { ...validKey, quota: '1000/week' }, 'quota', 'key.quota.shape', {}],
    ['a run with an unknown trigger', ExecutionPayloadSchema, { rule: 'web', trigger: 'cron' }, 'trigger', 'run.trigger.choice', {}],
    ['a page limit above 100', PageQuerySchema, { limit: '500' }, 'limit', 'list.limit.max', {}],
  ])('gives %s its code and parameters', (_what, schema, input, path, code, params) => {
    const found = firstIssue(schema, input)
    expect(found).toEqual({ path, code, params, message: issueMessage(code, params) })
  })

  it('answers the generic code, with zod\'s English message, for an issue the catalog does not know', () => {
    expect(firstIssue(RuleInputSchema, { ...valid, accountId: 123456789012 })).toEqual({
      path: 'accountId', code: 'invalid', params: {}, message: 'Invalid input: expected string, received number',
    })
  })

  it('keeps the code and parameters of a custom issue, and finds those of a built-in check', () => {
    const result = RuleInputSchema.safeParse({ ...valid, accountId: '1', filters: 'vpc-id=x' })
    expect(result.error!.issues.map(issueOf).map(i => i.code)).toEqual(['rule.accountId.digits', 'filter.value.vpcId'])
  })
})

describe('the API\'s 400', () => {
  it('answers [{ path, code, params, message }] in data.issues, and the English messages in its statusMessage', () => {
    const result = RuleInputSchema.safeParse({ ...valid, accountId: '12345', filters: 'vpc-id=vpc-12' })
    const error = validationError(result.error!, 'rule')
    expect(error.statusMessage).toBe('Invalid rule: accountId must be exactly 12 digits, e.g. 123456789012; filters: vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'vpc-12\')')
    expect(error.data).toEqual({ issues: [
      { path: 'accountId', code: 'rule.accountId.digits', params: {}, message: 'accountId must be exactly 12 digits, e.g. 123456789012' },
      { path: 'filters', code: 'filter.value.vpcId', params: { key: 'vpc-id', value: 'vpc-12' }, message: 'vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'vpc-12\')' },
    ] })
  })

  it('gives a domain error\'s field issues their codes too', () => {
    const mapped = toHttpError(new RenameRefused('web', 'db')) as { data: { issues: unknown[] } }
    expect(mapped.data.issues).toEqual([{ path: 'name', code: 'rule.name.rename', params: {}, message: 'renaming is not supported' }])
  })
})
