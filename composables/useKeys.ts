// API keys for the admin page: the list (GET /api/keys, admin key), creating one (its key shown once) and revoking.
// Every request carries the signed-in key through useApi() (the x-api-key header of useApiKey()).
import type { ApiKeyView, KeyInput } from '#shared/schemas/key'

export function useKeys() {
  const api = useApi()
  const list = usePagedList<ApiKeyView>('/api/keys', () => ({ limit: 20 }))

  /** Creates a key; answers it with the plain key, which the server shows this once. */
  async function create(input: KeyInput): Promise<ApiKeyView & { key: string }> {
    const created = await api<ApiKeyView & { key: string }>('/api/keys', { method: 'POST', body: input })
    await list.reset()
    return created
  }

  /** Revokes a key from the next request on. */
  async function revoke(id: string): Promise<ApiKeyView> {
    const revoked = await api<ApiKeyView>(`/api/keys/${encodeURIComponent(id)}`, { method: 'DELETE' })
    list.items.value = list.items.value.map(k => (k.id === id ? revoked : k))
    return revoked
  }

  return { ...list, create, revoke }
}
