// GET /api/setup/member-role, against the built server: admin keys only, a readable 400 for a wrong account id,
// and the role ARN, template and commands filled in for the account asked for; ready only where the hub role is known.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { newAccountId } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-member-role-0123456789'
const HUB_ROLE = 'arn:aws:iam::111122223333:role/ouroboros-hub-FunctionRole-ABC123'
const EXTERNAL_ID = 'ouroboros-ext-7f3a9c'
let local: RunningServer
let hub: RunningServer

const call = apiClient(() => local.url, KEY)
const callHub = apiClient(() => hub.url, KEY)
const setupPath = (accountId: string) => `/api/setup/member-role?accountId=${encodeURIComponent(accountId)}`

beforeAll(async () => {
  // Local dev: no hub role (an empty NUXT_HUB_ROLE_ARN, whatever the test runner's environment holds).
  local = await startServer({ NUXT_ADMIN_API_KEY: KEY, NUXT_HUB_ROLE_ARN: '' })
  // As the deployed stack runs it: infra/hub.yaml sets the hub role and the ExternalId.
  hub = await startServer({ NUXT_ADMIN_API_KEY: KEY, NUXT_HUB_ROLE_ARN: HUB_ROLE, NUXT_EXTERNAL_ID: EXTERNAL_ID })
})
afterAll(async () => {
  if (local) await stopAndClean(local)
  if (hub) await stopAndClean(hub)
})

describe('GET /api/setup/member-role', () => {
  it('answers admin keys only: 401 without a key or with a wrong one, 403 for a read key', async () => {
    const path = setupPath(newAccountId())
    expect((await call('GET', path, undefined, null)).status).toBe(401)
    expect((await call('GET', path, undefined, 'not-a-key')).status).toBe(401)
    const reader = await call('POST', '/api/keys', { name: 'member-role-reader', scope: 'read' })
    expect(reader.status).toBe(201)
    const refused = await call('GET', path, undefined, reader.body.key)
    expect(refused.status).toBe(403)
    expect(refused.body.statusMessage).toContain('admin scope')
    expect(JSON.stringify(refused.body)).not.toContain('commands')
  })

  it.each([
    ['too short', '12345'],
    ['13 digits', '1234567890123'],
    ['letters', 'abcdefghijkl'],
    ['dashes, as the console shows it', '1234-5678-9012'],
    ['empty', ''],
  ])('refuses an account id that is %s with a 400 naming the field', async (_case, accountId) => {
    const res = await call('GET', setupPath(accountId))
    expect(res.status).toBe(400)
    expect(res.body.statusMessage).toContain('accountId must be a 12-digit AWS account id')
    expect(res.body.data.issues).toEqual([{ path: 'accountId', code: 'setup.accountId.digits', params: {}, message: 'accountId must be a 12-digit AWS account id' }])
  })

  it('refuses a request without an account id, saying it is required', async () => {
    const res = await call('GET', '/api/setup/member-role')
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([{ path: 'accountId', code: 'setup.accountId.required', params: {}, message: 'accountId is required' }])
  })

  it('answers the role and the commands for that account, not ready locally: the hub role is a placeholder', async () => {
    const accountId = newAccountId()
    const res = await call('GET', setupPath(accountId))
    expect(res.status).toBe(200)
    const setup = res.body
    expect(setup).toMatchObject({
      accountId,
      roleName: 'OuroborosSchedulerMember',
      roleArn: `arn:aws:iam::${accountId}:role/OuroborosSchedulerMember`,
      hubRoleArn: null,
      ready: false,
    })
    const { cloudformation, iam, stackSet } = setup.commands
    expect(iam).toHaveLength(3)
    expect(stackSet).toHaveLength(2)
    // The hub role is not known here: every command that names it holds the same placeholder instead.
    for (const command of [cloudformation, iam[0], stackSet[0]]) expect(command).toContain('<hub Lambda role ARN')
    expect(cloudformation).toContain('--template-file member-account.json')
    expect(cloudformation).toContain('RoleName=OuroborosSchedulerMember')
    expect(iam[0]).toMatch(/^aws iam create-role --role-name OuroborosSchedulerMember /)
    // The permissions are scoped to this account's instances and keys.
    expect(iam[1]).toContain(`arn:aws:ec2:*:${accountId}:instance/*`)
    expect(iam[1]).toContain(`arn:aws:kms:*:${accountId}:key/*`)
    expect(stackSet[1]).toContain('--regions us-east-1')

    const template = JSON.parse(setup.template)
    expect(Object.keys(template.Parameters)).toEqual(['HubRoleArn', 'ExternalId', 'RoleName', 'ManagedByTagKey', 'ManagedByTagValue'])
    expect(template.Resources.MemberRole.Type).toBe('AWS::IAM::Role')
    // The managed-by tag condition is there only when its key is set (empty by default).
    expect(template.Parameters.ManagedByTagKey.Default).toBe('')
    expect(template.Resources.ManagedByTagScope).toMatchObject({ Type: 'AWS::IAM::Policy', Condition: 'ScopedByManagedByTag' })
  })

  it('fills in the hub role and the ExternalId where the server knows them, and says ready', async () => {
    const accountId = newAccountId()
    const res = await callHub('GET', setupPath(accountId))
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ accountId, hubRoleArn: HUB_ROLE, externalId: EXTERNAL_ID, ready: true })
    const { cloudformation, iam, stackSet } = res.body.commands
    expect(cloudformation).toContain(`HubRoleArn=${HUB_ROLE} ExternalId=${EXTERNAL_ID}`)
    expect(stackSet[0]).toContain(`ParameterKey=HubRoleArn,ParameterValue=${HUB_ROLE}`)
    // The trust policy of the IAM CLI command, as the shell passes it: the hub role, with the ExternalId.
    const trust = JSON.parse(/--assume-role-policy-document '(.*)'$/.exec(iam[0])![1]!)
    expect(trust.Statement).toEqual([{
      Effect: 'Allow',
      Principal: { AWS: HUB_ROLE },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
    }])
    for (const command of [cloudformation, ...iam, ...stackSet]) expect(command).not.toContain('<hub Lambda role ARN')
  })
})
