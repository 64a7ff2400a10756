// Notification channels (admin key throughout: where a team's alerts go is not for every reader).
import { ChannelListAnswer, ChannelAnswer, ChannelTestAnswer, CreatedChannelAnswer } from '#shared/answers/channel'
import { ChannelInputSchema, ChannelParamsSchema, ChannelUpdateSchema } from '#shared/schemas/channel'
import { operation } from '../operation'

export const paths = {
  '/api/channels': {
    get: operation({
      summary: 'Every notification channel in name order, URLs masked and secrets left out',
      access: 'admin',
      answers: { 200: { schema: ChannelListAnswer, description: 'the channels' } },
    }),
    post: operation({
      summary: 'Create a channel; its URL and signing secret are answered this one time',
      access: 'admin',
      body: ChannelInputSchema,
      answers: { 201: { schema: CreatedChannelAnswer, description: 'the channel, with its secrets once' } },
      errors: [409],
    }),
  },
  '/api/channels/{name}': {
    put: operation({
      summary: 'Full update with the version read; a URL or secret left out (or sent back masked) stays as stored',
      access: 'admin',
      params: ChannelParamsSchema,
      body: ChannelUpdateSchema,
      answers: { 200: { schema: ChannelAnswer, description: 'the channel' } },
      errors: [404, 409],
    }),
    delete: operation({
      summary: 'Delete a channel',
      access: 'admin',
      params: ChannelParamsSchema,
      answers: { 200: { schema: ChannelAnswer, description: 'the deleted channel' } },
      errors: [404],
    }),
  },
  '/api/channels/{name}/test': {
    post: operation({
      summary: 'Send a test notice once, and answer what the receiver answered',
      access: 'admin',
      params: ChannelParamsSchema,
      answers: { 200: { schema: ChannelTestAnswer, description: 'the receiver\'s answer' } },
      errors: [404, 502],
    }),
  },
}
