// The organization's tree for the rule dialog (GET /api/organization/units) and what a rule over units reaches in
// the rules list (issue 15), against the built server with AWS Organizations, STS and EC2 on moto.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { OrganizationsClient } from '@aws-sdk/client-organizations'
import { createOrganizationTree } from '../../server/utils/organizations/tree'
import { createOrganizationsResolver } from '../../server/utils/organizations/resolver'
import { createUnitStore } from '../../server/utils/organizations/unit-store'
import { embeddedStore } from './helpers/stores'
import { organizationsClient } from '../../server/utils/aws/organizations'
import { motoEndpoint, motoSts, uniqueValue } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { createTestOrganization } from './helpers/organization'
import type { TestOrganization } from './helpers/organization'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-organization-0123456789'
let org: TestOrganization
let server: RunningServer
let noRole: RunningServer
const call = apiClient(() => server.url, KEY)
const callNoRole = apiClient(() => noRole.url, KEY)

beforeAll(async () => {
  org = await createTestOrganization(
    { dev: null, team: 'dev', prod: null, alpha: 'dev', beta: 'dev', gamma: 'dev' },
    { a1: 'dev', a2: 'team', p1: 'prod' },
  )
  const moto = { AWS_ENDPOINT_URL_STS: motoEndpoint(), AWS_ENDPOINT_URL_ORGANIZATIONS: motoEndpoint(), AWS_ENDPOINT_URL_EC2: motoEndpoint() }
  ;[server, noRole] = await Promise.all([
    startServer({ NUXT_ADMIN_API_KEY: KEY, NUXT_ORGANIZATION_ROLE_ARN: org.roleArn, ...moto }),
    startServer({ NUXT_ADMIN_API_KEY: KEY, NUXT_ORGANIZATION_ROLE_ARN: '', ...moto }),
  ])
})
afterAll(async () => {
  await Promise.all([server, noRole].filter(Boolean).map(s => stopAndClean(s)))
})

describe('GET /api/organization/units', () => {
  it('answers the roots, then the units beneath each parent, in name order with their parents', async () => {
    const roots = await call('GET', '/api/organization/units')
    expect(roots.status).toBe(200)
    expect(roots.body).toMatchObject({ parentId: null, units: [{ id: org.root, name: 'Root', parentId: null }] })

    const top = await call('GET', `/api/organization/units?parent=${org.root}`)
    expect(top.body.units).toEqual([
      { id: org.units.dev, name: 'dev', parentId: org.root },
      { id: org.units.prod, name: 'prod', parentId: org.root },
    ])
    const dev = await call('GET', `/api/organization/units?parent=${org.units.dev}`)
    expect(dev.body.units.map((u: { name: string }) => u.name)).toEqual(['alpha', 'beta', 'gamma', 'team'])
    expect(dev.body.units.every((u: { parentId: string }) => u.parentId === org.units.dev)).toBe(true)
    expect(Date.parse(dev.body.readAt)).not.toBeNaN()
  })

  it('answers admin keys only, and a 400 naming the field for a parent that is no unit id', async () => {
    expect((await call('GET', '/api/organization/units', undefined, null)).status).toBe(401)
    const reader = await call('POST', '/api/keys', { name: `org-reader-${uniqueValue()}`, scope: 'read' })
    expect((await call('GET', '/api/organization/units', undefined, reader.body.key)).status).toBe(403)

    const bad = await call('GET', '/api/organization/units?parent=not-an-ou')
    expect(bad.status).toBe(400)
    expect(bad.body.data.issues).toEqual([expect.objectContaining({ path: 'parent', code: 'rule.organizationalUnits.format' })])
  })

  it('answers 409 OrganizationRoleMissing when no organization role is set', async () => {
    const res = await callNoRole('GET', '/api/organization/units')
    expect(res.status).toBe(409)
    expect(res.body.data.error).toBe('OrganizationRoleMissing')
    expect(res.body.statusMessage).toContain('NUXT_ORGANIZATION_ROLE_ARN')
  })

  it('answers 503 OrganizationUnavailable when AWS Organizations refuses', async () => {
    // A well-formed unit that does not exist: Organizations answers ParentNotFoundException.
    const res = await call('GET', '/api/organization/units?parent=ou-zzzz-zzzzzzzz')
    expect(res.status).toBe(503)
    expect(res.body.data.error).toBe('OrganizationUnavailable')
    expect(res.body.statusMessage).toContain('ou-zzzz-zzzzzzzz')
  })
})

