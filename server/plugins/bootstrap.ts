// At start: validate the configuration, open the store (creating the embedded tables), say which store
// this is in one line, and show a newly generated admin key once. Closes the store when the server stops.
// In embedded mode it also deletes expired run logs, which DynamoDB's TTL does in AWS.
import { closeServices, useServices } from '../utils/context'
import { initAdminKey } from '../utils/auth'
import { useServerConfig } from '../utils/config'

export default defineNitroPlugin(async (nitroApp) => {
  const config = useServerConfig()
  const { store, logs } = await useServices()
  console.info(`[ouroboros] store: ${store.description}`)

  const admin = initAdminKey()
  if (admin.created) {
    console.info(`[ouroboros] generated an admin API key (shown only this once; kept in ${admin.created.file}):\n\n    ${admin.created.key}\n`)
  }
  else if (admin.source === 'file') {
    console.info(`[ouroboros] admin API key: the one generated earlier, kept in ${config.dataDir}/admin-api-key`)
  }
  else if (admin.source === 'none') {
    console.warn('[ouroboros] no admin API key: set NUXT_ADMIN_API_KEY, or every change will be refused')
  }

  // The embedded store has no TTL: delete expired runs at start and once a day.
  let pruner: ReturnType<typeof setInterval> | undefined
  if (config.store === 'embedded') {
    const prune = () => logs.pruneExpired().then(
      n => n && console.info(`[ouroboros] deleted ${n} run logs older than ${config.logRetentionDays} days`),
      e => console.error('[ouroboros] pruning expired run logs failed:', e),
    )
    void prune()
    pruner = setInterval(prune, 86_400_000)
    pruner.unref?.()
  }

  nitroApp.hooks.hook('close', async () => {
    clearInterval(pruner)
    await closeServices()
  })
})
