// RDS clients (DB instances and Aurora clusters), one per account and region, created on first use; the endpoint from
// AWS_ENDPOINT_URL_RDS or AWS_ENDPOINT_URL, as the SDK reads them. Loaded only by a run of a rule that names rds or aurora.
import { RDSClient } from '@aws-sdk/client-rds'
import { clientCache } from './client-cache'
import { AWS_RETRY_SETTINGS } from './credentials'
import type { AwsCredentials } from './credentials'

/** A new RDS client with adaptive retries. */
export function createRdsClient({ region, credentials, endpoint }: { region: string, credentials?: AwsCredentials, endpoint?: string }): RDSClient {
  return new RDSClient({ region, credentials, endpoint, ...AWS_RETRY_SETTINGS })
}

/** The process's RDS client for one account and region (the executor's `RdsClientFactory`). */
export const useRdsClient = clientCache(createRdsClient)
