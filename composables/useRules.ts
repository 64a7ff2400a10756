// The rules: search and cursor pages over GET /api/rules, and every change to a rule (admin key).
import type { ExecutionPreview, PreviewInput } from '#shared/schemas/execution'
import type { LogEntry } from '#shared/schemas/log'
import type { RunDispatched } from '#shared/answers/log'
import type { RuleInput, RuleView } from '#shared/schemas/rule'
// GET /api/rules/:name answers the rule with its next runs (the answer's schema: shared/answers/rule.ts).
import type { RuleDetail } from '#shared/answers/rule'

export type { RuleDetail }

/** The list: search and cursor pages, with local updates after a change. */
export function useRules() {
  const q = ref('')
  const list = usePagedList<RuleView>('/api/rules', () => ({ q: q.value.trim() || undefined, limit: 20 }))

  return {
    q,
    ...list,
    /** Replaces a rule in the current page with the server's answer, so the table shows what is stored. */
    replace(rule: RuleView) {
      list.items.value = list.items.value.map(r => (r.name === rule.name ? rule : r))
    },
    /** Drops a deleted rule; when the page empties, shows the one before (or reloads the first). */
    async dropped(name: string) {
      list.items.value = list.items.value.filter(r => r.name !== name)
      if (list.items.value.length === 0) await (list.hasPrevious.value ? list.previous() : list.reset())
    },
  }
}

const rulePath = (name: string) => `/api/rules/${encodeURIComponent(name)}`

/** Every change to a rule, and what a change would do (admin key); each answers the server's view. */
export function useRuleActions() {
  const api = useApi()
  return {
    get: (name: string) => api<RuleDetail>(rulePath(name)),
    create: (input: RuleInput) => api<RuleView>('/api/rules', { method: 'POST', body: input }),
    /** A full update guarded by the version last read: a 409 means someone changed the rule since. */
    update: (name: string, input: RuleInput, version: number) => api<RuleView>(rulePath(name), { method: 'PUT', body: { ...input, version } }),
    setEnabled: (rule: RuleView, enabled: boolean) => api<RuleView>(rulePath(rule.name), { method: 'PATCH', body: { enabled, version: rule.version } }),
    /** Pauses the rule until an instant (UTC ISO 8601), or resumes it (null). */
    setPause: (rule: RuleView, pausedUntil: string | null) => api<RuleView>(rulePath(rule.name), { method: 'PATCH', body: { pausedUntil, version: rule.version } }),
    remove: (rule: RuleView) => api<RuleView>(rulePath(rule.name), { method: 'DELETE', query: { version: rule.version } }),
    /** Runs a rule now: answers its log entry. */
    // A run over many accounts in Lambda answers that it fanned out (202): its log comes when its chunks are done.
    run: (rule: RuleView) => api<LogEntry | RunDispatched>(`${rulePath(rule.name)}/run`, { method: 'POST', body: { dryRun: false } }),
    /** What a run would do now: acts on nothing and logs nothing. */
    dryRun: (rule: RuleView) => api<ExecutionPreview>(`${rulePath(rule.name)}/run`, { method: 'POST', body: { dryRun: true } }),
    /** Which instances a rule with these settings would act on or skip (acts on nothing, logs nothing). */
    preview: (input: PreviewInput) => api<ExecutionPreview>('/api/preview', { method: 'POST', body: input }),
  }
}
