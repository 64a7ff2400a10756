// `GET /api/logs/:eventId/targets?cursor&limit&outcome&account&type`: a page of one run's outcomes, filtered.
import { z } from 'zod'
import { RESOURCE_TYPES } from '../resource-types'
import { issueMessage as say } from './issue'
import { CursorSchema, LimitSchema } from './list'
import { TARGET_OUTCOMES } from './log'

export const LogTargetsQuerySchema = z.object({
  cursor: CursorSchema,
  limit: LimitSchema,
  outcome: z.enum(TARGET_OUTCOMES, { message: say('log.outcome.choice') }).optional(),
  account: z.string().regex(/^\d{12}$/, say('log.account.digits')).optional(),
  type: z.enum(RESOURCE_TYPES, { message: say('log.type.choice') }).optional(),
})

export type LogTargetsQuery = z.infer<typeof LogTargetsQuerySchema>
