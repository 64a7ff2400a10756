// Channels: the schema's defaults and field issues, masking of secrets, which event of a run a channel gets, and the
// payloads each type sends (Slack Block Kit, a Teams Adaptive Card, the signed webhook body).
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { ChannelInputSchema, ChannelUpdateSchema } from '../../shared/schemas/channel'
import { fieldIssuesOf } from '../../shared/schemas/issue'
import type { LogEntry } from '../../shared/schemas/log'
import { eventFor } from '../../server/utils/notifications/deliver'
import { deliveryIdOf, detailTypeOf, runNotice, signatureOf, slackMessage, teamsMessage, titleOf } from '../../server/utils/notifications/payloads'
import { maskUrl, toChannelView, withoutSecrets } from '../../server/utils/notifications/views'

const issuesOf = (input: unknown) => {
  const r = ChannelInputSchema.safeParse(input)
  return r.success ? [] : fieldIssuesOf(r.error).map(i => ({ path: i.path, code: i.code }))
}

describe('ChannelInputSchema', () => {
  it('defaults to run.failed, run.partial and instance.failed for all rules, enabled', () => {
    expect(ChannelInputSchema.parse({ name: 'ops', type: 'webhook', url: 'https://hooks.example.com/a' })).toMatchObject({
      events: ['run.failed', 'run.partial', 'instance.failed'], rules: 'all', enabled: true,
    })
  })

  it.each([
    [{ name: 'a', type: 'pager', url: 'https://x.example' }, [{ path: 'type', code: 'channel.type.choice' }]],
    [{ name: 'a', type: 'slack' }, [{ path: 'url', code: 'channel.url.required' }]],
    [{ name: 'a', type: 'slack', url: 'not a url' }, [{ path: 'url', code: 'channel.url.invalid' }]],
    [{ name: 'a', type: 'webhook', url: 'ftp://x.example/a' }, [{ path: 'url', code: 'channel.url.invalid' }]],
    [{ name: 'a', type: 'webhook', url: 'https://x.example', events: ['run.failed', 'run.exploded'] }, [{ path: 'events.1', code: 'channel.events.unknown' }]],
    [{ name: 'a', type: 'webhook', url: 'https://x.example', events: [] }, [{ path: 'events', code: 'channel.events.empty' }]],
    [{ name: 'a', type: 'webhook', url: 'https://x.example', rules: 'some' }, [{ path: 'rules', code: 'channel.rules.shape' }]],
    [{ name: 'a', type: 'sns', topicArn: 'arn:aws:sqs:us-east-1:123456789012:q' }, [{ path: 'topicArn', code: 'channel.topicArn.format' }]],
    [{ name: 'a', type: 'sns' }, [{ path: 'topicArn', code: 'channel.topicArn.required' }]],
    [{ name: 'a', type: 'sns', topicArn: 'arn:aws:sns:us-east-1:123456789012:t', url: 'https://x.example' }, [{ path: 'url', code: 'channel.url.notFor' }]],
    [{ name: 'a', type: 'slack', url: 'https://x.example', secret: 'abcdefghijklmnopq' }, [{ path: 'secret', code: 'channel.secret.notFor' }]],
    [{ name: 'a', type: 'webhook', url: 'https://x.example', secret: 'short' }, [{ path: 'secret', code: 'channel.secret.length' }]],
    [{ name: 'a b', type: 'eventbridge' }, [{ path: 'name', code: 'channel.name.chars' }]],
  ])('%j answers its field issue', (input, expected) => {
    expect(issuesOf(input)).toEqual(expected)
  })

  it('takes an sns topic and an eventbridge bus', () => {
    expect(issuesOf({ name: 'a', type: 'sns', topicArn: 'arn:aws:sns:eu-west-1:123456789012:ops-alerts' })).toEqual([])
    expect(issuesOf({ name: 'a', type: 'eventbridge', busName: 'arn:aws:events:eu-west-1:123456789012:event-bus/ops' })).toEqual([])
  })

  it('lets a replacement leave the URL out, but not the version', () => {
    expect(ChannelUpdateSchema.safeParse({ name: 'a', type: 'slack', version: 2 }).success).toBe(true)
    const r = ChannelUpdateSchema.safeParse({ name: 'a', type: 'slack' })
    expect(r.success ? [] : fieldIssuesOf(r.error).map(i => i.code)).toEqual(['channel.version.required'])
  })
})

