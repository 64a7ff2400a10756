// The access services of this process (keys, limits, audit), over the store the app already opened.
import { bootstrapAdminKey, describeBootstrap } from '../admin-key'
import { useServerConfig } from '../config'
import { useServices } from '../context'
import { ensureTables } from '../tables'
import { createAccess } from './access'
import type { Access } from './access'

let access: Promise<Access> | undefined

/**
 * The process's access services. The first call (the bootstrap plugin's, at start) creates the access tables in
 * embedded mode and the first admin key if there is none, and prints how to get in; every /api request waits for it.
 */
export function useAccess(): Promise<Access> {
  access ??= (async () => {
    const config = useServerConfig()
    const { store } = await useServices()
    // With DynamoDB the tables come from the templates in infra/, like the rules and logs tables.
    if (config.store === 'embedded') await ensureTables(store.client, config.accessTables)
    const opened = createAccess(store.doc, config)
    for (const line of describeBootstrap(await bootstrapAdminKey(config, opened.keys))) console.info(line)
    return opened
  })()
  // A failed open is not cached: the next request tries again.
  access.catch(() => {
    access = undefined
  })
  return access
}
