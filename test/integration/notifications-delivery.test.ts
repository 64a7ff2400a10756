// Delivery of a run's notifications, on the embedded store, to receivers on loopback (the guard lifted as
// NUXT_NOTIFY_ALLOW_PRIVATE=true lifts it) and to moto's SNS and EventBridge: the signed webhook arrives once, 5xx and
// timeouts are retried with backoff (its sleep injected: no real waiting), a 4xx is not, a hanging receiver ends
// within the deadline as `pending` without touching the run's result, a redelivered run sends nothing new, and a
// pending delivery is sent by the retry. Beside the runs: a follow-up check's notice, a reconcile's drift and an
// override's start and end, each with delivery ids of its own; a disabled channel gets nothing; expired deliveries go.
import { createHmac, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import type { IncomingHttpHeaders, Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns'
import { CreateEventBusCommand, EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge'
import { CreateScheduleGroupCommand, GetScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler'
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LogEntry } from '../../shared/schemas/log'
import { runRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createNotificationsRepository } from '../../server/utils/notifications/repository'
import type { NotificationsRepository, StoredChannel } from '../../server/utils/notifications/repository'
import { notifyRun, notifySubject, retryPending, retryRun } from '../../server/utils/notifications/deliver'
import { deliveryIdOf } from '../../server/utils/notifications/payloads'
import { apiOverrideDetail, driftSubject, followUpSubject, overrideSubject, revertEndedSubject } from '../../server/utils/notifications/subjects'
import { eventBridgeRetryLater, localRetryLater, notifyScheduleName } from '../../server/utils/notifications/retry-later'
import { parseServerConfig } from '../../server/utils/config'
import type { NotifyDeps } from '../../server/utils/notifications/deliver'
import { createRulesRepository } from '../../server/utils/rules/repository'
import { motoEndpoint } from './helpers/ec2'
import { embeddedStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

interface Received {
  headers: IncomingHttpHeaders
  body: string
}

/** A receiver on loopback that answers each request with the next of `answers` (the last one repeats); 0 hangs. */
async function receiver(answers: number[]): Promise<{ url: string, received: Received[], server: Server }> {
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c) => {
      body += c
    })
    req.on('end', () => {
      received.push({ headers: req.headers, body })
      const status = answers[Math.min(received.length - 1, answers.length - 1)]!
      if (status === 0) return
      res.writeHead(status, { 'content-type': 'text/plain' }).end(status >= 400 ? `refused: status ${status} from the receiver` : 'ok')
    })
  })
  await new Promise<void>(ok => server.listen(0, '127.0.0.1', ok))
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook/s3cr3t-path`, received, server }
}

let store: TestStore
let repo: NotificationsRepository
const servers: Server[] = []
const quiet = { info: () => {}, warn: () => {} }
const SETTINGS = { allowPrivate: true, deadlineMs: 10_000, timeoutMs: 2000, attempts: 4, baseUrl: 'https://scheduler.example.com' }

const channel = (name: string, extra: Partial<StoredChannel>): StoredChannel => ({
  name, type: 'webhook', events: ['run.failed', 'run.partial', 'instance.failed'], rules: 'all', enabled: true,
  createdAt: '2026-12-01T00:00:00.000Z', updatedAt: '2026-12-01T00:00:00.000Z', version: 1, ...extra,
})

/** A failed run of its own rule: each test's channels are for that rule alone, so tests never see each other's. */
function failedRun(rule: string): LogEntry {
  return {
    eventId: randomUUID(), ruleName: rule, trigger: 'schedule', scheduledTime: null,
    startedAt: new Date().toISOString(), finishedAt: new Date().toISOString(),
    action: 'start', accountId: '111111111111', regions: ['eu-west-1'], filters: [], status: 'failed', message: 'every start failed',
    targets: [{ instanceId: 'i-0123456789abcdef1', region: 'eu-west-1', outcome: 'failed', reason: 'went back to stopped' }],
    counts: { total: 1, acted: 0, skipped: 0, failed: 1 },
  }
}

function deps(extra: Partial<NotifyDeps> = {}): NotifyDeps & { slept: number[] } {
  const slept: number[] = []
  return {
    repository: repo, settings: SETTINGS, retentionDays: 90, region: 'us-east-1', logger: quiet,
    sleep: async (ms) => {
      slept.push(ms)
    },
    random: () => 0.5,
    ...extra,
    slept,
  }
}

async function webhookFor(rule: string, answers: number[], extra: Partial<StoredChannel> = {}) {
  const r = await receiver(answers)
  servers.push(r.server)
  const c = channel(`${rule}-hook`, { url: r.url, secret: 'a-signing-secret-of-the-test', rules: [rule], ...extra })
  await repo.create(c)
  return { ...r, channel: c }
}

beforeAll(async () => {
  store = await embeddedStore()
  repo = createNotificationsRepository(store.store.doc, store.tables.notifications)
})

afterAll(async () => {
  for (const s of servers) s.close()
  await store.cleanup()
})

describe('webhook delivery', () => {
  it('arrives once with the event, the delivery id and a signature that verifies with the secret', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200])
    const run = failedRun(rule)
    const [made] = await notifyRun(deps(), run)
    expect(made).toMatchObject({ channel: hook.channel.name, event: 'run.failed', status: 'delivered', attempts: 1, httpStatus: 200 })
    expect(hook.received).toHaveLength(1)
    const { headers, body } = hook.received[0]!
    expect(headers['x-ouroboros-event']).toBe('run.failed')
    expect(headers['x-ouroboros-delivery']).toBe(made!.deliveryId)
    expect(headers['x-ouroboros-signature']).toBe(`sha256=${createHmac('sha256', 'a-signing-secret-of-the-test').update(body).digest('hex')}`)
    expect(JSON.parse(body)).toMatchObject({ event: 'run.failed', deliveryId: made!.deliveryId, rule, eventId: run.eventId, status: 'failed', url: `https://scheduler.example.com/runs/${run.eventId}` })
    expect(await repo.deliveriesOf(run.eventId)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })])
  })

  it('retries 500, 500 and delivers on the third attempt, with growing backoff', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [500, 500, 200])
    const d = deps()
    const [made] = await notifyRun(d, failedRun(rule))
    expect(made).toMatchObject({ status: 'delivered', attempts: 3, httpStatus: 200 })
    expect(hook.received).toHaveLength(3)
    expect(new Set(hook.received.map(r => r.headers['x-ouroboros-delivery'])).size).toBe(1)
    // Full jitter at 0.5 of 500 ms, then of 1000 ms.
    expect(d.slept).toEqual([250, 500])
  })

  it('does not retry a 400, and records what the receiver said', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [400, 200])
    const [made] = await notifyRun(deps(), failedRun(rule))
    expect(made).toMatchObject({ status: 'failed', attempts: 1, httpStatus: 400 })
    expect(made!.error).toContain('refused: status 400 from the receiver')
    expect(hook.received).toHaveLength(1)
  })

  it('retries a 429 and gives up after the configured attempts on a 503', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [429, 503])
    const [made] = await notifyRun(deps(), failedRun(rule))
    expect(made).toMatchObject({ status: 'failed', attempts: 4, httpStatus: 503 })
    expect(hook.received).toHaveLength(4)
  })

  it('sends nothing new for a redelivered run, and nothing to a channel of other rules or events', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200])
    const other = await webhookFor(`${rule}-other`, [200])
    const succeededOnly = await webhookFor(`${rule}-ok`, [200], { name: `${rule}-ok-hook`, rules: [rule], events: ['run.succeeded'] })
    const run = failedRun(rule)
    expect(await notifyRun(deps(), run)).toHaveLength(1)
    expect(await notifyRun(deps(), run)).toEqual([])
    expect(hook.received).toHaveLength(1)
    expect(other.received).toHaveLength(0)
    expect(succeededOnly.received).toHaveLength(0)
  })

  it('never calls the metadata address, even with private addresses allowed', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    await repo.create(channel(`${rule}-meta`, { url: 'http://169.254.169.254/latest/meta-data/', secret: 'x'.repeat(16), rules: [rule] }))
    const [made] = await notifyRun(deps(), failedRun(rule))
    expect(made).toMatchObject({ status: 'failed', attempts: 1 })
    expect(made!.error).toContain('metadata')
  })

  it('does not call loopback when private addresses are not allowed', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const r = await receiver([200])
    servers.push(r.server)
    const hook = await webhookFor(rule, [200], { url: r.url.replace('http:', 'https:') })
    const [made] = await notifyRun(deps({ settings: { ...SETTINGS, allowPrivate: false } }), failedRun(rule))
    expect(made).toMatchObject({ status: 'failed', attempts: 1 })
    expect(made!.error).toContain('loopback')
    expect(hook.received).toHaveLength(0)
  })
})

