// EC2 clients, one per account and region, created on first use. The endpoint comes from the SDK's own
// variables (AWS_ENDPOINT_URL_EC2, then AWS_ENDPOINT_URL), which SDK v3 reads itself; tests may pass one.
import { EC2Client } from '@aws-sdk/client-ec2'
import { clientCache } from './client-cache'
import { AWS_RETRY_SETTINGS } from './credentials'
import type { AwsCredentials } from './credentials'

export interface Ec2ClientOptions {
  region: string
  /** Assumed-role credentials; the default provider chain (the app's own identity) when absent. */
  credentials?: AwsCredentials
  /** For tests: overrides the SDK's endpoint resolution. */
  endpoint?: string
}

/** A new EC2 client with adaptive retries. */
export function createEc2Client({ region, credentials, endpoint }: Ec2ClientOptions): EC2Client {
  return new EC2Client({ region, credentials, endpoint, ...AWS_RETRY_SETTINGS })
}

/**
 * The process's EC2 client for one account and region, created on first use.
 * Matches the executor's `Ec2ClientFactory` signature.
 */
export const useEc2Client = clientCache(createEc2Client)
