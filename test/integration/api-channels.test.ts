// Notification channels through the API of the built server. Without NUXT_NOTIFY_ALLOW_PRIVATE: bad input answers
// 400 at its field (an http URL, a private or metadata address, an unknown event or rule, a non-SNS ARN), a channel's
// URL and secret are answered once and never again, nor found in the audit trail or the app's log. With it, as in the
// sandbox: a test notice reaches a receiver on loopback and answers what it answered, and a run's notification is
// delivered and shown on the run.
import { createHmac } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { motoEndpoint, OWN_ACCOUNT, uniqueValue } from './helpers/ec2'
import { apiClient } from './helpers/http'
import { startServer, stopAndClean } from './helpers/server'
import type { RunningServer } from './helpers/server'

const KEY = 'test-admin-key-channels-0123456789'
// A public address written as such: no DNS lookup leaves the machine, and nothing listens there.
const SECRET_PATH = '/hooks/T0123/B0456/verysecretpathtoken'
const PUBLIC_URL = `https://203.0.113.10${SECRET_PATH}`
const SECRET = 'a-signing-secret-nobody-else-knows'

describe('channels API, private addresses refused', () => {
  let server: RunningServer
  const call = apiClient(() => server.url, KEY)

  beforeAll(async () => {
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL_EC2: motoEndpoint(), AWS_ENDPOINT_URL_STS: motoEndpoint() })
    expect((await call('POST', '/api/rules', {
      name: 'web-stop', accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: 'tag:app=web', scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    })).status).toBe(201)
  })
  afterAll(async () => {
    if (server) await stopAndClean(server)
  })

  it('needs an admin key to list or change channels', async () => {
    expect((await call('GET', '/api/channels', undefined, null)).status).toBe(401)
    expect((await call('POST', '/api/channels', { name: 'x', type: 'webhook', url: PUBLIC_URL }, null)).status).toBe(401)
  })

  it.each([
    ['an http URL', { type: 'webhook', url: 'http://203.0.113.10/hook' }, 'url', 'channel.url.https'],
    ['a private address', { type: 'slack', url: 'https://10.1.2.3/hook' }, 'url', 'channel.url.private'],
    ['loopback', { type: 'teams', url: 'https://127.0.0.1:8443/hook' }, 'url', 'channel.url.private'],
    ['the metadata address', { type: 'webhook', url: 'https://169.254.169.254/latest/meta-data/' }, 'url', 'channel.url.private'],
    ['an unknown event', { type: 'webhook', url: PUBLIC_URL, events: ['run.failed', 'run.on-fire'] }, 'events.1', 'channel.events.unknown'],
    ['an unknown rule', { type: 'webhook', url: PUBLIC_URL, rules: ['web-stop', 'no-such-rule'] }, 'rules.1', 'channel.rules.unknown'],
    ['an ARN that is not an SNS topic', { type: 'sns', topicArn: 'arn:aws:sqs:us-east-1:123456789012:queue' }, 'topicArn', 'channel.topicArn.format'],
  ])('answers 400 for %s, at its field', async (_what, body, path, code) => {
    const res = await call('POST', '/api/channels', { name: 'bad', ...body })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.data.issues).toEqual([expect.objectContaining({ path, code, message: expect.any(String) })])
    expect((await call('GET', '/api/channels')).body.items.map((c: { name: string }) => c.name)).not.toContain('bad')
  })

  it('says which kind of address the metadata service is', async () => {
    const res = await call('POST', '/api/channels', { name: 'bad', type: 'webhook', url: 'https://[fd00:ec2::254]/x' })
    expect(res.body.data.issues[0].params).toMatchObject({ kind: 'metadata', address: 'fd00:ec2::254' })
  })

  it('answers the URL and secret once, masked ever after, and never in the audit trail or the log', async () => {
    const created = await call('POST', '/api/channels', { name: 'ops', type: 'webhook', url: PUBLIC_URL, secret: SECRET, rules: ['web-stop'] })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    expect(created.body).toMatchObject({
      name: 'ops', type: 'webhook', url: 'https://203.0.113.10/…/oken', hasSecret: true, events: ['run.failed', 'run.partial', 'instance.failed'],
      rules: ['web-stop'], enabled: true, version: 1, secrets: { url: PUBLIC_URL, secret: SECRET },
    })
    const generated = await call('POST', '/api/channels', { name: 'team', type: 'slack', url: `https://203.0.113.11${SECRET_PATH}2` })
    expect(generated.status).toBe(201)
    expect(generated.body.secrets).toEqual({ url: `https://203.0.113.11${SECRET_PATH}2` })

    const listed = await call('GET', '/api/channels')
    expect(listed.body.items.map((c: { name: string }) => c.name)).toEqual(['ops', 'team'])
    const replaced = await call('PUT', '/api/channels/ops', { ...listed.body.items[0], events: ['run.failed'] })
    expect(replaced.status, JSON.stringify(replaced.body)).toBe(200)
    expect(replaced.body).toMatchObject({ url: 'https://203.0.113.10/…/oken', events: ['run.failed'], version: 2 })
    expect((await call('PUT', '/api/channels/ops', { ...listed.body.items[0] })).status).toBe(409)

    const audit = await call('GET', '/api/audit')
    const trail = JSON.stringify(audit.body)
    expect(trail).toContain('created webhook channel ops')
    expect(trail).toContain('replaced webhook channel ops')
    for (const text of [JSON.stringify((await call('GET', '/api/channels')).body), trail, server.output()]) {
      expect(text).not.toContain(SECRET)
      expect(text).not.toContain(SECRET_PATH)
      expect(text).not.toContain('verysecretpathtoken')
    }
  })

  it('deletes a channel, answering it without secrets', async () => {
    expect((await call('POST', '/api/channels', { name: 'gone', type: 'eventbridge' })).status).toBe(201)
    const deleted = await call('DELETE', '/api/channels/gone')
    expect(deleted.body).toMatchObject({ name: 'gone', type: 'eventbridge', busName: 'default' })
    expect((await call('DELETE', '/api/channels/gone')).status).toBe(404)
    expect((await call('POST', '/api/channels/gone/test')).status).toBe(404)
  })
})

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

