// Each rule's savings of the last 30 days, for the rules list's column: one GET /api/savings?groupBy=rule for every
// rule at once, asked in the browser once the list shows (never by the list's own request, whose cold start issue 12
// measures), and again only when it is older than five minutes. A failure (a visitor without a key when
// NUXT_PUBLIC_READ=false) leaves the column at its dashes.
import type { SavingsAnswer } from '#shared/schemas/savings'

const FRESH_MS = 5 * 60_000
const DAY_MS = 86_400_000

interface RuleSavings {
  byRule: Record<string, { hours: number, amount?: number }>
  currency?: string
  at: number
}

let asking: Promise<void> | null = null

export function useRuleSavings() {
  const state = useState<RuleSavings | null>('rule-savings', () => null)
  const api = useApi()

  /** Asks for the last 30 UTC days (today included), unless a fresh answer is held or a request is under way. */
  function ensure(): Promise<void> {
    if (import.meta.server || (state.value && Date.now() - state.value.at < FRESH_MS)) return Promise.resolve()
    asking ??= api<SavingsAnswer>('/api/savings', { query: { groupBy: 'rule', from: new Date(Date.now() - 29 * DAY_MS).toISOString().slice(0, 10) } })
      .then((answer) => {
        state.value = {
          byRule: Object.fromEntries(answer.items.map(i => [i.key, { hours: i.hours, ...(i.amount !== undefined ? { amount: i.amount } : {}) }])),
          ...(answer.cost ? { currency: answer.cost.currency } : {}),
          at: Date.now(),
        }
      })
      .catch(() => {})
      .finally(() => {
        asking = null
      })
    return asking
  }

  /** The savings of `rule`, or null (none, or not asked yet). */
  const of = (rule: string) => {
    const s = state.value?.byRule[rule]
    return s && s.hours > 0 ? { ...s, currency: state.value?.currency } : null
  }
  return { ensure, of }
}
