// Auto Scaling clients, one per account and region, created on first use; the endpoint from
// AWS_ENDPOINT_URL_AUTO_SCALING or AWS_ENDPOINT_URL, as the SDK reads them. Loaded only by a run of a rule that names asg.
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import { clientCache } from './client-cache'
import { AWS_RETRY_SETTINGS } from './credentials'
import type { AwsCredentials } from './credentials'

/** A new Auto Scaling client with adaptive retries. */
export function createAutoScalingClient({ region, credentials, endpoint }: { region: string, credentials?: AwsCredentials, endpoint?: string }): AutoScalingClient {
  return new AutoScalingClient({ region, credentials, endpoint, ...AWS_RETRY_SETTINGS })
}

/** The process's Auto Scaling client for one account and region (the executor's `AutoScalingClientFactory`). */
export const useAutoScalingClient = clientCache(createAutoScalingClient)
