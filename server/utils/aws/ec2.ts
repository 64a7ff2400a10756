// EC2 clients, one per account and region, created on first use. The endpoint comes from the SDK's own
// variables (AWS_ENDPOINT_URL_EC2, then AWS_ENDPOINT_URL), which SDK v3 reads itself; tests may pass one.
import { EC2Client } from '@aws-sdk/client-ec2'
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

// Clients are reused across runs; the key includes the access key id, so refreshed credentials get a new client.
const MAX_CLIENTS = 512
const clients = new Map<string, EC2Client>()

/**
 * The process's EC2 client for one account and region, created on first use.
 * Matches the executor's `Ec2ClientFactory` signature.
 */
export function useEc2Client(accountId: string, region: string, credentials?: AwsCredentials): EC2Client {
  const key = `${accountId}/${region}/${credentials?.accessKeyId ?? 'default'}`
  let client = clients.get(key)
  if (client) {
    // Re-insert, so the map's order is least recently used first.
    clients.delete(key)
  }
  else {
    client = createEc2Client({ region, credentials })
  }
  clients.set(key, client)
  // Forget the least recently used ones and close their connections. None is in use: runs hold at most
  // NUXT_CONCURRENCY clients at a time, far fewer than MAX_CLIENTS.
  while (clients.size > MAX_CLIENTS) {
    const oldest = clients.keys().next().value!
    clients.get(oldest)?.destroy()
    clients.delete(oldest)
  }
  return client
}