describe('secrets', () => {
  const channel = {
    name: 'ops', type: 'webhook' as const, url: 'https://hooks.slack.com/services/T0/B0/abcdXYZ1', secret: 'super-secret-signing-key',
    events: [], rules: 'all' as const, enabled: true, createdAt: '', updatedAt: '', version: 1,
  }

  it('masks a URL to its origin and last four characters', () => {
    expect(maskUrl('https://hooks.slack.com/services/T0/B0/abcdXYZ1')).toBe('https://hooks.slack.com/…/XYZ1')
  })

  it('shows a channel without its URL or secret', () => {
    const view = JSON.stringify(toChannelView(channel))
    expect(view).not.toContain('services/T0')
    expect(view).not.toContain(channel.secret)
    expect(JSON.parse(view)).toMatchObject({ url: 'https://hooks.slack.com/…/XYZ1', hasSecret: true })
  })

  it('takes secrets out of an error text', () => {
    const text = withoutSecrets(`request to ${channel.url} failed; path /services/T0/B0/abcdXYZ1 with ${channel.secret}`, channel)
    expect(text).not.toContain('T0/B0')
    expect(text).not.toContain(channel.secret)
  })
})

const entry: LogEntry = {
  eventId: 'ev-1', ruleName: 'web-nightly', trigger: 'schedule', scheduledTime: null, startedAt: '2026-12-01T19:00:00.000Z', finishedAt: '2026-12-01T19:00:10.000Z',
  action: 'start', accountId: '111111111111', regions: ['eu-west-1'], filters: [], status: 'partial', message: '1 of 2 instances failed',
  targets: [
    { instanceId: 'i-0123456789abcdef0', region: 'eu-west-1', outcome: 'started' },
    { instanceId: 'i-0123456789abcdef1', region: 'eu-west-1', outcome: 'failed', reason: 'went back to stopped: the KMS key of its volume' },
  ],
  counts: { total: 2, acted: 1, skipped: 0, failed: 1 },
}

describe('eventFor', () => {
  const channel = (events: string[], rules: 'all' | string[] = 'all', enabled = true) => ({ events: events as never, rules, enabled })
  it.each([
    [['run.partial'], 'all', 'run.partial'],
    [['instance.failed'], 'all', 'instance.failed'],
    [['run.partial', 'instance.failed'], 'all', 'run.partial'],
    [['run.failed'], 'all', undefined],
    [['run.partial'], ['other-rule'], undefined],
    [['run.partial'], ['web-nightly'], 'run.partial'],
  ] as const)('a channel of %j for %j gets %s', (events, rules, expected) => {
    expect(eventFor(channel([...events], rules === 'all' ? 'all' : [...rules]), entry)).toBe(expected)
  })
  it('a disabled channel gets nothing', () => {
    expect(eventFor(channel(['run.partial'], 'all', false), entry)).toBeUndefined()
  })
})

