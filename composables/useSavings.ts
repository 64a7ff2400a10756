// The savings of a range (GET /api/savings): by day for the chart, and by rule and by account for the top lists,
// asked together; a newer request wins over one still under way.
import type { SavingsAnswer } from '#shared/schemas/savings'

export interface SavingsView {
  byDay: SavingsAnswer
  byRule: SavingsAnswer
  byAccount: SavingsAnswer
}

export function useSavings() {
  const api = useApi()
  const view = ref<SavingsView | null>(null)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let asked = 0
  async function load(from: string, to: string) {
    const mine = ++asked
    loading.value = true
    error.value = null
    try {
      const get = (groupBy: string) => api<SavingsAnswer>('/api/savings', { query: { from, to, groupBy } })
      const [byDay, byRule, byAccount] = await Promise.all([get('day'), get('rule'), get('account')])
      if (mine === asked) view.value = { byDay, byRule, byAccount }
    }
    catch (e) {
      if (mine === asked) error.value = apiErrorMessage(e)
    }
    finally {
      if (mine === asked) loading.value = false
    }
  }
  return { view, loading, error, load }
}

/** The grouped items as CSV (key, hours, amount), for download. */
export function savingsCsv(answer: SavingsAnswer, keyHeader: string): string {
  const quote = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)
  const head = [keyHeader, 'hours', ...(answer.cost ? [`amount (${answer.cost.currency}, estimated)`] : [])]
  const rows = answer.items.map(i => [quote(i.key || '-'), String(i.hours), ...(answer.cost ? [String(i.amount ?? 0)] : [])])
  return [head, ...rows].map(r => r.join(',')).join('\n') + '\n'
}
