// What the audit trail answers.
import { z } from 'zod'
import { InstantText, pageOf } from './common'

export const AuditRecordAnswer = z.object({
  id: z.string(),
  at: InstantText,
  keyId: z.string(),
  keyName: z.string(),
  route: z.string().describe('e.g. PATCH /api/rules/:name'),
  path: z.string(),
  status: z.number().int(),
  rule: z.string().optional(),
  summary: z.string(),
  runId: z.string().optional(),
  ip: z.string(),
})

export const AuditPageAnswer = pageOf(AuditRecordAnswer)
