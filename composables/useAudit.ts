// The audit trail for the admin page: every change made through the API, newest first, of one rule or all
// (GET /api/audit, admin key, sent through useApi()).
import type { AuditRecord } from '#shared/schemas/audit'

export function useAudit(rule: Ref<string | undefined>) {
  return usePagedList<AuditRecord>('/api/audit', () => ({ rule: rule.value, limit: 20 }))
}
