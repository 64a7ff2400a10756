// One field's problem in a 400 answer, as `data.issues` carries it: the server writes these from zod's issues,
// the UI puts each message next to its field.

export interface FieldIssue {
  /** The field, dotted: `quota.limit`, `filters.0.key`; empty for the whole input. */
  path: string
  message: string
}
