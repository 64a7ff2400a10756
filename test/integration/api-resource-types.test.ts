// Resource types through the API of the built server (issue 16), with moto's RDS and Auto Scaling: a rule names its
// types and is answered with them, a stored rule without them is EC2 as before, bad input is a 400 with each field's
// issue code (never a 500), the preview lists every type, and a change is audited.
import { CreateDBInstanceCommand } from '@aws-sdk/client-rds'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { motoEndpoint, uniqueValue } from './helpers/ec2'
import { motoRds } from './helpers/resources'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-resource-types-0123456789'
let server: RunningServer
const call = apiClient(() => server.url, KEY)
const tag = uniqueValue('api')
const rule = (extra: Record<string, unknown>) => ({
  name: `types-${tag}`, accountId: '123456789012', regions: ['us-east-1'], action: 'stop', filters: `tag:app=${tag}`,
  scheduleExpression: 'cron(0 19 ? * MON-FRI *)', ...extra,
})

beforeAll(async () => {
  server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL: motoEndpoint() })
  await motoRds('us-east-1').send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: `db-${tag}`.replace(/[^a-z0-9-]/g, ''), DBInstanceClass: 'db.t3.micro', Engine: 'mysql', AllocatedStorage: 20,
    MasterUsername: 'admin', MasterUserPassword: 'not-a-secret-1', Tags: [{ Key: 'app', Value: tag }],
  }))
})
afterAll(async () => {
  if (server) await stopAndClean(server)
})

describe('a rule\'s resource types over HTTP', () => {
  it.each([
    ['an empty resourceTypes', { resourceTypes: [] }, 'resourceTypes', 'rule.resourceTypes.empty'],
    ['an unknown type', { resourceTypes: ['ecs'] }, 'resourceTypes.0', 'rule.resourceTypes.choice'],
    ['a key of another type', { resourceTypes: ['asg'], filters: 'engine=mysql' }, 'filters', 'filter.key.wrongType'],
    ['a type key in a rule of several types', { resourceTypes: ['rds', 'asg'], filters: 'asg-name=web' }, 'filters', 'filter.key.sharedOnly'],
  ])('refuses %s with a 400 at its field', async (_, extra, path, code) => {
    const res = await call('POST', '/api/rules', rule(extra))
    expect(res.status).toBe(400)
    expect(res.body.data.issues).toEqual([expect.objectContaining({ path, code })])
  })

  it('stores the types, answers them, previews every type and audits the change', async () => {
    const created = await call('POST', '/api/rules', rule({ resourceTypes: ['rds', 'asg'] }))
    expect(created.status).toBe(201)
    expect(created.body.resourceTypes).toEqual(['rds', 'asg'])
    const plain = await call('POST', '/api/rules', rule({ name: `plain-${tag}` }))
    expect(plain.body.resourceTypes).toBeUndefined()

    const preview = await call('POST', '/api/preview', { accountId: '123456789012', regions: ['us-east-1'], action: 'stop', filters: `tag:app=${tag}`, resourceTypes: ['rds', 'asg'] })
    expect(preview.status).toBe(200)
    expect(preview.body.targets).toEqual([expect.objectContaining({ resourceType: 'rds', engine: 'mysql', outcome: 'would-stop' })])
    expect(preview.body.resourceTypes).toEqual(['rds', 'asg'])

    const audit = await call('GET', `/api/audit?rule=types-${tag}`)
    expect(audit.body.items.map((i: { route: string }) => i.route)).toContain('POST /api/rules')
  })

  it('refuses a change without a key', async () => {
    expect((await call('POST', '/api/rules', rule({ name: `nokey-${tag}`, resourceTypes: ['rds'] }), null)).status).toBe(401)
  })
})