describe('the deadline', () => {
  it('ends a hanging receiver within the deadline as pending, leaves the run as it was, and the retry delivers it', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [0, 0, 200])
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
    const rules = createRulesRepository(store.store.doc, store.tables.rules)
    const tight = deps({ settings: { ...SETTINGS, deadlineMs: 400, timeoutMs: 150 }, sleep: async () => {} })
    const notified: unknown[] = []
    // A rule that no longer exists: the executor logs it failed without reaching AWS, then notifies.
    const executor = {
      rules, logs, execution: { memberRoleName: 'x', externalId: '', optOutTag: { key: 'k', value: 'v' }, batchSize: 10, concurrency: 1, verifyTimeoutSeconds: 0 },
      region: 'us-east-1', credentials: {} as never, ec2: (() => { throw new Error('no EC2 in this test') }) as never, logger: quiet,
      notify: async (entry: LogEntry) => notified.push(...await notifyRun(tight, entry)),
    } as unknown as ExecutorDeps
    const eventId = randomUUID()
    const entry = await runRule(executor, { rule, trigger: 'schedule', executionId: eventId, dryRun: false })
    expect(entry).toMatchObject({ eventId, status: 'failed', message: expect.stringContaining('no longer exists') })
    expect(await logs.get(eventId)).toEqual(entry)
    expect(notified).toEqual([expect.objectContaining({ status: 'pending', error: expect.stringContaining('timed out') })])
    const attemptsBefore = (notified[0] as { attempts: number }).attempts
    expect(attemptsBefore).toBeGreaterThanOrEqual(1)
    expect(await repo.pendingRuns()).toContain(eventId)

    // The reconcile's retry sends what was left, counting on from the attempts made: every request is one attempt.
    await retryPending(deps({ settings: { ...SETTINGS, timeoutMs: 150 } }), logs)
    const [after] = await repo.deliveriesOf(eventId)
    expect(after).toMatchObject({ status: 'delivered', attempts: hook.received.length })
    expect(after!.attempts).toBeGreaterThan(attemptsBefore)
    expect(await repo.pendingRuns()).not.toContain(eventId)
    expect(new Set(hook.received.map(r => r.headers['x-ouroboros-delivery'])).size).toBe(1)
  })

  it('hands what the deadline cut short to the retry path, which sends it once', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [0, 200])
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
    const run = failedRun(rule)
    await logs.put(run)
    let fired: Promise<unknown> | undefined
    const armed: string[] = []
    const later = localRetryLater(async (eventId) => {
      fired = retryRun(deps(), logs, eventId)
      return fired
    }, 10)
    const tight = deps({ settings: { ...SETTINGS, deadlineMs: 300, timeoutMs: 200 }, retryLater: async (id) => {
      armed.push(id)
      await later(id)
    } })
    expect(await notifyRun(tight, run)).toEqual([expect.objectContaining({ status: 'pending' })])
    expect(armed).toEqual([run.eventId])
    await expect.poll(() => fired, { timeout: 5000 }).toBeDefined()
    await fired
    expect(await repo.deliveriesOf(run.eventId)).toEqual([expect.objectContaining({ status: 'delivered', attempts: 2 })])
    expect(hook.received).toHaveLength(2)
  })

  it('arms a one-time EventBridge schedule that invokes the Lambda with the run\'s event id (moto)', async () => {
    const client = new SchedulerClient({ region: 'us-east-1', endpoint: motoEndpoint() })
    const group = `n${randomUUID().slice(0, 8)}`
    const settings = parseServerConfig({ schedulerGroup: group, scheduler: 'eventbridge', store: 'embedded', schedulerTargetArn: 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros', schedulerRoleArn: 'arn:aws:iam::123456789012:role/scheduler' }, { AWS_REGION: 'us-east-1' }).scheduler
    await client.send(new CreateScheduleGroupCommand({ Name: settings.revertGroup }))
    const at = new Date('2026-12-01T19:00:00.000Z')
    const retry = eventBridgeRetryLater(client, settings, () => at)
    await retry('run-42')
    // Armed twice (two deliveries of the run cut short): one schedule, which sends them all.
    await retry('run-42')
    const schedule = await client.send(new GetScheduleCommand({ Name: notifyScheduleName('run-42'), GroupName: settings.revertGroup }))
    expect(schedule.ScheduleExpression).toBe('at(2026-12-01T19:01:00)')
    expect(schedule.ActionAfterCompletion).toBe('DELETE')
    expect(JSON.parse(schedule.Target!.Input!)).toEqual({ kind: 'ouroboros.notify', eventId: 'run-42' })
    client.destroy()
  })

  it('sends nothing new when the executor gets the same run again (a redelivery answers its log and notifies once)', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200])
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
    const rules = createRulesRepository(store.store.doc, store.tables.rules)
    const made: unknown[][] = []
    const executor = {
      rules, logs, execution: {}, region: 'us-east-1', logger: quiet,
      notify: async (entry: LogEntry) => made.push(await notifyRun(deps(), entry)),
    } as unknown as ExecutorDeps
    const payload = { rule, trigger: 'schedule' as const, executionId: randomUUID(), dryRun: false }
    const first = await runRule(executor, payload)
    const second = await runRule(executor, payload)
    expect(second).toEqual(first)
    expect(made.map(m => m.length)).toEqual([1, 0])
    expect(hook.received).toHaveLength(1)
  })

  it('a failing notifier does not fail the run', async () => {
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
    const rules = createRulesRepository(store.store.doc, store.tables.rules)
    const executor = {
      rules, logs, execution: {}, region: 'us-east-1', logger: quiet,
      notify: async () => {
        throw new Error('the notifications table is gone')
      },
    } as unknown as ExecutorDeps
    const entry = await runRule(executor, { rule: 'gone', trigger: 'manual', executionId: randomUUID(), dryRun: false })
    expect(entry.status).toBe('failed')
  })
})

