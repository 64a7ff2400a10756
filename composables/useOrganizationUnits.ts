// The organization's tree for the rule dialog's OU picker (admin key): GET /api/organization/units answers the roots,
// or the units directly beneath one parent. `state` says whether there is a tree to pick from: `noRole` when the
// server has no organization role (409), `hidden` for a key that may not read it (403).
import type { OrganizationUnitsLevel } from '#shared/answers/organization'

export type UnitsState = 'loading' | 'ready' | 'noRole' | 'hidden' | 'error'

export function useOrganizationUnits() {
  const api = useApi()
  const state = ref<UnitsState>('loading')
  const error = ref('')

  /** The units directly beneath `parent`, or the roots; a failure of the roots sets `state`, of a level below throws. */
  async function children(parent?: string): Promise<OrganizationUnitsLevel['units']> {
    if (!parent) {
      state.value = 'loading'
      error.value = ''
    }
    try {
      const level = await api<OrganizationUnitsLevel>('/api/organization/units', { query: parent ? { parent } : {} })
      if (!parent) state.value = 'ready'
      return level.units
    }
    catch (e) {
      if (parent) throw e
      const status = apiStatus(e)
      state.value = status === 409 ? 'noRole' : status === 401 || status === 403 ? 'hidden' : 'error'
      error.value = apiErrorMessage(e)
      return []
    }
  }

  return { state, error, children }
}
