// The EventBridge Scheduler client, created once; endpoint and credentials follow the SDK's own settings.
import { SchedulerClient } from '@aws-sdk/client-scheduler'
import { labelFailures } from './unavailable'

let client: SchedulerClient | undefined

/** The process's Scheduler client for `region`. */
export function useSchedulerClient(region: string): SchedulerClient {
  // Adaptive retries: Scheduler throttles bursts of writes (reconcile of many rules).
  if (!client) {
    client = new SchedulerClient({ region, retryMode: 'adaptive', maxAttempts: 6 })
    // A Scheduler that cannot be reached answers 503, not 502 (aws/unavailable.ts).
    labelFailures(client, 'EventBridge Scheduler')
  }
  return client
}
