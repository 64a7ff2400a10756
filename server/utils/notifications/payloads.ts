// What each type of channel sends for a run: the webhook's JSON body and its HMAC signature (as GitHub signs its
// webhooks), a Slack Block Kit message, a Teams Workflows message with an Adaptive Card, and the SNS and EventBridge
// entries, all built from one notice.
import { createHash, createHmac } from 'node:crypto'
import type { LogCounts, LogEntry } from '#shared/schemas/log'

/** The notice of one run for one channel: the webhook's body, and what every other type says. */
export interface RunNotice {
  event: string
  deliveryId: string
  rule: string
  eventId: string
  status: string
  counts: LogCounts
  message: string
  failed: { id: string, region: string, account: string, error: string }[]
  /** The run's page: absolute with NUXT_NOTIFY_BASE_URL, else its path. */
  url: string
}

// Enough failed instances for a person to act; the counts say how many there were.
const MAX_FAILED = 20

/** The stable id of a run's delivery to a channel, shaped like a UUID: receivers can deduplicate on it. */
export function deliveryIdOf(eventId: string, channel: string): string {
  const h = createHash('sha256').update(`${eventId}\n${channel}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

/** The notice of `entry` for the event `event`. */
export function runNotice(entry: LogEntry, event: string, deliveryId: string, baseUrl: string): RunNotice {
  const failed = entry.targets.filter(t => t.outcome === 'failed').slice(0, MAX_FAILED)
    .map(t => ({ id: t.instanceId, region: t.region, account: t.accountId ?? entry.accountId, error: t.error ?? t.reason ?? 'failed' }))
  const regionErrors = (entry.errors ?? []).map(e => ({ id: '', region: e.region, account: e.accountId ?? entry.accountId, error: e.message }))
  return {
    event,
    deliveryId,
    rule: entry.ruleName,
    eventId: entry.eventId,
    status: entry.status,
    counts: entry.counts,
    message: entry.message ?? `${entry.action} ${entry.status}: ${entry.counts.acted} acted, ${entry.counts.skipped} skipped, ${entry.counts.failed} failed`,
    failed: [...failed, ...regionErrors].slice(0, MAX_FAILED),
    url: `${baseUrl}/runs/${encodeURIComponent(entry.eventId)}`,
  }
}

/** `sha256=<hex HMAC-SHA256 of the raw body>`, the X-Ouroboros-Signature header. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
}

const isAbsolute = (url: string) => /^https?:\/\//.test(url)
const title = (n: RunNotice) => (n.event === 'channel.test' ? 'Ouroboros: test notification' : `Ouroboros: rule ${n.rule} ${n.status}`)
const countsText = (c: LogCounts) => `${c.acted} acted, ${c.skipped} skipped, ${c.failed} failed of ${c.total}`
const failedLines = (n: RunNotice) => n.failed.map(f => `${f.id || f.region}${f.id ? ` (${f.region})` : ''}: ${f.error}`)

/** A Slack incoming-webhook message (Block Kit): the status, the counts, the message, and a link to the run. */
export function slackMessage(n: RunNotice) {
  const failed = failedLines(n)
  return {
    text: `${title(n)}: ${countsText(n.counts)}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title(n).slice(0, 150) } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Status*\n${n.status}` },
          { type: 'mrkdwn', text: `*Instances*\n${countsText(n.counts)}` },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: n.message.slice(0, 3000) } },
      ...(failed.length ? [{ type: 'section', text: { type: 'mrkdwn', text: failed.map(l => `• ${l}`).join('\n').slice(0, 3000) } }] : []),
      ...(isAbsolute(n.url) ? [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open the run' }, url: n.url }] }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: `event ${n.event} · run ${n.eventId}` }] },
    ],
  }
}

/** A Teams Workflows webhook message: one Adaptive Card (1.4) with the status, the counts and a link to the run. */
export function teamsMessage(n: RunNotice) {
  return {
    type: 'message',
    attachments: [{
      contentType: 'application/vnd.microsoft.card.adaptive',
      contentUrl: null,
      content: {
        $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
        type: 'AdaptiveCard',
        version: '1.4',
        body: [
          { type: 'TextBlock', text: title(n), weight: 'Bolder', size: 'Medium', wrap: true },
          { type: 'FactSet', facts: [{ title: 'Status', value: n.status }, { title: 'Instances', value: countsText(n.counts) }, { title: 'Run', value: n.eventId }] },
          { type: 'TextBlock', text: n.message, wrap: true },
          ...failedLines(n).map(l => ({ type: 'TextBlock', text: l, wrap: true, color: 'Attention', spacing: 'None' })),
        ],
        ...(isAbsolute(n.url) ? { actions: [{ type: 'Action.OpenUrl', title: 'Open the run', url: n.url }] } : {}),
      },
    }],
  }
}