describe('payloads', () => {
  const notice = runNotice(entry, 'run.partial', deliveryIdOf(entry.eventId, 'ops'), 'https://scheduler.example.com')

  it('carries the issue\'s webhook body, with the failed instances', () => {
    expect(Object.keys(notice).sort()).toEqual(['counts', 'deliveryId', 'event', 'eventId', 'failed', 'message', 'rule', 'status', 'url'].sort())
    expect(notice.failed).toEqual([{ id: 'i-0123456789abcdef1', region: 'eu-west-1', account: '111111111111', error: 'went back to stopped: the KMS key of its volume' }])
    expect(notice.url).toBe('https://scheduler.example.com/runs/ev-1')
  })

  it('gives a run and channel one stable delivery id, another channel another', () => {
    expect(deliveryIdOf('ev-1', 'ops')).toBe(notice.deliveryId)
    expect(deliveryIdOf('ev-1', 'team')).not.toBe(notice.deliveryId)
    expect(notice.deliveryId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })

  it('signs the raw body with HMAC-SHA256 of the secret', () => {
    const body = JSON.stringify(notice)
    expect(signatureOf('s3cret', body)).toBe(`sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`)
  })

  it('builds a Slack Block Kit message: fallback text, header, fields, a button to the run', () => {
    const m = slackMessage(notice)
    expect(m.text).toContain('web-nightly')
    const types = m.blocks.map(b => b.type)
    expect(types[0]).toBe('header')
    expect(types).toContain('actions')
    const header = m.blocks[0] as { text: { type: string, text: string } }
    expect(header.text.type).toBe('plain_text')
    expect(header.text.text.length).toBeLessThanOrEqual(150)
    const fields = (m.blocks[1] as { fields: { type: string, text: string }[] }).fields
    expect(fields.every(f => f.type === 'mrkdwn')).toBe(true)
    expect(fields[0]!.text).toContain('partial')
    const actions = m.blocks.find(b => b.type === 'actions') as { elements: { type: string, url: string }[] }
    expect(actions.elements[0]).toMatchObject({ type: 'button', url: 'https://scheduler.example.com/runs/ev-1' })
  })

  it('builds a Teams Workflows message with one Adaptive Card', () => {
    const m = teamsMessage(notice)
    expect(m.type).toBe('message')
    expect(m.attachments).toHaveLength(1)
    const card = m.attachments[0]!
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive')
    expect(card.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json' })
    expect(card.content.body.every(e => ['TextBlock', 'FactSet'].includes(e.type))).toBe(true)
    expect(card.content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the run', url: 'https://scheduler.example.com/runs/ev-1' }])
  })

  it('leaves the link out of Slack and Teams when no public URL is configured', () => {
    const local = runNotice(entry, 'run.partial', 'd', '')
    expect(local.url).toBe('/runs/ev-1')
    expect(slackMessage(local).blocks.some(b => b.type === 'actions')).toBe(false)
    expect('actions' in teamsMessage(local).attachments[0]!.content).toBe(false)
  })
})

describe('notices of no run', () => {
  const drift = { created: ['web-stop'], updated: [], deleted: ['old-rule'], reverts: { armed: 1, ran: 0, moved: 0, removed: 0 } }
  const driftNotice = { event: 'schedule.drift', deliveryId: 'd-1', rule: '', eventId: '', status: 'repaired', counts: { total: 0, acted: 0, skipped: 0, failed: 0 }, message: 'The reconcile repaired schedules: created 1 (web-stop).', failed: [], url: 'https://scheduler.example.com/', drift }
  const override = { kind: 'api' as const, accountId: '111111111111', region: 'eu-west-1', instanceId: 'i-0123456789abcdef1', until: '2026-12-24T18:00:00.000Z', id: 'o-1', by: 'key \'ops\'' }
  const overrideNotice = { ...driftNotice, drift: undefined, event: 'override.created', status: 'created', message: 'i-0123456789abcdef1 is kept as is', url: 'https://scheduler.example.com/overrides', override }

  it('names each kind in its title and EventBridge detail-type; a run stays "Run Finished"', () => {
    expect(titleOf(driftNotice)).toBe('Ouroboros: the reconcile repaired schedules')
    expect(titleOf(overrideNotice)).toBe('Ouroboros: override of i-0123456789abcdef1 created')
    expect(detailTypeOf(driftNotice)).toBe('Schedule Drift Repaired')
    expect(detailTypeOf({ event: 'override.ended' })).toBe('Override Ended')
    expect(detailTypeOf({ event: 'run.failed' })).toBe('Run Finished')
    expect(detailTypeOf({ event: 'instance.failed' })).toBe('Run Finished')
  })

  it('shows a drift\'s repairs in Slack fields and Teams facts, without run counts', () => {
    const slack = slackMessage(driftNotice)
    const fields = (slack.blocks[1] as { fields: { text: string }[] }).fields.map(f => f.text)
    expect(fields).toEqual(['*Created*\nweb-stop', '*Updated*\nnone', '*Deleted*\nold-rule', '*Reverts*\n1 armed, 0 ran, 0 moved, 0 removed'])
    expect(slack.text).not.toContain('acted')
    const button = slack.blocks.find(b => b.type === 'actions') as { elements: { text: { text: string }, url: string }[] }
    expect(button.elements[0]).toMatchObject({ url: 'https://scheduler.example.com/', text: { text: 'Open the rules' } })
    const facts = (teamsMessage(driftNotice).attachments[0]!.content.body[1] as { facts: { title: string }[] }).facts
    expect(facts.map(f => f.title)).toEqual(['Created', 'Updated', 'Deleted', 'Reverts'])
  })

  it('shows an override\'s instance, end and maker, with a link to the instances kept as is', () => {
    const fields = (slackMessage(overrideNotice).blocks[1] as { fields: { text: string }[] }).fields.map(f => f.text)
    expect(fields).toEqual(['*Instance*\ni-0123456789abcdef1 (111111111111, eu-west-1)', '*Until*\n2026-12-24T18:00:00.000Z', '*By*\nkey \'ops\''])
    const card = teamsMessage(overrideNotice).attachments[0]!.content
    expect(card.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open the instances kept as is', url: 'https://scheduler.example.com/overrides' }])
  })

  it('takes the new events in a channel, and says the full list for an unknown one', () => {
    expect(ChannelInputSchema.parse({ name: 'ops', type: 'sns', topicArn: 'arn:aws:sns:eu-west-1:123456789012:ops', events: ['override.ended', 'schedule.drift', 'override.created'] }).events)
      .toEqual(['schedule.drift', 'override.created', 'override.ended'])
  })
})
