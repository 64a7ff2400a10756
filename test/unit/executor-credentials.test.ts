// Credentials: own account without AssumeRole, one AssumeRole per account shared by concurrent callers,
// renewal shortly before expiry, and failures that are reported and not cached.
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { mockClient } from 'aws-sdk-client-mock'
import { beforeEach, describe, expect, it } from 'vitest'
import { AssumeRoleDenied, createCredentialsResolver, IdentityUnavailable, memberRoleArn, roleSessionName } from '../../server/utils/executor/credentials'

const OWN = '111111111111'
const MEMBER = '222222222222'
const HOUR = 3_600_000

let sts: STSClient
let mock: ReturnType<typeof mockClient>
let clock: number
let issued: number

beforeEach(() => {
  sts = new STSClient({ region: 'us-east-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })
  mock = mockClient(sts)
  clock = Date.parse('2026-11-25T10:00:00Z')
  issued = 0
  mock.on(GetCallerIdentityCommand).resolves({ Account: OWN })
  mock.on(AssumeRoleCommand).callsFake(async () => ({
    Credentials: { AccessKeyId: `AKIA${++issued}`, SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock + HOUR) },
  }))
})

const resolver = (externalId = '') => createCredentialsResolver({
  sts, memberRoleName: 'OuroborosSchedulerMember', externalId, region: 'us-east-1', now: () => clock, backoff: { sleep: async () => {} },
})

describe('credentials', () => {
  it('uses the app\'s own credentials for its own account, asking STS who it is only once', async () => {
    const r = resolver()
    expect(await r.forAccount(OWN, 'web')).toEqual({ accountId: OWN, own: true })
    await r.forAccount(OWN, 'web')
    expect(mock.commandCalls(GetCallerIdentityCommand)).toHaveLength(1)
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(0)
  })

  it('assumes the member role with the rule\'s session name and the external id', async () => {
    const access = await resolver('ext-42').forAccount(MEMBER, 'web-stop')
    expect(access).toMatchObject({ own: false, roleArn: `arn:aws:iam::${MEMBER}:role/OuroborosSchedulerMember`, credentials: { accessKeyId: 'AKIA1' } })
    expect(mock.commandCalls(AssumeRoleCommand)[0]!.args[0].input).toEqual({
      RoleArn: `arn:aws:iam::${MEMBER}:role/OuroborosSchedulerMember`,
      RoleSessionName: 'ouroboros-web-stop',
      DurationSeconds: 3600,
      ExternalId: 'ext-42',
    })
  })

  it('leaves ExternalId out when none is configured', async () => {
    await resolver('').forAccount(MEMBER, 'web')
    expect(mock.commandCalls(AssumeRoleCommand)[0]!.args[0].input).not.toHaveProperty('ExternalId')
  })

  it('shares one AssumeRole among concurrent callers, e.g. the regions of one run', async () => {
    const r = resolver()
    const all = await Promise.all(['us-east-1', 'eu-west-1', 'ap-south-1'].map(() => r.forAccount(MEMBER, 'web')))
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(1)
    expect(new Set(all.map(a => a.credentials?.accessKeyId))).toEqual(new Set(['AKIA1']))
  })

  it('reuses credentials until 15 minutes before they expire (longer than any run), then assumes the role again', async () => {
    const r = resolver()
    await r.forAccount(MEMBER, 'web')
    clock += HOUR - 15 * 60_000 - 1
    expect((await r.forAccount(MEMBER, 'web')).credentials?.accessKeyId).toBe('AKIA1')
    clock += 1
    expect((await r.forAccount(MEMBER, 'web')).credentials?.accessKeyId).toBe('AKIA2')
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(2)
  })

  it('reports a role that cannot be assumed, and tries again on the next run', async () => {
    mock.on(AssumeRoleCommand).rejectsOnce(Object.assign(new Error('not authorized to perform: sts:AssumeRole'), { name: 'AccessDenied' }))
    const r = resolver()
    const failed = r.forAccount(MEMBER, 'web')
    await expect(failed).rejects.toBeInstanceOf(AssumeRoleDenied)
    await expect(failed).rejects.toThrow(`could not assume arn:aws:iam::${MEMBER}:role/OuroborosSchedulerMember (account ${MEMBER}): AccessDenied: not authorized`)
    expect(mock.commandCalls(AssumeRoleCommand)).toHaveLength(1)
  })

  it('retries a throttled AssumeRole', async () => {
    mock.on(AssumeRoleCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
      .resolves({ Credentials: { AccessKeyId: 'AKIAX', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date(clock + HOUR) } })
    expect((await resolver().forAccount(MEMBER, 'web')).credentials?.accessKeyId).toBe('AKIAX')
  })

  it('reports an unreadable own identity and asks again next time', async () => {
    mock.on(GetCallerIdentityCommand)
      .rejectsOnce(Object.assign(new Error('The security token included in the request is invalid'), { name: 'InvalidClientTokenId' }))
      .resolves({ Account: OWN })
    const r = resolver()
    await expect(r.forAccount(MEMBER, 'web')).rejects.toBeInstanceOf(IdentityUnavailable)
    expect(await r.ownAccountId()).toBe(OWN)
  })
})

describe('names', () => {
  it.each([
    ['web', 'ouroboros-web'],
    ['a'.repeat(64), `ouroboros-${'a'.repeat(54)}`],
    ['dots.and_under-scores', 'ouroboros-dots.and_under-scores'],
  ])('session name of rule %s is %s', (rule, expected) => {
    expect(roleSessionName(rule)).toBe(expected)
    expect(roleSessionName(rule)).toMatch(/^[\w+=,.@-]{2,64}$/)
  })

  it.each([
    ['us-east-1', 'arn:aws:iam::222222222222:role/R'],
    ['cn-north-1', 'arn:aws-cn:iam::222222222222:role/R'],
    ['us-gov-west-1', 'arn:aws-us-gov:iam::222222222222:role/R'],
  ])('role ARN in the partition of %s', (region, arn) => {
    expect(memberRoleArn(MEMBER, 'R', region)).toBe(arn)
  })
})
