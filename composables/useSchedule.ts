// The schedule of rules over a window (GET /api/schedule), with its loading and error state; the names of the rules
// to choose from. A newer request wins over one still under way.
import type { Page } from '#shared/schemas/list'
import type { RuleView } from '#shared/schemas/rule'
import type { ScheduleAnswer } from '#shared/schemas/schedule'

export function useSchedule() {
  const api = useApi()
  const answer = ref<ScheduleAnswer | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let asked = 0
  async function load(from: string, to: string, rules: string[]) {
    const mine = ++asked
    loading.value = true
    error.value = null
    try {
      const got = await api<ScheduleAnswer>('/api/schedule', { query: { from, to, rules: rules.length ? rules.join(',') : undefined } })
      if (mine === asked) answer.value = got
    }
    catch (e) {
      if (mine === asked) error.value = apiErrorMessage(e)
    }
    finally {
      if (mine === asked) loading.value = false
    }
  }
  return { answer, loading, error, load }
}

/** The rules to choose from (up to 500, in name order), with what a firing's dialog shows of each. */
export function useRuleChoice() {
  const api = useApi()
  const rules = ref<RuleView[]>([])
  const loading = ref(false)
  async function load() {
    loading.value = true
    try {
      const all: RuleView[] = []
      let cursor: string | undefined
      do {
        const page = await api<Page<RuleView>>('/api/rules', { query: { limit: 100, cursor } })
        all.push(...page.items)
        cursor = page.cursor ?? undefined
      } while (cursor && all.length < 500)
      rules.value = all
    }
    catch {
      // The choice then offers the rules in the URL only; the schedule itself says what went wrong.
    }
    finally {
      loading.value = false
    }
  }
  return { rules, loading, load }
}
