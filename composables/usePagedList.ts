// Cursor pagination over one list route: owns the items, the loading and the error state.
import type { Page } from '#shared/schemas/list'

export function usePagedList<T>(url: string, query: () => Record<string, string | number | undefined>) {
  const items = ref<T[]>([]) as Ref<T[]>
  const cursors = ref<(string | null)[]>([null])
  const page = ref(0)
  const loading = ref(false)
  const error = ref<string | null>(null)

  async function load(index = page.value) {
    loading.value = true
    error.value = null
    try {
      const cursor = cursors.value[index] ?? undefined
      const res = await $fetch<Page<T>>(url, { query: { ...query(), cursor } })
      items.value = res.items
      cursors.value[index + 1] = res.cursor
      page.value = index
    }
    catch (e) {
      const err = e as { data?: { statusMessage?: string }, message?: string }
      error.value = err.data?.statusMessage ?? err.message ?? 'request failed'
    }
    finally {
      loading.value = false
    }
  }

  const hasNext = computed(() => Boolean(cursors.value[page.value + 1]))
  const hasPrevious = computed(() => page.value > 0)
  const reset = () => {
    cursors.value = [null]
    return load(0)
  }

  return { items, loading, error, page, hasNext, hasPrevious, load, reset, next: () => load(page.value + 1), previous: () => load(page.value - 1) }
}
