// The process-wide services: the store and the repositories over it, opened once on first use.
import { useServerConfig } from './config'
import { createLogsRepository } from './logs'
import type { LogsRepository } from './logs'
import { createRulesRepository } from './rules'
import type { RulesRepository } from './rules'
import { openStore } from './store'
import type { Store } from './store'

export interface Services {
  store: Store
  rules: RulesRepository
  logs: LogsRepository
}

let services: Promise<Services> | undefined

/** The store and repositories of this process; the first call opens the store. */
export function useServices(): Promise<Services> {
  services ??= (async () => {
    const config = useServerConfig()
    const store = await openStore(config)
    return {
      store,
      rules: createRulesRepository(store.doc, config.tables.rules),
      logs: createLogsRepository(store.doc, config.tables.logs, config.logRetentionDays),
    }
  })()
  // A failed open is not cached: the next request tries again.
  services.catch(() => {
    services = undefined
  })
  return services
}

/** Closes the store, for a clean shutdown. */
export async function closeServices(): Promise<void> {
  const current = services
  services = undefined
  if (current) await (await current).store.close()
}
