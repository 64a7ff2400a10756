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

  function show(res: Page<T>, index: number) {
    items.value = res.items
    cursors.value[index + 1] = res.cursor
    page.value = index
    loaded.value = true
    error.value = null
  }

  /** Loads page `index`; `quiet` (auto-refresh) keeps the table as it is while loading and on failure. */
  async function load(index = page.value, quiet = false) {
    if (!quiet) {
      loading.value = true
      error.value = null
    }
    try {
      const cursor = cursors.value[index] ?? undefined
      show(await api<Page<T>>(url, { query: { ...query(), cursor } }), index)
    }
    catch (e) {
      if (!quiet) error.value = apiErrorMessage(e)
    }
    finally {
      if (!quiet) loading.value = false
    }
  }

  /**
   * The first page, loaded while the server renders the page and carried to the browser in its payload, so the HTML
   * holds the list and the browser shows it without a request of its own (issue 13: the largest paint waited for
   * that request). The server renders read-only: a failure there (with NUXT_PUBLIC_READ=false, a read needs the
   * key the browser has) leaves the list unloaded, and the browser loads it once mounted (see `loadIfNeeded`).
   * Only the first render takes it: a later visit of the page in the browser loads afresh.
   */
  async function prefetch(key: string) {
    const nuxtApp = useNuxtApp()
    const first = useState<Page<T> | null>(`list:${key}`, () => null)
    if (import.meta.server) first.value = await api<Page<T>>(url, { query: query() }).catch(() => null)
    else if (!nuxtApp.isHydrating) first.value = null
    if (first.value) show(first.value, 0)
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
    prefetch,
    /** Once mounted: loads the first page unless the server's render brought it. */
    loadIfNeeded: () => (loaded.value ? undefined : reset()),
    refresh: () => load(page.value, true),
    next: () => load(page.value + 1),
    previous: () => load(page.value - 1),
  }
}
