// POST /api/channels { name, type, url? | topicArn? | busName?, secret?, events?, rules?, enabled? }: create a
// notification channel (admin key). Answers it (201) with, this one time, its URL and signing secret in `secrets`.
import { ChannelInputSchema } from '#shared/schemas/channel'
import { createChannel } from '../../utils/notifications/service'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => ChannelInputSchema.safeParse(b)), 'channel')
  const { channels } = await useNotifications()
  const created = await createChannel(channels, input)
  setResponseStatus(event, 201)
  // The answer holds secrets: no cache may keep it.
  setResponseHeader(event, 'Cache-Control', 'no-store')
  return created
})
