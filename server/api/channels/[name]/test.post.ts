// POST /api/channels/:name/test: send a test notice to the channel once (admin key), and answer what the receiver
// answered: `{ ok, deliveryId, attempts, httpStatus?, body?, error? }`. Nothing is recorded on any run.
import { randomUUID } from 'node:crypto'
import { ChannelParamsSchema } from '#shared/schemas/channel'
import { sendTestNotice } from '../../../utils/notifications/deliver'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => ChannelParamsSchema.safeParse(p)), 'channel name')
  const { repository, delivery } = await useNotifications()
  return sendTestNotice(delivery, await repository.get(name), randomUUID())
})
