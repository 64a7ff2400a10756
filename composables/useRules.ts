// The rules list: search and cursor pages over GET /api/rules.
import type { RuleView } from '#shared/schemas/rule'

export function useRules() {
  const q = ref('')
  const list = usePagedList<RuleView>('/api/rules', () => ({ q: q.value || undefined, limit: 50 }))
  return { q, ...list }
}
