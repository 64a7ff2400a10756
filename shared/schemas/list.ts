// Query parameters shared by the list routes: `?cursor&limit`.
import { z } from 'zod'

export const LimitSchema = z.coerce.number({ message: 'limit must be a number from 1 to 100' })
  .int('limit must be a whole number from 1 to 100')
  .min(1, 'limit must be at least 1')
  .max(100, 'limit must be at most 100')
  .default(50)

export const CursorSchema = z.string().min(1).max(2048, 'cursor is too long: pass back the cursor a list answered').optional()

export const PageQuerySchema = z.object({ limit: LimitSchema, cursor: CursorSchema })

export interface Page<T> {
  items: T[]
  cursor: string | null
}
