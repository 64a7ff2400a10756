// A notification channel: where a run's outcome is sent (a signed webhook, Slack, Teams, an SNS topic or an
// EventBridge bus), for which events and which rules. One schema for the browser form and the server routes; what
// needs the network or the rules (a URL's address after DNS, the rules named) is checked on the server
// (server/utils/notifications/service.ts).
import { z } from 'zod'
import { issue, issueMessage as say, zodIssue } from './issue'
import { RuleNameSchema } from './rule'

export const CHANNEL_TYPES = ['webhook', 'slack', 'teams', 'sns', 'eventbridge'] as const
export type ChannelType = typeof CHANNEL_TYPES[number]
/** The types that post to a URL, which is a secret. */
export const URL_CHANNEL_TYPES = ['webhook', 'slack', 'teams'] as const satisfies readonly ChannelType[]

/**
 * The events a channel can subscribe to: each run's outcome, an instance that did not reach its state, a reconcile
 * that repaired schedules, and an override made or ended.
 */
export const CHANNEL_EVENTS = ['run.failed', 'run.partial', 'run.succeeded', 'run.skipped', 'run.nothing-to-do', 'instance.failed', 'schedule.drift', 'override.created', 'override.ended'] as const
export type ChannelEvent = typeof CHANNEL_EVENTS[number]
export const DEFAULT_CHANNEL_EVENTS: ChannelEvent[] = ['run.failed', 'run.partial', 'instance.failed']
/** The test event `POST /api/channels/:name/test` sends. */
export const TEST_EVENT = 'channel.test'

export const CHANNEL_NAME_PATTERN = /^[\w.-]{1,64}$/
export const MAX_CHANNEL_RULES = 100
const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(?:\.fifo)?$/
const BUS = /^(?:[\w.\-/]{1,256}|arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]{1,256})$/

export const ChannelNameSchema = z.string()
  .min(1, say('channel.name.required'))
  .max(64, say('channel.name.tooLong'))
  .regex(CHANNEL_NAME_PATTERN, say('channel.name.chars'))

/** The path parameters of `/api/channels/:name` and the routes under it. */
export const ChannelParamsSchema = z.object({ name: ChannelNameSchema })

/** A receiver's URL: a full URL over https. Its address is checked on the server, after DNS. */
export const ChannelUrlSchema = z.string().trim().max(2048, say('channel.url.invalid')).superRefine((value, ctx) => {
  if (!URL.canParse(value)) return ctx.addIssue(zodIssue(issue('channel.url.invalid')))
  const scheme = new URL(value).protocol.slice(0, -1)
  if (scheme !== 'https' && scheme !== 'http') ctx.addIssue(zodIssue(issue('channel.url.invalid')))
})

const EventsSchema = z.array(z.string(), { message: say('channel.events.empty') }).superRefine((events, ctx) => {
  if (events.length === 0) ctx.addIssue(zodIssue(issue('channel.events.empty')))
  events.forEach((value, i) => {
    if (!(CHANNEL_EVENTS as readonly string[]).includes(value)) ctx.addIssue(zodIssue(issue('channel.events.unknown', { value }), [i]))
  })
}).transform(events => CHANNEL_EVENTS.filter(e => events.includes(e)))

const RulesSchema = z.union([
  z.literal('all'),
  z.array(RuleNameSchema).max(MAX_CHANNEL_RULES, say('channel.rules.tooMany')).transform(r => [...new Set(r)]),
], { message: say('channel.rules.shape') })

const ChannelFieldsSchema = z.object({
  name: ChannelNameSchema,
  type: z.enum(CHANNEL_TYPES, { message: say('channel.type.choice') }),
  description: z.string().trim().max(256, say('channel.description.tooLong')).optional().transform(d => d || undefined),
  url: ChannelUrlSchema.optional(),
  secret: z.string().min(16, say('channel.secret.length')).max(256, say('channel.secret.length')).optional(),
  topicArn: z.string().trim().regex(TOPIC_ARN, say('channel.topicArn.format')).optional(),
  busName: z.string().trim().regex(BUS, say('channel.busName.format')).optional(),
  events: EventsSchema.default([...DEFAULT_CHANNEL_EVENTS]),
  rules: RulesSchema.default('all'),
  enabled: z.boolean().default(true),
})

