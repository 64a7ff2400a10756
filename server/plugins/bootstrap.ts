// At start: validate the configuration, open the store (creating the embedded tables), say which store
// this is in one line, and show a newly created admin key once. Closes the store when the server stops.
// In embedded mode it also deletes expired run logs and deliveries, which DynamoDB's TTL does in AWS.
import { closeServices, useAccess, useNotifications, useServices } from '../utils/services'
import { useServerConfig } from '../utils/config'

export default defineNitroPlugin(async (nitroApp) => {
  const config = useServerConfig()
  const { store, logs } = await useServices()
  console.info(`[ouroboros] store: ${store.description}`)

  // The access tables and the first admin key (shown once, if created now): see server/utils/access/admin-key.ts.
  void useAccess().catch(e => console.error('[ouroboros] opening the API keys failed:', e))

  // The embedded store has no TTL: delete expired runs, and their notifications' deliveries, at start and once a day.
  // (Only here does the notifications' code load at start: a Lambda, on DynamoDB, never prunes.)
  let pruner: ReturnType<typeof setInterval> | undefined
  if (config.store === 'embedded') {
    const prune = () => Promise.all([
      logs.pruneExpired().then(
        n => n && console.info(`[ouroboros] deleted ${n} run logs older than ${config.logRetentionDays} days`),
        e => console.error('[ouroboros] pruning expired run logs failed:', e),
      ),
      useNotifications().then(({ repository }) => repository.pruneExpired()).then(
        n => n && console.info(`[ouroboros] deleted ${n} expired notification deliveries`),
        e => console.error('[ouroboros] pruning expired notification deliveries failed:', e),
      ),
    ])
    void prune()
    pruner = setInterval(prune, 86_400_000)
    pruner.unref?.()
  }

  nitroApp.hooks.hook('close', async () => {
    clearInterval(pruner)
    await closeServices()
  })
})
