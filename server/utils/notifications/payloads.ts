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
  /** The run's page (or the page of what the notice is about): absolute with NUXT_NOTIFY_BASE_URL, else its path. */
  url: string
  /** `schedule.drift`: what the reconcile repaired. */
  drift?: DriftDetail
  /** `override.created` and `override.ended`: the override. */
  override?: OverrideDetail
}

/** What one reconcile pass repaired: the rules' schedules by name, and the reverts' one-time schedules by count. */
export interface DriftDetail {
  created: string[]
  updated: string[]
  deleted: string[]
  reverts: { armed: number, ran: number, moved: number, removed: number }
}

/** An override, as its notices describe it. */
export interface OverrideDetail {
  kind: 'api' | 'tag'
  accountId: string
  region: string
  instanceId: string
  until: string
  id?: string
  reason?: string
  /** The key that made it (api), or the tag and its value. */
  by?: string
  tag?: string
  /** `override.ended`: how: `ended early by key 'ops'`, or `its revert ran`. */
  ended?: string
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

/** The notice's one-line title (Slack's header, the Teams card's, the SNS subject). */
export function titleOf(n: RunNotice): string {
  if (n.event === 'channel.test') return 'Ouroboros: test notification'
  if (n.event === 'schedule.drift') return 'Ouroboros: the reconcile repaired schedules'
  if (n.override) return `Ouroboros: override of ${n.override.instanceId} ${n.event === 'override.created' ? 'created' : 'ended'}`
  return `Ouroboros: rule ${n.rule} ${n.status}`
}

/** EventBridge's detail-type of the notice: a run's outcome is "Run Finished", as the issue and the README name it. */
export function detailTypeOf(n: Pick<RunNotice, 'event'>): string {
  if (n.event === 'schedule.drift') return 'Schedule Drift Repaired'
  if (n.event === 'override.created') return 'Override Created'
  if (n.event === 'override.ended') return 'Override Ended'
  return 'Run Finished'
}

const title = titleOf
const linkText = (n: RunNotice) => (n.override ? 'Open the instances kept as is' : n.drift ? 'Open the rules' : 'Open the run')
// A notice of no run (a drift, an override) says what it is about instead of the run's counts.
const isRunNotice = (n: RunNotice) => !n.drift && !n.override
const countsText = (c: LogCounts) => `${c.acted} acted, ${c.skipped} skipped, ${c.failed} failed of ${c.total}`
const failedLines = (n: RunNotice) => n.failed.map(f => `${f.id || f.region}${f.id ? ` (${f.region})` : ''}: ${f.error}`)

const names = (list: string[]) => (list.length ? list.join(', ') : 'none')

/** The facts a chat message shows: a run's status and counts, a drift's repairs, an override's instance and end. */
function factsOf(n: RunNotice): { title: string, value: string }[] {
  if (n.drift) {
    const r = n.drift.reverts
    return [
      { title: 'Created', value: names(n.drift.created) },
      { title: 'Updated', value: names(n.drift.updated) },
      { title: 'Deleted', value: names(n.drift.deleted) },
      { title: 'Reverts', value: `${r.armed} armed, ${r.ran} ran, ${r.moved} moved, ${r.removed} removed` },
    ]
  }
  if (n.override) {
    const o = n.override
    return [
      { title: 'Instance', value: `${o.instanceId} (${o.accountId}, ${o.region})` },
      { title: 'Until', value: o.until },
      ...(o.by ? [{ title: 'By', value: o.by }] : []),
      ...(o.ended ? [{ title: 'Ended', value: o.ended }] : []),
    ]
  }
  return [{ title: 'Status', value: n.status }, { title: 'Instances', value: countsText(n.counts) }, { title: 'Run', value: n.eventId }]
}

/** A Slack incoming-webhook message (Block Kit): the status, the counts (or what else it is about), the message, and a link. */
export function slackMessage(n: RunNotice) {
  const failed = failedLines(n)
  const facts = factsOf(n).filter(f => f.title !== 'Run')
  return {
    text: `${title(n)}: ${isRunNotice(n) ? countsText(n.counts) : n.message}`.slice(0, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title(n).slice(0, 150) } },
      // A section takes at most 10 fields of at most 2000 characters each (Block Kit reference).
      { type: 'section', fields: facts.slice(0, 10).map(f => ({ type: 'mrkdwn', text: `*${f.title}*\n${f.value}`.slice(0, 2000) })) },
      { type: 'section', text: { type: 'mrkdwn', text: n.message.slice(0, 3000) } },
      ...(failed.length ? [{ type: 'section', text: { type: 'mrkdwn', text: failed.map(l => `• ${l}`).join('\n').slice(0, 3000) } }] : []),
      ...(isAbsolute(n.url) ? [{ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: linkText(n) }, url: n.url }] }] : []),
      { type: 'context', elements: [{ type: 'mrkdwn', text: isRunNotice(n) ? `event ${n.event} · run ${n.eventId}` : `event ${n.event}` }] },
    ],
  }
}

/** A Teams Workflows webhook message: one Adaptive Card (1.4) with the facts and a link. */
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
          { type: 'FactSet', facts: factsOf(n) },
          { type: 'TextBlock', text: n.message, wrap: true },
          ...failedLines(n).map(l => ({ type: 'TextBlock', text: l, wrap: true, color: 'Attention', spacing: 'None' })),
        ],
        ...(isAbsolute(n.url) ? { actions: [{ type: 'Action.OpenUrl', title: linkText(n), url: n.url }] } : {}),
      },
    }],
  }
}