describe('sns and eventbridge on moto', () => {
  const sqs = new SQSClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const sns = new SNSClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  const events = new EventBridgeClient({ region: 'us-east-1', endpoint: motoEndpoint() })
  // The app's senders use the SDK's own settings: point them at moto as AWS_ENDPOINT_URL does for the app.
  const awsDeps = async () => {
    const { awsSenders } = await import('../../server/utils/notifications/send')
    const real = awsSenders('us-east-1')
    return {
      publish: (input: Parameters<typeof real.publish>[0], signal: AbortSignal) => real.publish(input, signal),
      putEvents: (input: Parameters<typeof real.putEvents>[0], signal: AbortSignal) => real.putEvents(input, signal),
    }
  }

  async function queue(name: string): Promise<{ url: string, arn: string }> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }))
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }))
    return { url: QueueUrl!, arn: Attributes!.QueueArn! }
  }

  async function receive(url: string): Promise<string[]> {
    for (let i = 0; i < 20; i++) {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }))
      if (Messages?.length) return Messages.map(m => m.Body!)
    }
    return []
  }

  const saved = { ...process.env }
  beforeAll(() => {
    process.env.AWS_ENDPOINT_URL = motoEndpoint()
    process.env.AWS_ACCESS_KEY_ID ??= 'test'
    process.env.AWS_SECRET_ACCESS_KEY ??= 'test'
  })
  afterAll(() => {
    if (saved.AWS_ENDPOINT_URL === undefined) delete process.env.AWS_ENDPOINT_URL
    else process.env.AWS_ENDPOINT_URL = saved.AWS_ENDPOINT_URL
  })

  it('publishes to an SNS topic, whose SQS subscription receives the notice with its status and rule attributes', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: `ops-${rule}` }))
    const q = await queue(`sns-${rule}`)
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: q.arn }))
    await repo.create(channel(`${rule}-sns`, { type: 'sns', topicArn: TopicArn, rules: [rule] }))
    const run = failedRun(rule)
    const [made] = await notifyRun(deps({ aws: await awsDeps() }), run)
    expect(made).toMatchObject({ type: 'sns', status: 'delivered', attempts: 1 })
    const [body] = await receive(q.url)
    const envelope = JSON.parse(body!) as { Message: string, MessageAttributes: Record<string, { Value: string }> }
    expect(envelope.MessageAttributes.status!.Value).toBe('failed')
    expect(envelope.MessageAttributes.rule!.Value).toBe(rule)
    expect(JSON.parse(envelope.Message)).toMatchObject({ event: 'run.failed', eventId: run.eventId, rule })
  })

  it('puts a "Run Finished" event from "ouroboros" on a bus, which a rule with an SQS target receives', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const bus = `bus-${rule}`
    await events.send(new CreateEventBusCommand({ Name: bus }))
    const q = await queue(`eb-${rule}`)
    await events.send(new PutRuleCommand({ Name: `to-queue-${rule}`, EventBusName: bus, EventPattern: JSON.stringify({ 'source': ['ouroboros'], 'detail-type': ['Run Finished'] }) }))
    await events.send(new PutTargetsCommand({ Rule: `to-queue-${rule}`, EventBusName: bus, Targets: [{ Id: 'q', Arn: q.arn }] }))
    await repo.create(channel(`${rule}-eb`, { type: 'eventbridge', busName: bus, rules: [rule] }))
    const run = failedRun(rule)
    const [made] = await notifyRun(deps({ aws: await awsDeps() }), run)
    expect(made).toMatchObject({ type: 'eventbridge', status: 'delivered' })
    const [body] = await receive(q.url)
    const event = JSON.parse(body!) as { 'source': string, 'detail-type': string, 'detail': Record<string, unknown> }
    expect(event.source).toBe('ouroboros')
    expect(event['detail-type']).toBe('Run Finished')
    expect(event.detail).toMatchObject({ event: 'run.failed', eventId: run.eventId, rule, status: 'failed' })
  })
})

