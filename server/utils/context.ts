// The process-wide services: the store, the repositories over it, and the schedule backend,
// opened once on first use.
import { useSchedulerClient } from './aws/scheduler'
import { useServerConfig } from './config'
import { createLogsRepository } from './logs'
import type { LogsRepository } from './logs'
import { createRulesRepository } from './rules'
import type { RulesRepository } from './rules'
import type { ScheduleBackend } from './schedules/backend'
import { createEventBridgeBackend } from './schedules/eventbridge'
import type { ScheduleDeps } from './schedules/sync'
import { openStore } from './store'
import type { Store } from './store'

export interface Services {
  store: Store
  rules: RulesRepository
  logs: LogsRepository
  /** What rule changes need to keep schedules in step. */
  schedules: ScheduleDeps
}

let services: Promise<Services> | undefined

async function openBackend(): Promise<ScheduleBackend> {
  const { scheduler, region } = useServerConfig()
  if (scheduler.backend === 'eventbridge') return createEventBridgeBackend(useSchedulerClient(region), scheduler.group)
  // Loaded only here: the deployed Lambda (EventBridge) never needs the local timers, and loads the executor
  // only for a run, so neither is parsed on its cold starts.
  const [{ createLocalBackend }, { executeRule }, { useExecutorDeps }] = await Promise.all([
    import('./schedules/local'),
    import('./executor/run'),
    import('./executor/deps'),
  ])
  // Locally a schedule runs what the rules:execute task runs for EventBridge Scheduler. Not through runTask:
  // Nitro runs one instance of a task at a time and hands concurrent callers the running one's result,
  // which would skip every other rule firing in the same minute.
  return createLocalBackend({ fire: async request => executeRule(await useExecutorDeps(), { ...request, dryRun: false }) })
}

/** The store, repositories and schedule backend of this process; the first call opens the store. */
export function useServices(): Promise<Services> {
  services ??= (async () => {
    const config = useServerConfig()
    const store = await openStore(config)
    const rules = createRulesRepository(store.doc, config.tables.rules)
    return {
      store,
      rules,
      logs: createLogsRepository(store.doc, config.tables.logs, config.logRetentionDays),
      schedules: { rules, backend: await openBackend(), settings: config.scheduler },
    }
  })()
  // A failed open is not cached: the next request tries again.
  services.catch(() => {
    services = undefined
  })
  return services
}

/** Stops the schedule timers and closes the store, for a clean shutdown. */
export async function closeServices(): Promise<void> {
  const current = services
  services = undefined
  if (!current) return
  const opened = await current
  await opened.schedules.backend.close()
  await opened.store.close()
}
