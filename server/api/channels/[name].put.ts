// PUT /api/channels/:name: full update with the version read (admin key). A URL or secret left out, or the masked URL
// sent back as read, stays as stored.
import { z } from 'zod'
import { ChannelParamsSchema, ChannelUpdateSchema } from '#shared/schemas/channel'
import { issue } from '#shared/schemas/issue'
import { replaceChannel } from '../../utils/notifications/service'

// The name comes from the path; a body may repeat it, but a rename is a new channel.
const BodySchema = z.preprocess(
  body => (body && typeof body === 'object' && !Array.isArray(body) ? body : {}),
  z.record(z.string(), z.unknown()),
)

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => ChannelParamsSchema.safeParse(p)), 'channel name')
  const raw = parsedOrThrow(await readValidatedBody(event, b => BodySchema.safeParse(b)), 'channel')
  if (raw.name !== undefined && raw.name !== name) throw new InvalidInput('channel', [{ path: 'name', ...issue('channel.name.rename') }])
  const { version, ...input } = parsedOrThrow(ChannelUpdateSchema.safeParse({ ...raw, name }), 'channel')
  const { channels } = await useNotifications()
  return replaceChannel(channels, input, version)
})
