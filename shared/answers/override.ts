// What the overrides routes answer.
import { z } from 'zod'
import { RESOURCE_TYPES } from '../resource-types'
import { InstantText, pageOf } from './common'

export const OverrideAnswer = z.object({
  id: z.string(),
  accountId: z.string(),
  region: z.string(),
  resourceType: z.enum(RESOURCE_TYPES).optional().describe('the kind of resource instanceId names; an EC2 instance when absent'),
  instanceId: z.string(),
  until: InstantText,
  reason: z.string().optional(),
  createdAt: InstantText,
  createdBy: z.object({ keyId: z.string(), keyName: z.string() }),
})

export const OverridePageAnswer = pageOf(OverrideAnswer)

/** `DELETE /api/overrides/:id`: the override ended, and when a revert that waited for its end now runs. */
export const EndedOverrideAnswer = OverrideAnswer.extend({ revertAt: InstantText.optional() })
