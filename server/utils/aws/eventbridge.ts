// The EventBridge (events) client, created once and loaded only when an eventbridge channel delivers.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge'

let client: EventBridgeClient | undefined

/** The process's EventBridge client for `region`; the SDK's own settings give its endpoint and credentials. */
export function useEventBridgeClient(region: string): EventBridgeClient {
  client ??= new EventBridgeClient({ region, maxAttempts: 1 })
  return client
}
