// The API key of this tab: checked with GET /api/auth/whoami, kept in sessionStorage (or localStorage with
// "remember me"), and sent only in the x-api-key header. Without a valid key the whole UI is read-only.
import type { WhoAmI } from '#shared/answers/key'

/** What GET /api/auth/whoami answers (its schema: shared/answers/key.ts). */
export type KeyIdentity = WhoAmI

const STORAGE_KEY = 'ouroboros:api-key'

function storages(): Storage[] {
  return import.meta.client ? [sessionStorage, localStorage] : []
}

function forget() {
  for (const s of storages()) s.removeItem(STORAGE_KEY)
}

export function useApiKey() {
  // Set only in the browser: the server renders every page read-only.
  const key = useState<string | null>('api-key', () => null)
  const identity = useState<KeyIdentity | null>('api-key-identity', () => null)
  const dialogOpen = useState('api-key-dialog', () => false)

  const signedIn = computed(() => Boolean(key.value && identity.value))
  // A key scoped 'read' (should the server issue one) changes nothing, so it sees the read-only UI.
  const canWrite = computed(() => signedIn.value && identity.value?.scope !== 'read')
  const isAdmin = computed(() => signedIn.value && identity.value?.scope === 'admin')

  function whoami(candidate: string) {
    return $fetch<KeyIdentity>('/api/auth/whoami', { headers: { 'x-api-key': candidate } })
  }

  /** Checks the key with the server, then keeps it; throws the server's refusal (401) for a wrong key. */
  async function signIn(candidate: string, remember: boolean): Promise<KeyIdentity> {
    const who = await whoami(candidate)
    forget()
    ;(remember ? localStorage : sessionStorage).setItem(STORAGE_KEY, candidate)
    key.value = candidate
    identity.value = who
    return who
  }

  function signOut() {
    forget()
    key.value = null
    identity.value = null
  }

  /** At start: takes up a saved key if the server still accepts it; a refused key is forgotten. */
  async function restore() {
    const saved = storages().map(s => s.getItem(STORAGE_KEY)).find(Boolean)
    if (!saved || key.value) return
    try {
      identity.value = await whoami(saved)
      key.value = saved
    }
    catch (e) {
      // A network failure keeps the key for the next visit; only a refusal forgets it.
      if (apiStatus(e) === 401) forget()
    }
  }

  /** The auth header of a request, empty when read-only. */
  function headers(): Record<string, string> {
    return key.value ? { 'x-api-key': key.value } : {}
  }

  return {
    identity: readonly(identity),
    signedIn,
    canWrite,
    isAdmin,
    dialogOpen,
    signIn,
    signOut,
    restore,
    headers,
  }
}
