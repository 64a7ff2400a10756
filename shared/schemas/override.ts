// A per-instance override: leave one instance alone until an instant, whatever its rules say. Made through the API
// (recorded with the key that made it) or by the instance's owner with a tag (NUXT_OVERRIDE_TAG).
import { z } from 'zod'
import { RESOURCE_TYPES } from '../resource-types'
import type { ResourceType } from '../resource-types'
import { futureInstantSchema } from './instant'
import { issue, issueMessage as say, zodIssue } from './issue'
import type { IssueCode } from './issue'
import { AccountIdSchema, RegionSchema } from './rule'

export const INSTANCE_ID_PATTERN = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/
// A DB instance's or cluster's identifier: 1-63 letters, digits and hyphens, a letter first, no hyphen last or twice.
const DB_IDENTIFIER_PATTERN = /^(?=.{1,63}$)[a-z](?:-?[a-z0-9])*$/i
// An Auto Scaling group's name: 1-255 characters; no control character, and no `#`, which separates the parts of the
// keys an override's revert is stored under.
// eslint-disable-next-line no-control-regex
const GROUP_NAME_PATTERN = /^[^\u0000-\u001F\u007F#]{1,255}$/

/** What names one resource of each type, and the issue of a name that is not one. */
const ID_OF_TYPE: Record<ResourceType, { pattern: RegExp, code: IssueCode }> = {
  ec2: { pattern: INSTANCE_ID_PATTERN, code: 'override.instanceId.format' },
  rds: { pattern: DB_IDENTIFIER_PATTERN, code: 'override.instanceId.rds' },
  aurora: { pattern: DB_IDENTIFIER_PATTERN, code: 'override.instanceId.aurora' },
  asg: { pattern: GROUP_NAME_PATTERN, code: 'override.instanceId.asg' },
}

/** Whether `id` can name a resource of `type` (the UI offers "keep as is" only on those). */
export const isResourceId = (id: string, type: ResourceType = 'ec2') => ID_OF_TYPE[type].pattern.test(id)

/**
 * `POST /api/overrides`: which resource (an EC2 instance when `resourceType` is left out; an RDS instance's or Aurora
 * cluster's identifier, or an Auto Scaling group's name), until when (later than `now()`), and why.
 */
export function overrideInputSchema(now: () => Date = () => new Date()) {
  return z.object({
    accountId: AccountIdSchema,
    region: RegionSchema,
    resourceType: z.enum(RESOURCE_TYPES, { message: say('override.resourceType.choice') }).optional()
      .describe('the kind of resource instanceId names; an EC2 instance when left out'),
    instanceId: z.string().trim().min(1, say('override.instanceId.required'))
      .describe('the resource: an EC2 instance id, an RDS instance\'s or Aurora cluster\'s identifier, or an Auto Scaling group\'s name'),
    until: futureInstantSchema({ iso: 'override.until.iso', past: 'override.until.past' }, now),
    reason: z.string().trim().max(256, say('override.reason.tooLong')).transform(r => r || undefined).optional(),
  }).superRefine((input, ctx) => {
    // An unknown type has its own issue already: the id is judged only against a type known.
    const kind = ID_OF_TYPE[input.resourceType ?? 'ec2'] as typeof ID_OF_TYPE[ResourceType] | undefined
    if (kind && input.instanceId && !kind.pattern.test(input.instanceId)) ctx.addIssue(zodIssue(issue(kind.code, { value: input.instanceId }), ['instanceId']))
  }).transform(({ resourceType, ...rest }) => ({ ...rest, ...(resourceType && resourceType !== 'ec2' ? { resourceType } : {}) }))
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