describe('channels API, private addresses allowed (tests and the sandbox)', () => {
  let server: RunningServer
  let receiver: Server
  let receiverUrl = ''
  const received: Received[] = []
  const call = apiClient(() => server.url, KEY)

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        received.push({ headers: req.headers, body })
        if (req.url?.startsWith('/refuse')) res.writeHead(400).end('unknown hook')
        else res.writeHead(200).end('thanks')
      })
    })
    await new Promise<void>(ok => receiver.listen(0, '127.0.0.1', ok))
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
    server = await startServer({ NUXT_ADMIN_API_KEY: KEY, AWS_ENDPOINT_URL_EC2: motoEndpoint(), AWS_ENDPOINT_URL_STS: motoEndpoint(), NUXT_NOTIFY_ALLOW_PRIVATE: 'true' })
  })
  afterAll(async () => {
    receiver?.close()
    if (server) await stopAndClean(server)
  })

  it('sends a test notice, signed, and answers what the receiver answered', async () => {
    const created = await call('POST', '/api/channels', { name: 'local', type: 'webhook', url: `${receiverUrl}/ok/${SECRET_PATH}` })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    const answer = await call('POST', '/api/channels/local/test')
    expect(answer.status).toBe(200)
    expect(answer.body).toMatchObject({ ok: true, httpStatus: 200, body: 'thanks', attempts: 1 })
    const got = received.at(-1)!
    expect(got.headers['x-ouroboros-event']).toBe('channel.test')
    expect(got.headers['x-ouroboros-delivery']).toBe(answer.body.deliveryId)
    expect(got.headers['x-ouroboros-signature']).toBe(`sha256=${createHmac('sha256', created.body.secrets.secret).update(got.body).digest('hex')}`)
    expect(server.output()).not.toContain(created.body.secrets.secret)
  })

  it('answers a refusing receiver\'s status and body', async () => {
    expect((await call('POST', '/api/channels', { name: 'refusing', type: 'slack', url: `${receiverUrl}/refuse` })).status).toBe(201)
    const answer = await call('POST', '/api/channels/refusing/test')
    expect(answer.body).toMatchObject({ ok: false, httpStatus: 400, body: 'unknown hook' })
    expect(JSON.parse(received.at(-1)!.body)).toMatchObject({ blocks: expect.any(Array), text: expect.stringContaining('test') })
  })

  it('delivers a run\'s notification once, and shows the delivery on the run', async () => {
    const name = uniqueValue('notify')
    expect((await call('POST', '/api/rules', {
      name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: `tag:app=${name}`, scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    })).status).toBe(201)
    expect((await call('POST', '/api/channels', { name: 'runs', type: 'webhook', url: `${receiverUrl}/runs`, events: ['run.nothing-to-do'], rules: [name] })).status).toBe(201)
    const before = received.length
    const run = await call('POST', `/api/rules/${name}/run`, {})
    expect(run.status, JSON.stringify(run.body)).toBe(201)
    expect(run.body.status).toBe('nothing-to-do')
    const detail = await call('GET', `/api/logs/${run.body.eventId}`)
    expect(detail.body.notifications).toEqual([expect.objectContaining({ channel: 'runs', type: 'webhook', event: 'run.nothing-to-do', status: 'delivered', attempts: 1, httpStatus: 200 })])
    const sent = received.slice(before)
    expect(sent).toHaveLength(1)
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ event: 'run.nothing-to-do', rule: name, eventId: run.body.eventId, status: 'nothing-to-do' })
  })

  it('tells a channel of override events when an override is made through the API and ended early, once each', async () => {
    expect((await call('POST', '/api/channels', { name: 'overrides', type: 'webhook', url: `${receiverUrl}/overrides`, events: ['override.created', 'override.ended'] })).status).toBe(201)
    const before = received.length
    const until = new Date(Date.now() + 86_400_000).toISOString()
    const made = await call('POST', '/api/overrides', { accountId: OWN_ACCOUNT, region: 'us-east-1', instanceId: 'i-0123456789abcdef0', until, reason: 'load test' })
    expect(made.status, JSON.stringify(made.body)).toBe(201)
    expect((await call('DELETE', `/api/overrides/${made.body.id}`)).status).toBe(200)
    const sent = received.slice(before).filter(r => r.headers['x-ouroboros-event']?.toString().startsWith('override.'))
    expect(sent.map(r => r.headers['x-ouroboros-event'])).toEqual(['override.created', 'override.ended'])
    expect(JSON.parse(sent[0]!.body)).toMatchObject({ event: 'override.created', status: 'created', override: { id: made.body.id, instanceId: 'i-0123456789abcdef0', until: made.body.until, reason: 'load test' } })
    expect(JSON.parse(sent[1]!.body).message).toContain('ended early by key')
  })

  it('sends no schedule.drift for a reconcile that repaired nothing', async () => {
    expect((await call('POST', '/api/channels', { name: 'drift', type: 'webhook', url: `${receiverUrl}/drift`, events: ['schedule.drift'] })).status).toBe(201)
    const before = received.length
    const report = await call('POST', '/api/admin/reconcile')
    expect(report.status, JSON.stringify(report.body)).toBe(200)
    expect(report.body).toMatchObject({ created: [], updated: [], deleted: [] })
    expect(received.slice(before).filter(r => r.headers['x-ouroboros-event'] === 'schedule.drift')).toEqual([])
  })

  it('turns a channel off with PUT, keeping its URL and secret, and it then receives nothing', async () => {
    const name = uniqueValue('quiet')
    expect((await call('POST', '/api/rules', {
      name, accountId: OWN_ACCOUNT, regions: ['us-east-1'], action: 'stop', filters: `tag:app=${name}`, scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    })).status).toBe(201)
    const created = await call('POST', '/api/channels', { name: 'quiet', type: 'webhook', url: `${receiverUrl}/quiet`, events: ['run.nothing-to-do'], rules: [name] })
    const { secrets: _s, ...view } = created.body
    const off = await call('PUT', '/api/channels/quiet', { ...view, url: undefined, hasSecret: undefined, createdAt: undefined, updatedAt: undefined, enabled: false })
    expect(off.status, JSON.stringify(off.body)).toBe(200)
    expect(off.body).toMatchObject({ enabled: false, version: 2, hasSecret: true, url: created.body.url })
    const before = received.length
    const run = await call('POST', `/api/rules/${name}/run`, {})
    expect((await call('GET', `/api/logs/${run.body.eventId}`)).body.notifications).toBeUndefined()
    expect(received.length).toBe(before)
    // On again, with the version it read: the stored secret still signs.
    expect((await call('PUT', '/api/channels/quiet', { name: 'quiet', type: 'webhook', events: ['run.nothing-to-do'], rules: [name], enabled: true, version: 2 })).status).toBe(200)
    const answer = await call('POST', '/api/channels/quiet/test')
    const got = received.at(-1)!
    expect(got.headers['x-ouroboros-signature']).toBe(`sha256=${createHmac('sha256', created.body.secrets.secret).update(got.body).digest('hex')}`)
    expect(answer.body.ok).toBe(true)
  })
})
