// The run logs: newest first, optionally of one rule, over GET /api/logs; one run's details on demand.
import type { LogEntry, LogSummary } from '#shared/schemas/log'

export function useLogs(rule: Ref<string | undefined>) {
  return usePagedList<LogSummary>('/api/logs', () => ({ rule: rule.value, limit: 20 }))
}

/** One run with every instance's outcome (GET /api/logs/:eventId), with its loading and error state. */
export function useLogEntry(eventId: string) {
  const api = useApi()
  const entry = ref<LogEntry | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  async function load() {
    loading.value = true
    error.value = null
    try {
      entry.value = await api<LogEntry>(`/api/logs/${encodeURIComponent(eventId)}`)
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
