import { describe, expect, it } from 'vitest'
import { toRuleView } from '../../shared/rule-view'
import { RuleInputSchema, RulePatchSchema, RuleUpdateSchema } from '../../shared/schemas/rule'

const valid = {
  name: 'web-stop',
  accountId: '123456789012',
  action: 'stop',
  filters: 'tag:Name=web,vpc-id=vpc-4085e027',
  scheduleExpression: 'cron(55 14 * * ? *)',
}

function issuesOf(input: Record<string, unknown>) {
  const result = RuleInputSchema.safeParse({ ...valid, ...input })
  return result.success ? [] : result.error.issues.map(i => ({ path: i.path.join('.'), message: i.message }))
}

describe('RuleInputSchema', () => {
  it('fills the defaults a person would expect', () => {
    const { accountId, ...rest } = valid
    expect(RuleInputSchema.parse(valid)).toEqual({
      ...rest,
      // The single accountId of earlier versions is read as a one-item list.
      accountIds: [accountId],
      organizationalUnits: [],
      excludeAccountIds: [],
      filters: [{ key: 'tag:Name', values: ['web'] }, { key: 'vpc-id', values: ['vpc-4085e027'] }],
      hibernate: false,
      allInstances: false,
      timezone: 'UTC',
      enabled: true,
      skipCalendars: [],
    })
  })

  // Each field: a good example that passes and a bad one that names the field.
  it.each([
    ['name', 'a', 'has spaces'],
    ['name', 'Web.Stop_01-x', ''],
    ['name', 'x'.repeat(64), 'x'.repeat(65)],
    ['description', 'Nightly stop', 'x'.repeat(513)],
    ['accountId', '000000000001', '12345678901'],
    ['accountId', '123456789012', '12345678901a'],
    ['regions', ['eu-west-1', 'us-east-1'], []],
    ['regions', ['ap-southeast-2'], ['us-est-1']],
    ['action', 'start', 'reboot'],
    ['scheduleExpression', 'rate(5 minutes)', 'rate(5 minute)'],
    ['scheduleExpression', 'at(2026-12-01T08:00:00)', 'at(2026-13-01T08:00:00)'],
    ['scheduleExpression', 'cron(0 18 ? * MON-FRI *)', 'cron(0 18 * * *)'],
    ['timezone', 'America/New_York', 'Mars/Olympus'],
    ['timezone', 'UTC', '+01:00'],
    ['enabled', false, 'yes'],
    ['filters', 'instance-id=i-0123456789abcdef0', 'instance-id=web-1'],
    ['filters', [{ key: 'private-ip-address', values: ['10.0.0.1'] }], [{ key: 'private-ip-address', values: ['10.0.0.300'] }]],
    ['filters', 'availability-zone=us-east-1a', 'colour=blue'],
  ])('accepts a good %s and names the field for a bad one', (field, good, bad) => {
    expect(issuesOf({ [field]: good })).toEqual([])
    const issues = issuesOf({ [field]: bad })
    expect(issues.length).toBeGreaterThan(0)
    expect(issues[0]!.path.split('.')[0]).toBe(field)
    expect(issues[0]!.message.length).toBeGreaterThan(10)
  })

  it('accepts hibernate only with stop', () => {
    expect(issuesOf({ action: 'stop', hibernate: true })).toEqual([])
    expect(issuesOf({ action: 'start', hibernate: true })).toEqual([
      { path: 'hibernate', message: 'hibernate only applies to the "stop" action' },
    ])
  })

  it('requires allInstances to confirm a rule with no filter', () => {
    expect(issuesOf({ filters: '', allInstances: true })).toEqual([])
    expect(issuesOf({ filters: [] })[0]).toMatchObject({ path: 'allInstances', message: expect.stringContaining('every instance') })
    expect(issuesOf({ filters: undefined })[0]?.path).toBe('allInstances')
  })

  it('refuses allInstances together with filters', () => {
    expect(issuesOf({ allInstances: true })[0]?.path).toBe('allInstances')
  })

  it('names the filter key and shows an example for a wrong value', () => {
    expect(issuesOf({ filters: 'vpc-id=vpc-12' })).toEqual([
      { path: 'filters', message: 'vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'vpc-12\')' },
    ])
  })

  it('merges repeated filter keys (their values OR) and removes duplicate regions', () => {
    const rule = RuleInputSchema.parse({ ...valid, filters: 'tag:Env=dev,tag:Env=test', regions: ['eu-west-1', 'eu-west-1'] })
    expect(rule.filters).toEqual([{ key: 'tag:Env', values: ['dev', 'test'] }])
    expect(rule.regions).toEqual(['eu-west-1'])
  })

  it('trims a schedule expression and time zone typed with spaces', () => {
    const rule = RuleInputSchema.parse({ ...valid, scheduleExpression: ' rate(1 hour) ', timezone: ' Europe/Berlin ' })
    expect(rule.scheduleExpression).toBe('rate(1 hour)')
    expect(rule.timezone).toBe('Europe/Berlin')
  })
})

describe('RuleUpdateSchema and RulePatchSchema', () => {
  it('requires the version the client read', () => {
    expect(RuleUpdateSchema.safeParse({ ...valid, version: 3 }).success).toBe(true)
    const missing = RuleUpdateSchema.safeParse(valid)
    expect(missing.success).toBe(false)
    expect(missing.error?.issues[0]).toMatchObject({ path: ['version'], message: expect.stringContaining('version') })
  })

  it('takes enabled as a boolean only', () => {
    expect(RulePatchSchema.safeParse({ enabled: false }).success).toBe(true)
    expect(RulePatchSchema.safeParse({ enabled: 'false' }).success).toBe(false)
  })
})

describe('toRuleView', () => {
  it('answers the filters in both forms', () => {
    const rule = RuleInputSchema.parse({ ...valid, filters: [{ key: 'tag:Name', values: ['a', 'b'] }] })
    const view = toRuleView({ ...rule, regions: ['us-east-1'], createdAt: 'x', updatedAt: 'x', version: 1 })
    expect(view.filterText).toBe('tag:Name=a,tag:Name=b')
    expect(view.filters).toEqual([{ key: 'tag:Name', values: ['a', 'b'] }])
  })
})