describe('the organization tree', () => {
  /** A tree over the organization role, a page of one unit at a time, its Organizations calls counted. */
  function pagedTree(clock: { now: number }) {
    const calls: string[] = []
    const tree = createOrganizationTree({
      now: () => clock.now,
      client: async () => {
        const client = await organizationsClient({ sts: motoSts(), roleArn: org.roleArn, externalId: '', region: 'us-east-1', endpoint: motoEndpoint() })
        const send = client.send.bind(client)
        client.send = ((command: { constructor: { name: string }, input: { MaxResults?: number } }, ...rest: unknown[]) => {
          calls.push(command.constructor.name)
          command.input.MaxResults = 1
          return (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)
        }) as OrganizationsClient['send']
        return client
      },
    })
    return { tree, calls }
  }

  it('pages through every unit beneath a parent, and reads it again only after 15 minutes', async () => {
    const clock = { now: Date.parse('2026-12-01T18:00:00Z') }
    const { tree, calls } = pagedTree(clock)
    const level = await tree.children(org.units.dev)
    expect(level.units.map(u => u.name)).toEqual(['alpha', 'beta', 'gamma', 'team'])
    // One unit a page: four pages (moto answers a token with the last one too, or not).
    const pages = calls.length
    expect(pages).toBeGreaterThanOrEqual(4)

    clock.now += 14 * 60_000
    expect((await tree.children(org.units.dev)).readAt).toBe(level.readAt)
    expect(calls).toHaveLength(pages)
    clock.now += 2 * 60_000
    await tree.children(org.units.dev)
    expect(calls.length).toBeGreaterThan(pages)
  })
})

describe('a unit\'s resolution in the store', () => {
  it('is shared by another process within 15 minutes, so it reads AWS Organizations once, and read again after', async () => {
    const store = await embeddedStore()
    try {
      const units = createUnitStore(store.store.doc, store.tables.logs)
      const clock = { now: Date.parse('2026-12-01T18:00:00Z') }
      let opened = 0
      // Two resolvers over one store: two Lambda containers.
      const resolver = () => createOrganizationsResolver({
        store: units,
        now: () => clock.now,
        client: async () => {
          opened++
          return organizationsClient({ sts: motoSts(), roleArn: org.roleArn, externalId: '', region: 'us-east-1', endpoint: motoEndpoint() })
        },
      })
      const first = await resolver().accountsUnder([org.units.dev!])
      expect([...first.accountIds].sort()).toEqual([org.accounts.a1, org.accounts.a2].sort())
      expect(first.resolvedAt).toBe('2026-12-01T18:00:00.000Z')
      expect((await units.read([org.units.dev!])).get(org.units.dev!)).toEqual({ accountIds: first.accountIds, at: clock.now })

      clock.now += 10 * 60_000
      expect(await resolver().accountsUnder([org.units.dev!])).toEqual(first)
      expect(opened).toBe(1)

      clock.now += 6 * 60_000
      const again = await resolver().accountsUnder([org.units.dev!])
      expect(opened).toBe(2)
      expect(again.resolvedAt).toBe(new Date(clock.now).toISOString())
    }
    finally {
      await store.cleanup()
    }
  })
})

describe('a rule over units in the rules list', () => {
  it('says how many accounts it reached and when, once a preview has resolved its units; an explicit rule says nothing more', async () => {
    const name = `org-reach-${uniqueValue()}`
    const created = await call('POST', '/api/rules', {
      name,
      organizationalUnits: [org.units.dev],
      excludeAccountIds: [org.accounts.a2!],
      accountIds: [org.accounts.p1!],
      regions: ['us-east-1'],
      action: 'stop',
      allInstances: true,
      scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    })
    expect(created.status).toBe(201)
    const explicit = `org-explicit-${uniqueValue()}`
    expect((await call('POST', '/api/rules', { name: explicit, accountIds: [org.accounts.a1!, org.accounts.p1!], action: 'stop', allInstances: true, scheduleExpression: 'cron(0 19 ? * MON-FRI *)' })).status).toBe(201)

    const listed = async () => (await call('GET', '/api/rules?limit=100')).body.items as { name: string, reach?: { accounts: number, resolvedAt: string } }[]
    expect((await listed()).find(r => r.name === name)).not.toHaveProperty('reach')

    const before = Date.now()
    const preview = await call('POST', '/api/preview', { organizationalUnits: [org.units.dev], regions: ['us-east-1'], action: 'stop', allInstances: true })
    expect(preview.status).toBe(200)

    const after = await listed()
    const reach = after.find(r => r.name === name)!.reach!
    // a1 and a2 beneath dev (a2 in team), less the excluded a2, and p1 of its own.
    expect(reach.accounts).toBe(2)
    expect(Date.parse(reach.resolvedAt)).toBeGreaterThanOrEqual(before - 1000)
    expect(after.find(r => r.name === explicit)).not.toHaveProperty('reach')
    // A change answers the rule as the list shows it, so the row keeps saying what it reaches.
    const patched = await call('PATCH', `/api/rules/${name}`, { enabled: false })
    expect(patched.body.reach).toEqual(reach)
  })
})
