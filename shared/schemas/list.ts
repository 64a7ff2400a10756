// Query parameters shared by the list routes: `?cursor&limit`.
import { z } from 'zod'
import { issueMessage as say } from './issue'

export const LimitSchema = z.coerce.number({ message: say('list.limit.number') })
  .int(say('list.limit.integer'))
  .min(1, say('list.limit.min'))
  .max(100, say('list.limit.max'))
  .default(50)

export const CursorSchema = z.string().min(1).max(2048, say('list.cursor.tooLong')).optional()

export const PageQuerySchema = z.object({ limit: LimitSchema, cursor: CursorSchema })

/** `GET /api/rules?cursor&limit&q`: `q` finds text in a rule's name or description. Here, not in rule.ts: the rules list
 * (a Lambda cold start's first route) constructs none of the rule's schemas. */
export const RulesQuerySchema = PageQuerySchema.extend({
  q: z.string().trim().max(100, 'q must be at most 100 characters').optional(),
})

export interface Page<T> {
  items: T[]
  cursor: string | null
}
