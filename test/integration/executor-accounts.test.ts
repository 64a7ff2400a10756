// Rules over many accounts and AWS Organizations units (issue 15), against moto's Organizations, STS and EC2.
// Each describe builds its own organization in a fresh management account, so tests never see each other's.
import { CloseAccountCommand, CreateAccountCommand, CreateOrganizationalUnitCommand, CreateOrganizationCommand, ListRootsCommand, MoveAccountCommand, OrganizationsClient } from '@aws-sdk/client-organizations'
import type { STSClient } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { RuleInput } from '../../shared/schemas/rule'
import type { LogTarget } from '../../shared/schemas/log'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import type { CredentialsResolver } from '../../server/utils/executor/credentials'
import { previewRule, runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { organizationsClient } from '../../server/utils/aws/organizations'
import { createOrganizationsResolver } from '../../server/utils/organizations/resolver'
import { createLogsRepository } from '../../server/utils/logs'
import type { LogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import { awsError, credentialsFor, ec2For, MEMBER_ROLE, motoEc2, motoEndpoint, motoSts, newAccountId, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { embeddedStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

let store: TestStore
let rules: RulesRepository
let logs: LogsRepository

const EXTERNAL_ID = 'ouroboros-test-external-id'
const ORG_ROLE = 'OuroborosOrganizationReader'
const quiet = { info: () => {}, warn: () => {} }
const noWait = async () => {}

beforeAll(async () => {
  store = await embeddedStore()
  rules = createRulesRepository(store.store.doc, store.tables.rules)
  logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
})
afterAll(async () => store?.cleanup())

/** STS whose AssumeRole answers `fail(accountId)` instead, for the accounts it names. */
function stsFailing(sts: STSClient, fail: (roleArn: string) => Error | undefined): STSClient {
  const send = sts.send.bind(sts)
  sts.send = (async (command: { constructor: { name: string }, input: { RoleArn?: string } }, ...rest: unknown[]) => {
    const error = command.constructor.name === 'AssumeRoleCommand' ? fail(command.input.RoleArn ?? '') : undefined
    if (error) throw error
    return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)
  }) as STSClient['send']
  return sts
}

function deps(overrides: Partial<ExecutorDeps> & { sts?: STSClient } = {}): ExecutorDeps {
  const { sts, ...rest } = overrides
  const credentials: CredentialsResolver = createCredentialsResolver({ sts: sts ?? motoSts(), memberRoleName: MEMBER_ROLE, externalId: EXTERNAL_ID, region: 'us-east-1', backoff: { sleep: noWait } })
  return {
    rules,
    logs,
    execution: { memberRoleName: MEMBER_ROLE, externalId: EXTERNAL_ID, optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 10, concurrency: 4, verifyTimeoutSeconds: 2 },
    region: 'us-east-1',
    credentials,
    ec2: (_account, region, creds) => motoEc2(region, creds),
    verifyIntervalMs: 20,
    backoff: { sleep: noWait },
    logger: quiet,
    ...rest,
  }
}

async function createRule(input: Partial<RuleInput> & { name: string }) {
  const draft = RuleInputSchema.parse({ action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', ...input })
  return rules.create({ ...draft, regions: draft.regions ?? ['us-east-1'] })
}

const accountOf = (t: LogTarget) => t.accountId

describe('a rule over organizational units', () => {
  const management = newAccountId()
  const tag = uniqueValue('org')
  let org: OrganizationsClient
  let dev = ''
  let team = ''
  let prod = ''
  const accounts: Record<'a1' | 'a2' | 'suspended' | 'excluded' | 'p1', string> = { a1: '', a2: '', suspended: '', excluded: '', p1: '' }
  const instances: Record<string, string[]> = {}
  let listCalls = 0
  let clock = Date.parse('2026-12-01T18:00:00Z')

  /** The resolver the app builds, through the organization role in the management account; ListChildren counted. */
  function organizations() {
    return createOrganizationsResolver({
      now: () => clock,
      client: async () => {
        const client = await organizationsClient({ sts: motoSts(), roleArn: `arn:aws:iam::${management}:role/${ORG_ROLE}`, externalId: EXTERNAL_ID, region: 'us-east-1', endpoint: motoEndpoint() })
        const send = client.send.bind(client)
        client.send = ((command: { constructor: { name: string } }, ...rest: unknown[]) => {
          if (command.constructor.name === 'ListChildrenCommand') listCalls++
          return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)
        }) as OrganizationsClient['send']
        return client
      },
    })
  }

  beforeAll(async () => {
    // The organization lives in the account that created it (moto): a fresh management account of this test's own.
    org = new OrganizationsClient({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: await credentialsFor(management) })
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }))
    const root = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!
    const ou = async (parent: string, name: string) => (await org.send(new CreateOrganizationalUnitCommand({ ParentId: parent, Name: name }))).OrganizationalUnit!.Id!
    dev = await ou(root, 'dev')
    team = await ou(dev, 'team')
    prod = await ou(root, 'prod')
    const place: Record<keyof typeof accounts, string> = { a1: dev, a2: team, suspended: dev, excluded: dev, p1: prod }
    for (const [key, parent] of Object.entries(place) as [keyof typeof accounts, string][]) {
      const created = await org.send(new CreateAccountCommand({ AccountName: `${tag}-${key}`, Email: `${key}@${tag}.example.com` }))
      const id = created.CreateAccountStatus!.AccountId!
      accounts[key] = id
      await org.send(new MoveAccountCommand({ AccountId: id, SourceParentId: root, DestinationParentId: parent }))
      instances[id] = await seedInstances(await ec2For(id, 'us-east-1'), { count: 2, tags: { env: tag } })
    }
    await org.send(new CloseAccountCommand({ AccountId: accounts.suspended }))
  })

  it('acts on every active account beneath the unit, nested ones included, and leaves excluded, suspended and other units alone', async () => {
    await createRule({ name: `ou-stop-${tag}`, organizationalUnits: [dev], excludeAccountIds: [accounts.excluded], filters: `tag:env=${tag}` })
    const entry = await runRule(deps({ organizations: organizations() }), { rule: `ou-stop-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', accountId: '', organizationalUnits: [dev], counts: { total: 4, acted: 4, failed: 0 } })
    expect([...entry.accountIds!].sort()).toEqual([accounts.a1, accounts.a2].sort())
    // Each outcome says its account.
    expect(entry.targets.map(accountOf).sort()).toEqual([accounts.a1, accounts.a1, accounts.a2, accounts.a2].sort())
    for (const key of ['a1', 'a2'] as const) {
      const id = accounts[key]
      expect(Object.values(await statesOf(await ec2For(id, 'us-east-1'), instances[id]!))).toEqual(['stopped', 'stopped'])
    }
    for (const key of ['suspended', 'excluded', 'p1'] as const) {
      const id = accounts[key]
      expect(Object.values(await statesOf(await ec2For(id, 'us-east-1'), instances[id]!))).toEqual(['running', 'running'])
    }
    expect(await logs.get(entry.eventId)).toEqual(entry)
  })

  it('reads the organization once per 15 minutes, and again after', async () => {
    await createRule({ name: `ou-cache-${tag}`, action: 'start', organizationalUnits: [prod], filters: `tag:env=${tag}` })
    const resolver = organizations()
    const d = deps({ organizations: resolver })
    listCalls = 0
    const first = await previewRule(d, `ou-cache-${tag}`)
    const afterFirst = listCalls
    expect(afterFirst).toBeGreaterThan(0)
    expect(first.reach).toEqual({ accounts: 1, organizationalUnits: [prod], excluded: 0, resolvedAt: new Date(clock).toISOString() })
    clock += 14 * 60_000
    await previewRule(d, `ou-cache-${tag}`)
    expect(listCalls).toBe(afterFirst)
    clock += 2 * 60_000
    const third = await previewRule(d, `ou-cache-${tag}`)
    expect(listCalls).toBe(2 * afterFirst)
    expect(third.reach.resolvedAt).toBe(new Date(clock).toISOString())
  })

  it('runs the explicit accounts and logs why the units reached none when no organization role is set', async () => {
    await createRule({ name: `ou-norole-${tag}`, accountIds: [accounts.p1], organizationalUnits: [dev], filters: `tag:env=${tag}` })
    const entry = await runRule(deps(), { rule: `ou-norole-${tag}`, trigger: 'manual', dryRun: false })
    expect(entry.accountIds).toEqual([accounts.p1])
    expect(entry.errors).toEqual([{ accountId: '', region: '', message: expect.stringContaining('NUXT_ORGANIZATION_ROLE_ARN') }])
    expect(entry.status).toBe('partial')
  })
})

describe('a rule over several explicit accounts', () => {
  it('still runs the other accounts when one cannot be assumed, and says which failed and why', async () => {
    const tag = uniqueValue('many')
    const [good1, bad, good2] = [newAccountId(), newAccountId(), newAccountId()]
    for (const id of [good1, good2]) await seedInstances(await ec2For(id, 'us-east-1'), { tags: { env: tag } })
    const sts = stsFailing(motoSts(), arn => (arn.includes(`::${bad}:`) ? awsError('AccessDenied', `not authorized to assume ${arn}`, 403) : undefined))
    await createRule({ name: `many-${tag}`, accountIds: [good1, bad, good2], filters: `tag:env=${tag}` })

    const entry = await runRule(deps({ sts }), { rule: `many-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'partial', accountId: '', accountIds: [good1, bad, good2], counts: { acted: 2, failed: 0 } })
    expect(entry.targets.map(accountOf).sort()).toEqual([good1, good2].sort())
    expect(entry.errors).toEqual([{ accountId: bad, region: 'us-east-1', message: expect.stringMatching(new RegExp(`could not assume .*${bad}.*AccessDenied`)) }])
  })

  it('retries a throttled AssumeRole, and assumes each account once for all its regions', async () => {
    const tag = uniqueValue('throttle')
    const [a, b] = [newAccountId(), newAccountId()]
    for (const id of [a, b]) for (const region of ['us-east-1', 'eu-west-1']) await seedInstances(await ec2For(id, region), { tags: { env: tag } })
    let throttles = 2
    const assumed: string[] = []
    const sts = stsFailing(motoSts(), (arn) => {
      if (throttles > 0) {
        throttles--
        return awsError('Throttling', 'Rate exceeded', 400)
      }
      assumed.push(arn)
      return undefined
    })
    await createRule({ name: `throttle-${tag}`, accountIds: [a, b], regions: ['us-east-1', 'eu-west-1'], filters: `tag:env=${tag}` })

    const entry = await runRule(deps({ sts }), { rule: `throttle-${tag}`, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', counts: { total: 4, acted: 4 } })
    expect(throttles).toBe(0)
    expect(assumed.sort()).toEqual([a, b].map(id => `arn:aws:iam::${id}:role/${MEMBER_ROLE}`).sort())
  })

  it('reads a rule stored with the single accountId of earlier versions as a one-account rule', async () => {
    const tag = uniqueValue('legacy')
    const account = newAccountId()
    const [id] = await seedInstances(await ec2For(account, 'us-east-1'), { tags: { env: tag } })
    const draft = RuleInputSchema.parse({ name: `legacy-${tag}`, accountId: account, action: 'stop', scheduleExpression: 'rate(1 hour)', filters: `tag:env=${tag}` })
    const { accountIds: _ids, organizationalUnits: _ous, excludeAccountIds: _ex, ...rest } = draft
    // As an earlier version stored it: `accountId`, and none of the lists.
    await rules.create({ ...rest, accountId: account, regions: ['us-east-1'] } as never)

    expect(await rules.get(`legacy-${tag}`)).toMatchObject({ accountIds: [account], organizationalUnits: [], excludeAccountIds: [] })
    const entry = await runRule(deps(), { rule: `legacy-${tag}`, trigger: 'manual', dryRun: false })
    expect(entry).toMatchObject({ status: 'succeeded', accountId: account, counts: { acted: 1 } })
    expect(entry.accountIds).toBeUndefined()
    expect(entry.targets[0]).not.toHaveProperty('accountId')
    expect(await statesOf(await ec2For(account, 'us-east-1'), [id!])).toEqual({ [id!]: 'stopped' })
  })
})