describe('notices beside the runs\' own: follow-ups, drift, overrides', () => {
  it('sends a follow-up check\'s instance.failed once, with a delivery id of its own beside the run\'s, and nothing on its redelivery', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200], { events: ['run.failed', 'instance.failed'] })
    const stopping: LogEntry = {
      ...failedRun(rule), action: 'stop', status: 'succeeded', message: undefined,
      targets: [{ instanceId: 'db-1', region: 'eu-west-1', outcome: 'stopping', resourceType: 'rds' }],
      counts: { total: 1, acted: 1, skipped: 0, failed: 0 },
    }
    // The run itself succeeded (still stopping): its channel wants nothing of it.
    expect(await notifyRun(deps(), stopping)).toEqual([])
    const wentBack: LogEntry = { ...stopping, status: 'failed', targets: [{ ...stopping.targets[0]!, outcome: 'failed', reason: 'back to available' }], counts: { total: 1, acted: 0, skipped: 0, failed: 1 } }
    const subject = followUpSubject(deps(), stopping, wentBack)!
    const [made] = await notifySubject(deps(), subject)
    expect(made).toMatchObject({ part: 'follow-up', event: 'run.failed', status: 'delivered' })
    expect(made!.deliveryId).not.toBe(deliveryIdOf(stopping.eventId, hook.channel.name))
    // Redelivered (the follow-up's schedule fired twice): nothing new.
    expect(await notifySubject(deps(), followUpSubject(deps(), stopping, wentBack)!)).toEqual([])
    expect(hook.received).toHaveLength(1)
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ event: 'run.failed', eventId: stopping.eventId, status: 'failed', failed: [expect.objectContaining({ id: 'db-1' })] })
    expect(await repo.deliveriesOf(stopping.eventId)).toEqual([expect.objectContaining({ part: 'follow-up', deliveryId: made!.deliveryId })])
  })

  it('is not swallowed by the run\'s own claim: the run\'s delivery and the follow-up\'s both arrive', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200], { events: ['run.partial', 'instance.failed'] })
    const partial: LogEntry = { ...failedRun(rule), status: 'partial', targets: [
      { instanceId: 'i-0123456789abcdef1', region: 'eu-west-1', outcome: 'failed', reason: 'went back to stopped' },
      { instanceId: 'db-2', region: 'eu-west-1', outcome: 'starting', resourceType: 'rds' },
    ], counts: { total: 2, acted: 1, skipped: 0, failed: 1 } }
    expect(await notifyRun(deps(), partial)).toEqual([expect.objectContaining({ event: 'run.partial', status: 'delivered' })])
    const after: LogEntry = { ...partial, status: 'failed', targets: [partial.targets[0]!, { ...partial.targets[1]!, outcome: 'failed' }], counts: { total: 2, acted: 0, skipped: 0, failed: 2 } }
    // run.failed is not among its events: the database that went back is an instance.failed.
    expect(await notifySubject(deps(), followUpSubject(deps(), partial, after)!)).toEqual([expect.objectContaining({ event: 'instance.failed', part: 'follow-up', status: 'delivered' })])
    expect(hook.received.map(r => r.headers['x-ouroboros-event'])).toEqual(['run.partial', 'instance.failed'])
    expect(new Set(hook.received.map(r => r.headers['x-ouroboros-delivery'])).size).toBe(2)
  })

  it('sends nothing for a follow-up that changed nothing', () => {
    const run = failedRun('any')
    expect(followUpSubject(deps(), run, { ...run })).toBeUndefined()
  })

  it('tells schedule.drift what one reconcile pass repaired, to a channel of a repaired rule and not of another', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200], { events: ['schedule.drift'] })
    const other = await webhookFor(`${rule}-other`, [200], { events: ['schedule.drift'] })
    const drift = { created: [rule], updated: [], deleted: ['gone-rule'], reverts: { armed: 1, ran: 0, moved: 0, removed: 2 } }
    const [made] = await notifySubject(deps(), driftSubject(deps(), drift, 0)!)
    expect(made).toMatchObject({ event: 'schedule.drift', status: 'delivered' })
    expect(other.received).toHaveLength(0)
    const body = JSON.parse(hook.received[0]!.body)
    expect(body).toMatchObject({ event: 'schedule.drift', drift, status: 'repaired' })
    expect(body.message).toContain(rule)
    expect(body.message).toContain('2 removed')
    // Nothing repaired: no notice at all.
    expect(driftSubject(deps(), { created: [], updated: [], deleted: [], reverts: { armed: 0, ran: 0, moved: 0, removed: 0 } }, 3)).toBeUndefined()
  })

  it('tells override.created and override.ended once, ended early and then by its revert', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200], { events: ['override.created', 'override.ended'], rules: 'all', name: `${rule}-all` })
    const override = { id: randomUUID(), accountId: '111111111111', region: 'eu-west-1', instanceId: 'i-0123456789abcdef1', until: '2026-12-24T18:00:00.000Z', reason: 'release testing', createdAt: '2026-12-01T00:00:00.000Z', createdBy: { keyId: 'k1', keyName: 'ops' } }
    const detail = apiOverrideDetail(override)
    expect(await notifySubject(deps(), overrideSubject(deps(), 'created', detail))).toEqual([expect.objectContaining({ event: 'override.created', status: 'delivered' })])
    expect(await notifySubject(deps(), overrideSubject(deps(), 'ended', { ...detail, ended: 'ended early by key \'ops\'' }))).toHaveLength(1)
    // Its revert ran right after (moved to now): the same override's end, notified already.
    const revertRun: LogEntry = { ...failedRun(rule), trigger: 'revert', revert: { override: { kind: 'api', id: override.id, until: override.until, keyName: 'ops' }, rule, askedAt: '2026-12-01T19:00:00.000Z', instanceId: override.instanceId } }
    expect(await notifySubject(deps(), revertEndedSubject(deps(), revertRun)!)).toEqual([])
    const bodies = hook.received.map(r => JSON.parse(r.body))
    expect(bodies.map(b => b.event)).toEqual(['override.created', 'override.ended'])
    expect(bodies[0]).toMatchObject({ status: 'created', override: { id: override.id, instanceId: override.instanceId, by: 'key \'ops\'', reason: 'release testing' }, url: 'https://scheduler.example.com/overrides' })
    expect(bodies[1].message).toContain('ended early by key \'ops\'')
    // A channel of every rule would get the other tests' overrides too.
    await repo.remove(hook.channel.name)
  })

  it('sends an override\'s end by its revert to a channel of the revert\'s rule only', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200], { events: ['override.ended'] })
    const other = await webhookFor(`${rule}-x`, [200], { events: ['override.ended'] })
    const revertRun: LogEntry = { ...failedRun(rule), status: 'succeeded', trigger: 'revert', revert: { override: { kind: 'tag', tag: 'ouroboros:skip-until', value: '2026-12-24', until: '2026-12-24T23:00:00.000Z' }, rule, askedAt: '2026-12-01T19:00:00.000Z', instanceId: 'i-0123456789abcdef1' } }
    expect(await notifySubject(deps(), revertEndedSubject(deps(), revertRun)!)).toHaveLength(1)
    expect(other.received).toHaveLength(0)
    expect(JSON.parse(hook.received[0]!.body)).toMatchObject({ event: 'override.ended', rule, override: { kind: 'tag', tag: 'ouroboros:skip-until=2026-12-24' } })
  })

  it('sends nothing to a disabled channel', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [200], { enabled: false, events: ['run.failed', 'schedule.drift'] })
    expect(await notifyRun(deps(), failedRun(rule))).toEqual([])
    expect(await notifySubject(deps(), driftSubject(deps(), { created: [rule], updated: [], deleted: [], reverts: { armed: 0, ran: 0, moved: 0, removed: 0 } }, 0)!)).toEqual([])
    expect(hook.received).toHaveLength(0)
  })

  it('keeps a notice of no run with its pending delivery, and the retry sends it as it was', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    const hook = await webhookFor(rule, [0, 200], { events: ['schedule.drift'] })
    const logs = createLogsRepository(store.store.doc, store.tables.logs, 90)
    const subject = driftSubject(deps(), { created: [rule], updated: [], deleted: [], reverts: { armed: 0, ran: 0, moved: 0, removed: 0 } }, 0)!
    const tight = deps({ settings: { ...SETTINGS, deadlineMs: 300, timeoutMs: 200 } })
    expect(await notifySubject(tight, subject)).toEqual([expect.objectContaining({ status: 'pending' })])
    expect(await repo.pendingRuns()).toContain(subject.eventId)
    // No log has this key: the kept notice is what the retry sends.
    expect(await retryRun(deps(), logs, subject.eventId)).toEqual([expect.objectContaining({ event: 'schedule.drift', status: 'delivered', attempts: 2 })])
    expect(await repo.pendingRuns()).not.toContain(subject.eventId)
    expect(hook.received).toHaveLength(2)
    expect(hook.received[1]!.body).toBe(hook.received[0]!.body)
  })
})

