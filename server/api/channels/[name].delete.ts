// DELETE /api/channels/:name: delete a notification channel (admin key); answers it, without secrets.
import { ChannelParamsSchema } from '#shared/schemas/channel'
import { deleteChannel } from '../../utils/notifications/service'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => ChannelParamsSchema.safeParse(p)), 'channel name')
  const { channels } = await useNotifications()
  return deleteChannel(channels, name)
})
