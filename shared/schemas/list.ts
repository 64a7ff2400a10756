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

export interface Page<T> {
  items: T[]
  cursor: string | null
}
