// What the notification channels routes answer, and a run's deliveries (on its log entry).
import { z } from 'zod'
import { CHANNEL_EVENTS, CHANNEL_TYPES, DELIVERY_STATUSES } from '../schemas/channel'
import { InstantText } from './common'

/** A channel as answered: its URL masked, its secret never shown (only whether there is one). */
export const ChannelAnswer = z.object({
  name: z.string(),
  type: z.enum(CHANNEL_TYPES),
  description: z.string().optional(),
  url: z.string().optional().describe('the receiver\'s URL, masked: https://hooks.slack.com/…/XXXX'),
  hasSecret: z.boolean().optional(),
  topicArn: z.string().optional(),
  busName: z.string().optional(),
  events: z.array(z.enum(CHANNEL_EVENTS)),
  rules: z.union([z.literal('all'), z.array(z.string())]),
  enabled: z.boolean(),
  createdAt: InstantText,
  updatedAt: InstantText,
  version: z.number().int(),
})

/** A creation's answer: the channel, and this one time its URL and signing secret in full. */
export const CreatedChannelAnswer = ChannelAnswer.extend({ secrets: z.object({ url: z.string().optional(), secret: z.string().optional() }) })

export const ChannelListAnswer = z.object({ items: z.array(ChannelAnswer) })

/** What a test notice got from the receiver. */
export const ChannelTestAnswer = z.object({
  ok: z.boolean(),
  deliveryId: z.string(),
  attempts: z.number().int(),
  httpStatus: z.number().int().optional(),
  body: z.string().optional(),
  error: z.string().optional(),
})

/** One delivery of a run's event to one channel. */
export const DeliveryAnswer = z.object({
  channel: z.string(),
  type: z.enum(CHANNEL_TYPES),
  event: z.string(),
  deliveryId: z.string(),
  part: z.literal('follow-up').optional().describe('the notice of the run\'s follow-up check (its databases settled), a delivery of its own'),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number().int(),
  httpStatus: z.number().int().optional(),
  error: z.string().optional(),
  at: InstantText,
})
