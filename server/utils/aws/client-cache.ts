// The process's SDK clients of one service, one per account, region and credentials, created on first use and
// reused across runs; the least recently used are closed beyond a bound. The endpoint comes from the SDK's own
// variables (AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL), which SDK v3 reads itself.
import type { AwsCredentials } from './credentials'

const MAX_CLIENTS = 512

/** A client factory with the executor's signature, backed by a bounded cache; `create` makes a new client. */
export function clientCache<C extends { destroy: () => void }>(create: (options: { region: string, credentials?: AwsCredentials }) => C) {
  const clients = new Map<string, C>()
  return (accountId: string, region: string, credentials?: AwsCredentials): C => {
    // The key includes the access key id, so refreshed credentials get a new client.
    const key = `${accountId}/${region}/${credentials?.accessKeyId ?? 'default'}`
    let client = clients.get(key)
    if (client) {
      // Re-insert, so the map's order is least recently used first.
      clients.delete(key)
    }
    else {
      client = create({ region, credentials })
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
}
