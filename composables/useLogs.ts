// The run logs: newest first, optionally of one rule, over GET /api/logs; one run's details on demand, and its
// outcomes page by page.
import type { ResourceType } from '#shared/resource-types'
import type { LogHead, LogSummary, LogTarget, TargetOutcome, TargetPage } from '#shared/schemas/log'

export function useLogs(rule: Ref<string | undefined>) {
  return usePagedList<LogSummary>('/api/logs', () => ({ rule: rule.value, limit: 20 }))
}

/** One run with the first page of its outcomes (GET /api/logs/:eventId), with its loading and error state. */
export function useLogEntry(eventId: string) {
  const api = useApi()
  const entry = ref<LogHead | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  async function load() {
    loading.value = true
    error.value = null
    try {
      entry.value = await api<LogHead>(`/api/logs/${encodeURIComponent(eventId)}`)
    }
    catch (e) {
      error.value = apiErrorMessage(e)
    }
    finally {
      loading.value = false
    }
  }
  return { entry, loading, error, load }
}

/** Which of a run's outcomes to show: any filter may be left empty. */
export interface OutcomeFilter {
  outcome: TargetOutcome | ''
  account: string
  type: ResourceType | ''
}

const PAGE = 100

/**
 * A run's outcomes, page by page (GET /api/logs/:eventId/targets): the run's first page to begin with, the next
 * ones on `more()`, and a filter by outcome, account and resource type, which reads from the first page again.
 */
export function useLogTargets(eventId: string) {
  const api = useApi()
  const items = ref<LogTarget[]>([])
  const cursor = ref<string | null>(null)
  // How many match the filter in all; null when the run's counts cannot say (an account and a type together).
  const total = ref<number | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let asked: OutcomeFilter = { outcome: '', account: '', type: '' }
  // A filter changed while a page was loading: only the latest request's answer is kept.
  let generation = 0

  /** Starts from the run's own first page, unfiltered. */
  function reset(head: LogHead) {
    generation++
    asked = { outcome: '', account: '', type: '' }
    items.value = head.targets
    cursor.value = head.targetsCursor
    total.value = head.counts.total
    error.value = null
  }

  async function fetchPage(from: string | null, append: boolean) {
    const mine = ++generation
    loading.value = true
    error.value = null
    try {
      const page = await api<TargetPage>(`/api/logs/${encodeURIComponent(eventId)}/targets`, {
        query: { limit: PAGE, cursor: from ?? undefined, outcome: asked.outcome || undefined, account: asked.account || undefined, type: asked.type || undefined },
      })
      if (mine !== generation) return
      items.value = append ? [...items.value, ...page.items] : page.items
      cursor.value = page.cursor
      total.value = page.total
    }
    catch (e) {
      if (mine === generation) error.value = apiErrorMessage(e)
    }
    finally {
      if (mine === generation) loading.value = false
    }
  }

  /** Shows only the outcomes that match `filter`, from the first. */
  function filter(next: OutcomeFilter) {
    asked = { ...next }
    return fetchPage(null, false)
  }

  /** Adds the next page of the outcomes shown. */
  function more() {
    return fetchPage(cursor.value, true)
  }

  return { items, cursor, total, loading, error, reset, filter, more }
}
