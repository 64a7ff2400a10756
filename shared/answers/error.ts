// What every failed request answers: h3's JSON error, with one readable statusMessage; a 400 of validation carries
// `data.issues`, one per field, with a code the UI translates (shared/schemas/issue.ts).
import { z } from 'zod'

export const FieldIssueAnswer = z.object({
  path: z.string().describe('the field, dotted (`quota.limit`, `filters.0.key`); empty for the whole input'),
  code: z.string().describe('a code of the issue catalog (shared/schemas/issue.ts), or `invalid`'),
  params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  message: z.string().describe('the English message'),
})

export const ErrorAnswer = z.looseObject({
  error: z.literal(true).optional(),
  url: z.string().optional(),
  statusCode: z.number().int(),
  statusMessage: z.string(),
  message: z.string().optional(),
  data: z.looseObject({
    error: z.string().optional().describe('the domain error\'s name, e.g. RuleNotFound, VersionConflict, ServiceUnavailable'),
    issues: z.array(FieldIssueAnswer).optional(),
    rules: z.array(z.string()).optional().describe('a calendar in use: the rules that skip its days'),
    service: z.string().optional().describe('a 503: the store, table or service that cannot be used'),
  }).optional(),
})

export type FieldIssueView = z.output<typeof FieldIssueAnswer>
export type ErrorView = z.output<typeof ErrorAnswer>
