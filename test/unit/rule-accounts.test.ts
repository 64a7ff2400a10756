// A rule's accounts (issue 15): explicit accounts, organizational units and exclusions, and the 400s of bad ones.
import { describe, expect, it } from 'vitest'
import { explicitAccounts, normalizeAccountTargets } from '../../shared/account-targets'
import { PreviewInputSchema } from '../../shared/schemas/execution'
import { issueOf } from '../../shared/schemas/issue'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { requireOrganizationRole } from '../../server/utils/organizations/require'
import { InvalidInput } from '../../server/utils/errors'

const base = { name: 'dev-stop', action: 'stop', filters: 'tag:env=dev', scheduleExpression: 'cron(0 19 ? * MON-FRI *)' }
const account = (n: number) => String(100_000_000_000 + n)

function issues(input: Record<string, unknown>) {
  const result = RuleInputSchema.safeParse({ ...base, ...input })
  return result.success ? [] : result.error.issues.map(i => ({ path: i.path.join('.'), code: issueOf(i).code }))
}

describe('a rule\'s accounts', () => {
  it('takes accounts, units and exclusions, each once, and stores no accountId', () => {
    const rule = RuleInputSchema.parse({ ...base, accountIds: [account(1), account(2), account(1)], organizationalUnits: ['ou-ab12-cd34ef56', 'r-ab12', 'r-ab12'], excludeAccountIds: [account(3)] })
    expect(rule).toMatchObject({ accountIds: [account(1), account(2)], organizationalUnits: ['ou-ab12-cd34ef56', 'r-ab12'], excludeAccountIds: [account(3)] })
    expect(rule).not.toHaveProperty('accountId')
  })

  it('reads the accountId of earlier versions as the first of the accounts', () => {
    expect(RuleInputSchema.parse({ ...base, accountId: account(1), accountIds: [account(2), account(1)] }).accountIds).toEqual([account(1), account(2)])
    expect(normalizeAccountTargets({ name: 'old', accountId: account(7) })).toEqual({ name: 'old', accountIds: [account(7)], organizationalUnits: [], excludeAccountIds: [] })
    expect(explicitAccounts({})).toEqual([])
  })

  it('takes a rule of units alone', () => {
    expect(issues({ organizationalUnits: ['ou-ab12-cd34ef56'] })).toEqual([])
  })

  it('answers a field issue for each bad input', () => {
    expect(issues({})).toEqual([{ path: 'accountIds', code: 'rule.accounts.empty' }])
    expect(issues({ accountIds: [] })).toEqual([{ path: 'accountIds', code: 'rule.accounts.empty' }])
    expect(issues({ accountIds: Array.from({ length: 1001 }, (_, i) => account(i)) })).toContainEqual({ path: 'accountIds', code: 'rule.accountIds.tooMany' })
    expect(issues({ accountIds: Array.from({ length: 1000 }, (_, i) => account(i)) })).toEqual([])
    expect(issues({ accountIds: [account(1), '12345'] })).toEqual([{ path: 'accountIds.1', code: 'rule.accountId.digits' }])
    expect(issues({ organizationalUnits: ['ou-nope'] })).toEqual([{ path: 'organizationalUnits.0', code: 'rule.organizationalUnits.format' }])
    expect(issues({ organizationalUnits: ['o-abcdefghij'] })).toEqual([{ path: 'organizationalUnits.0', code: 'rule.organizationalUnits.format' }])
    expect(issues({ accountIds: [account(1), account(2)], excludeAccountIds: [account(3), account(2)] })).toEqual([{ path: 'excludeAccountIds.1', code: 'rule.excludeAccountIds.overlap' }])
  })

  it('judges a preview\'s accounts as saving does', () => {
    const bad = PreviewInputSchema.safeParse({ action: 'stop', filters: 'tag:env=dev', accountIds: [account(1)], excludeAccountIds: [account(1)] })
    expect(bad.success ? [] : bad.error.issues.map(i => i.path.join('.'))).toEqual(['excludeAccountIds.0'])
    expect(PreviewInputSchema.parse({ action: 'stop', filters: 'tag:env=dev', accountId: account(1) })).toMatchObject({ accountIds: [account(1)], organizationalUnits: [], excludeAccountIds: [] })
  })

  it('refuses units when no organization role is set, naming the variable', () => {
    expect(() => requireOrganizationRole('rule', ['ou-ab12-cd34ef56'], '')).toThrow(InvalidInput)
    try {
      requireOrganizationRole('rule', ['ou-ab12-cd34ef56'], '')
    }
    catch (e) {
      expect((e as InvalidInput).issues).toEqual([expect.objectContaining({ path: 'organizationalUnits', code: 'rule.organizationalUnits.noRole', message: expect.stringContaining('NUXT_ORGANIZATION_ROLE_ARN') })])
    }
    expect(() => requireOrganizationRole('rule', ['ou-ab12-cd34ef56'], 'arn:aws:iam::123456789012:role/OrgReader')).not.toThrow()
    expect(() => requireOrganizationRole('rule', [], '')).not.toThrow()
  })
})
