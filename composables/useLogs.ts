// The run logs: newest first, optionally of one rule, over GET /api/logs.
import type { LogSummary } from '#shared/schemas/log'

export function useLogs(rule: Ref<string | undefined>) {
  return usePagedList<LogSummary>('/api/logs', () => ({ rule: rule.value, limit: 50 }))
}
