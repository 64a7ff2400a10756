// The app's real EC2 and STS clients find moto through the SDK's own AWS_ENDPOINT_URL_* variables,
// and a run wired with them acts across accounts as the app does.
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { createEc2Client, useEc2Client } from '../../server/utils/aws/ec2'
import { createStsClient } from '../../server/utils/aws/sts'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { runRule } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import { ec2For, MEMBER_ROLE, motoEndpoint, newAccountId, OWN_ACCOUNT, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { embeddedStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const VARIABLES = ['AWS_ENDPOINT_URL_EC2', 'AWS_ENDPOINT_URL_STS'] as const
let saved: Partial<Record<typeof VARIABLES[number], string>>
let store: TestStore

beforeAll(async () => {
  saved = Object.fromEntries(VARIABLES.map(v => [v, process.env[v]]))
  for (const v of VARIABLES) process.env[v] = motoEndpoint()
  store = await embeddedStore()
})
afterAll(async () => {
  for (const v of VARIABLES) {
    if (saved[v] === undefined) Reflect.deleteProperty(process.env, v)
    else process.env[v] = saved[v]
  }
  await store?.cleanup()
})

// The SDK keeps settings as values or providers.
const resolved = async <T>(setting: T | (() => Promise<T>)): Promise<T> =>
  typeof setting === 'function' ? (setting as () => Promise<T>)() : setting

describe('AWS clients', () => {
  it('reach the endpoints the SDK variables name, with adaptive retries', async () => {
    const sts = createStsClient({ region: 'us-east-1' })
    expect((await sts.send(new GetCallerIdentityCommand({}))).Account).toBe(OWN_ACCOUNT)
    const ec2 = createEc2Client({ region: 'eu-west-1' })
    expect(await resolved(ec2.config.retryMode)).toBe('adaptive')
    expect(await resolved(ec2.config.maxAttempts)).toBeGreaterThanOrEqual(5)
  })

  it('reuses one EC2 client per account, region and credentials', () => {
    expect(useEc2Client(OWN_ACCOUNT, 'us-east-1')).toBe(useEc2Client(OWN_ACCOUNT, 'us-east-1'))
    expect(useEc2Client(OWN_ACCOUNT, 'us-east-1')).not.toBe(useEc2Client(OWN_ACCOUNT, 'eu-west-1'))
  })

  it('run a rule in a member account when wired as the app wires them', async () => {
    const account = newAccountId()
    const tag = uniqueValue('wired')
    const ec2 = await ec2For(account, 'eu-west-1')
    const seeded = await seedInstances(ec2, { count: 2, tags: { app: tag } })
    const rules = createRulesRepository(store.store.doc, store.tables.rules)
    const draft = RuleInputSchema.parse({ name: `wired-${tag}`, accountId: account, regions: ['eu-west-1'], action: 'stop', filters: `tag:app=${tag}`, scheduleExpression: 'rate(1 hour)' })
    await rules.create({ ...draft, regions: draft.regions! })

    const entry = await runRule({
      rules,
      logs: createLogsRepository(store.store.doc, store.tables.logs, 90),
      execution: { memberRoleName: MEMBER_ROLE, externalId: '', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 100, concurrency: 8, verifyTimeoutSeconds: 5 },
      region: 'us-east-1',
      credentials: createCredentialsResolver({ sts: createStsClient({ region: 'us-east-1' }), memberRoleName: MEMBER_ROLE, externalId: '', region: 'us-east-1' }),
      ec2: useEc2Client,
      verifyIntervalMs: 50,
    }, { rule: draft.name, trigger: 'manual', dryRun: false })

    expect(entry).toMatchObject({ status: 'succeeded', counts: { acted: 2 } })
    expect(Object.values(await statesOf(ec2, seeded))).toEqual(['stopped', 'stopped'])
  })
})
