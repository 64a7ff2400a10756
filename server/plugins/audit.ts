// The audit trail: every successful change made through the API is recorded before its answer is sent,
// by the key that made it (server/utils/audit/event.ts). Reads and refused requests are not recorded.
import { useAccess } from '../utils/services'
import { isAuditable, recordChange } from '../utils/audit/event'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', async (event, response) => {
    if (!isAuditable(event)) return
    try {
      await recordChange(event, await useAccess(), response.body)
    }
    catch (e) {
      // The change is made and cannot be taken back: answer it, and say loudly that its record is missing.
      console.error(`[ouroboros] audit: could not record ${event.method} ${event.path.split('?')[0]}:`, (e as Error)?.message ?? e)
    }
  })
})
