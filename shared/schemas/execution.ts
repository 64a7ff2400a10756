// What starts a run of a rule (the task payload), what asks for a preview, and what a preview answers.
import { z } from 'zod'
import type { Filter } from '../filters'
import { accountTargetFields, ActionSchema, FiltersSchema, refineAccountTargets, refineFilterTypes, refineTargets, RegionSchema, ResourceTypesSchema, RuleNameSchema } from './rule'
import { normalizeAccountTargets } from '../account-targets'
import type { ResourceType } from '../resource-types'
import { issueMessage as say } from './issue'
import { TRIGGERS } from './log'
import type { RegionError } from './log'

/**
 * The payload of the `rules:execute` task. The Scheduler's Input carries `kind`, `rule`, `executionId`
 * and `scheduledTime` (unknown keys such as `kind` are dropped); a manual run sets `trigger: 'manual'`.
 */
export const ExecutionPayloadSchema = z.object({
  rule: RuleNameSchema,
  // The Scheduler's execution id: the run's eventId, so a redelivery is recognised. Absent for a manual run.
  executionId: z.string().trim().min(1, say('run.executionId.empty')).max(256, say('run.executionId.tooLong')).optional(),
  scheduledTime: z.string().refine(t => !Number.isNaN(Date.parse(t)), say('run.scheduledTime.iso')).optional(),
  trigger: z.enum(TRIGGERS, { message: say('run.trigger.choice') }).default('schedule'),
  dryRun: z.boolean({ message: say('run.dryRun.boolean') }).default(false),
})

export type ExecutionPayload = z.output<typeof ExecutionPayloadSchema>

/** The body of `POST /api/rules/:name/run`; no body at all means a real run. */
export const RunOptionsSchema = z.preprocess(
  body => body ?? {},
  z.object({ dryRun: z.boolean({ message: say('run.dryRun.boolean') }).default(false) }),
)
export type ExecutionPayloadInput = z.input<typeof ExecutionPayloadSchema>

/** `POST /api/preview`: which instances would a rule with these settings act on, and which would it skip. */
export const PreviewInputSchema = z.object({
  ...accountTargetFields,
  regions: z.array(RegionSchema).min(1, say('rule.regions.empty')).max(50).optional()
    .transform(r => r && [...new Set(r)]),
  action: ActionSchema,
  hibernate: z.boolean().default(false),
  filters: FiltersSchema.default([]),
  resourceTypes: ResourceTypesSchema.optional(),
  // The same rule as saving: a preview of every instance must be asked for, or it would overstate what a rule does.
  allInstances: z.boolean().default(false),
}).superRefine((input, ctx) => {
  refineTargets(input, ctx)
  refineFilterTypes(input, ctx)
  refineAccountTargets(input, ctx)
}).transform(normalizeAccountTargets)

export type PreviewInput = z.output<typeof PreviewInputSchema>

export interface PreviewTarget {
  /** The resource's id in its service (see LogTarget). */
  instanceId: string
  region: string
  accountId?: string
  /** Absent for an EC2 instance. */
  resourceType?: ResourceType
  name?: string
  engine?: string
  state: string
  /** What a run would do to this instance now. */
  outcome: 'would-start' | 'would-stop' | 'would-hibernate' | 'skipped'
  reason?: string
}

/** What a dry run or a preview answers: nothing was acted on and no log was written. */
export interface ExecutionPreview {
  dryRun: true
  ruleName?: string
  /** The one account, when the settings name exactly one and no organizational unit; '' otherwise. */
  accountId: string
  /** Every account previewed. */
  accountIds: string[]
  /** What the settings reach: how many accounts, through which units (read when), and how many were excluded. */
  reach: { accounts: number, organizationalUnits: string[], excluded: number, resolvedAt?: string }
  action: 'start' | 'stop'
  regions: string[]
  filters: Filter[]
  /** The previewed resource types; absent for EC2 alone. */
  resourceTypes?: ResourceType[]
  targets: PreviewTarget[]
  counts: { total: number, wouldAct: number, skipped: number }
  /** Regions that could not be read (role not assumable, region not enabled, ...). */
  errors: RegionError[]
  message?: string
}
