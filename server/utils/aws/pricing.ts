// The Price List Query API client, created on first use. The API answers only in a few regions (us-east-1 among
// them) and prices every region from there, so the client is always in us-east-1. Loaded lazily: only savings
// priced in AWS need it.
import type { PricingClient } from '@aws-sdk/client-pricing'

let client: Promise<PricingClient> | undefined

/** The process's Price List client. */
export function usePricingClient(): Promise<PricingClient> {
  client ??= import('@aws-sdk/client-pricing').then(({ PricingClient }) => new PricingClient({ region: 'us-east-1', maxAttempts: 5, retryMode: 'adaptive' }))
  return client
}