/** The fields each type takes; a replacement may leave the URL out (it keeps the stored one). */
function channelSchema(urlRequired: boolean) {
  return ChannelFieldsSchema.superRefine((c, ctx) => {
    const takesUrl = (URL_CHANNEL_TYPES as readonly string[]).includes(c.type)
    if (urlRequired && takesUrl && c.url === undefined) ctx.addIssue(zodIssue(issue('channel.url.required', { type: c.type }), ['url']))
    if (!takesUrl && c.url !== undefined) ctx.addIssue(zodIssue(issue('channel.url.notFor'), ['url']))
    if (c.type !== 'webhook' && c.secret !== undefined) ctx.addIssue(zodIssue(issue('channel.secret.notFor'), ['secret']))
    if (c.type === 'sns' && c.topicArn === undefined) ctx.addIssue(zodIssue(issue('channel.topicArn.required'), ['topicArn']))
    if (c.type !== 'sns' && c.topicArn !== undefined) ctx.addIssue(zodIssue(issue('channel.topicArn.notFor'), ['topicArn']))
    if (c.type !== 'eventbridge' && c.busName !== undefined) ctx.addIssue(zodIssue(issue('channel.busName.notFor'), ['busName']))
  })
}

/** `POST /api/channels`: the channel, with its secret target (url, secret) written once. */
export const ChannelInputSchema = channelSchema(true)
export type ChannelInput = z.output<typeof ChannelInputSchema>

/**
 * `PUT /api/channels/:name`: the whole channel and the version read. The URL and secret may be left out (or the
 * masked URL sent back as read): then they stay as they are, since a client never reads them back.
 */
export const ChannelUpdateSchema = z.intersection(channelSchema(false), z.object({
  version: z.number({ message: say('channel.version.required') }).int().min(1, say('channel.version.required')),
}))

/** A channel as the API answers it: the URL masked, the secret never shown (only whether there is one). */
export interface ChannelView {
  name: string
  type: ChannelType
  description?: string
  /** The receiver's URL, masked: `https://hooks.slack.com/…/XXXX`. */
  url?: string
  hasSecret?: boolean
  topicArn?: string
  busName?: string
  events: ChannelEvent[]
  rules: 'all' | string[]
  enabled: boolean
  createdAt: string
  updatedAt: string
  version: number
}

/** The answer of a creation: the view, and this one time the URL and signing secret in full. */
export interface CreatedChannel extends ChannelView {
  secrets: { url?: string, secret?: string }
}

export const DELIVERY_STATUSES = ['sending', 'delivered', 'failed', 'pending'] as const
export type DeliveryStatus = typeof DELIVERY_STATUSES[number]

/** One delivery of a run's event to one channel, as the run's log entry shows it (`notifications: [...]`). */
export interface DeliveryRecord {
  channel: string
  type: ChannelType
  event: string
  /** Stable per run and channel: receivers can deduplicate on it. */
  deliveryId: string
  /** `follow-up`: the notice of the run's follow-up check, a delivery of its own beside the run's. */
  part?: 'follow-up'
  status: DeliveryStatus
  attempts: number
  /** The receiver's last HTTP status, when it answered one. */
  httpStatus?: number
  /** Why the last attempt failed, or the receiver's answer to a refused one (truncated); never a secret. */
  error?: string
  at: string
}

/** What `POST /api/channels/:name/test` answers: what the receiver answered. */
export interface ChannelTestResult {
  ok: boolean
  deliveryId: string
  attempts: number
  httpStatus?: number
  /** The start of the receiver's answer, or what went wrong. */
  body?: string
  error?: string
}