describe('expiry in embedded mode', () => {
  it('deletes the deliveries, pending ones and kept notices whose run has expired, and keeps the channels and the rest', async () => {
    const rule = `r-${randomUUID().slice(0, 8)}`
    await webhookFor(rule, [200])
    const at = Date.parse('2026-12-01T12:00:00.000Z')
    const old = { ...failedRun(rule), startedAt: new Date(at - 100 * 86_400_000).toISOString() }
    const recent = { ...failedRun(rule), startedAt: new Date(at - 10 * 86_400_000).toISOString() }
    const clock = () => at
    await notifyRun(deps({ clock }), old)
    await notifyRun(deps({ clock }), recent)
    await repo.recordDelivery({ eventId: old.eventId, channel: 'gone', type: 'webhook', event: 'run.failed', deliveryId: 'd', status: 'pending', attempts: 1, at: old.startedAt, expiresAt: Math.floor(at / 1000) - 60 }, '{}')
    expect(await repo.deliveriesOf(old.eventId)).toHaveLength(2)

    const deleted = await repo.pruneExpired(new Date(at))
    expect(deleted).toBeGreaterThanOrEqual(3)
    expect(await repo.deliveriesOf(old.eventId)).toEqual([])
    expect(await repo.pendingOf(old.eventId)).toEqual([])
    expect(await repo.deliveriesOf(recent.eventId)).toHaveLength(1)
    expect((await repo.list()).map(c => c.name)).toContain(`${rule}-hook`)
  })
})
