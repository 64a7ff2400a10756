// Per-instance overrides ("keep as is until …"): the active ones (GET /api/overrides, one list shared by every
// instance row of the page, loaded once), making one and ending one early (admin key). Each change updates the list.
import type { ResourceType } from '#shared/resource-types'
import type { Override, OverrideInput } from '#shared/schemas/override'

/** What POST /api/overrides takes, as the form sends it (`until` as UTC ISO 8601; `resourceType` left out for EC2). */
export type OverrideBody = Pick<OverrideInput, 'accountId' | 'region' | 'instanceId' | 'until'> & { resourceType?: ResourceType, reason?: string }

let loading: Promise<void> | null = null

export function useOverrides() {
  const api = useApi()
  const active = useState<Override[]>('overrides', () => [])
  const loaded = useState('overrides-loaded', () => false)

  const failed = useState<string | null>('overrides-error', () => null)

  /** Loads the active overrides once (the 100 ending soonest: an instance row shows its own among them); `fresh` reads them again. */
  function ensureLoaded(fresh = false): Promise<void> {
    if (loaded.value && !fresh) return Promise.resolve()
    loading ??= api<{ items: Override[] }>('/api/overrides', { query: { limit: 100 } })
      .then((page) => {
        active.value = page.items
        loaded.value = true
        failed.value = null
      })
      // A failed read shows no override on the rows (the next row that asks tries again); the overrides page says why.
      .catch((e) => {
        failed.value = apiErrorMessage(e)
      })
      .finally(() => {
        loading = null
      })
    return loading
  }

  /** The override of one resource that ends last, if any is still on (ids are unique only within a type; EC2 when left out). */
  function of(accountId: string, region: string, instanceId: string, resourceType: ResourceType = 'ec2'): Override | undefined {
    const now = Date.now()
    return active.value
      .filter(o => o.accountId === accountId && o.region === region && o.instanceId === instanceId && (o.resourceType ?? 'ec2') === resourceType && Date.parse(o.until) > now)
      .reduce<Override | undefined>((a, b) => (!a || Date.parse(b.until) > Date.parse(a.until) ? b : a), undefined)
  }

  return {
    /** The active overrides, soonest end first, and why they could not be read. */
    active: readonly(active),
    loaded: readonly(loaded),
    error: readonly(failed),
    ensureLoaded,
    of,
    async create(body: OverrideBody): Promise<Override> {
      const made = await api<Override>('/api/overrides', { method: 'POST', body })
      active.value = [...active.value, made]
      return made
    },
    /** Ends an override now; answers when its revert runs, if one waited for its end. */
    async end(override: Override): Promise<{ revertAt?: string }> {
      const drop = () => {
        active.value = active.value.filter(o => o.id !== override.id)
      }
      try {
        const ended = await api<Override & { revertAt?: string }>(`/api/overrides/${encodeURIComponent(override.id)}`, { method: 'DELETE' })
        drop()
        return ended
      }
      catch (e) {
        // 404: it was over already (or ended elsewhere); gone either way.
        if (apiStatus(e) === 404) drop()
        throw e
      }
    },
  }
}
