// GET /api/channels: every notification channel in name order, their URLs masked and secrets left out (admin key:
// where a team's alerts go is not for every reader).
import { listChannels } from '../../utils/notifications/service'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { channels } = await useNotifications()
  return { items: await listChannels(channels) }
})
