// Cursor pagination over one list route: owns the items, the loading and the error state.
import type { Page } from '#shared/schemas/list'

export function usePagedList<T>(url: string, query: () => Record<string, string | number | undefined>) {
  const api = useApi()
  const items = ref<T[]>([]) as Ref<T[]>
  const cursors = ref<(string | null)[]>([null])
  const page = ref(0)
  const loading = ref(false)
  // True once a page has been answered: until then an empty list is not "empty" yet.
  const loaded = ref(false)
  const error = ref<string | null>(null)

  /** Loads page `index`; `quiet` (auto-refresh) keeps the table as it is while loading and on failure. */
  async function load(index = page.value, quiet = false) {
    if (!quiet) {
      loading.value = true
      error.value = null
    }
    try {
      const cursor = cursors.value[index] ?? undefined
      const res = await api<Page<T>>(url, { query: { ...query(), cursor } })
      items.value = res.items
      cursors.value[index + 1] = res.cursor
      page.value = index
      loaded.value = true
      error.value = null
    }
    catch (e) {
      if (!quiet) error.value = apiErrorMessage(e)
    }
    finally {
      if (!quiet) loading.value = false
    }
  }

  const hasNext = computed(() => Boolean(cursors.value[page.value + 1]))
  const hasPrevious = computed(() => page.value > 0)
  const reset = () => {
    cursors.value = [null]
    return load(0)
  }

  return {
    items,
    loading,
    loaded,
    error,
    page,
    hasNext,
    hasPrevious,
    load,
    reset,
    refresh: () => load(page.value, true),
    next: () => load(page.value + 1),
    previous: () => load(page.value - 1),
  }
}
