// A per-instance override: leave one instance alone until an instant, whatever its rules say. Made through the API
// (recorded with the key that made it) or by the instance's owner with a tag (NUXT_OVERRIDE_TAG).
import { z } from 'zod'
import { futureInstantSchema } from './instant'
import { issueMessage as say } from './issue'
import { AccountIdSchema, RegionSchema } from './rule'

export const INSTANCE_ID_PATTERN = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/

/** `POST /api/overrides`: which instance, until when (later than `now()`), and why. */
export function overrideInputSchema(now: () => Date = () => new Date()) {
  return z.object({
    accountId: AccountIdSchema,
    region: RegionSchema,
    instanceId: z.string().trim().regex(INSTANCE_ID_PATTERN, say('override.instanceId.format')),
    until: futureInstantSchema({ iso: 'override.until.iso', past: 'override.until.past' }, now),
    reason: z.string().trim().max(256, say('override.reason.tooLong')).transform(r => r || undefined).optional(),
  })
}

export const OverrideInputSchema = overrideInputSchema()
export type OverrideInput = z.output<typeof OverrideInputSchema>

// The repository makes ids as UUIDs.
export const OverrideParamsSchema = z.object({ id: z.uuid({ message: say('override.id.format') }) })

/** A stored override, as the API answers it. */
export interface Override extends OverrideInput {
  id: string
  createdAt: string
  /** The key that made it. */
  createdBy: { keyId: string, keyName: string }
}

/** Where an override comes from, as a run's log and a revert name it. */
export type OverrideSource
  = | { kind: 'api', id: string, until: string, keyName: string, reason?: string }
    | { kind: 'tag', tag: string, value: string, until: string }
