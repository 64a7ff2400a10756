// The STS client of the app's own identity, created on first use in the app's region. The endpoint comes
// from the SDK's own variables (AWS_ENDPOINT_URL_STS, then AWS_ENDPOINT_URL), which SDK v3 reads itself.
import { STSClient } from '@aws-sdk/client-sts'
import { useServerConfig } from '../config'
import { AWS_RETRY_SETTINGS } from './credentials'

export interface StsClientOptions {
  region: string
  /** For tests: overrides the SDK's endpoint resolution. */
  endpoint?: string
}

/** A new STS client with adaptive retries, using the default credential chain (the app's identity). */
export function createStsClient({ region, endpoint }: StsClientOptions): STSClient {
  return new STSClient({ region, endpoint, ...AWS_RETRY_SETTINGS })
}

let sts: STSClient | undefined

/** The process's STS client, in the configured region. */
export function useStsClient(): STSClient {
  sts ??= createStsClient({ region: useServerConfig().region })
  return sts
}
