// One record of the audit trail, as GET /api/audit answers it: who changed what through the API, when, from where.
// The server writes these (server/utils/audit/repository.ts); the audit page shows them.

export interface AuditRecord {
  id: string
  at: string
  keyId: string
  keyName: string
  /** e.g. `PATCH /api/rules/:name`. */
  route: string
  path: string
  status: number
  /** The rule the change was about, when there is one. */
  rule?: string
  summary: string
  /** The run a change started (Run now), which the audit page links to. */
  runId?: string
  ip: string
}
