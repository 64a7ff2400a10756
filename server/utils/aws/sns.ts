// The SNS client, created once and loaded only when an sns channel delivers (services load this file lazily).
import { SNSClient } from '@aws-sdk/client-sns'

let client: SNSClient | undefined

/** The process's SNS client for `region`; the SDK's own settings give its endpoint and credentials. */
export function useSnsClient(region: string): SNSClient {
  client ??= new SNSClient({ region, maxAttempts: 1 })
  return client
}
