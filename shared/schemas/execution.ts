// What starts a run of a rule (the task payload), what asks for a preview, and what a preview answers.
import { z } from 'zod'
import type { Filter } from '../filters'
import { accountTargetFields, ActionSchema, FiltersSchema, refineAccountTargets, refineFilterTypes, refineTargets, RegionSchema, ResourceTypesSchema, RuleNameSchema, ScheduleExpressionSchema, SkipCalendarsSchema, TimezoneSchema } from './rule'
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
  // The schedule, for the projected saving of a stop rule (absent: no projection); `name`, the rule being edited,
  // whose stored version the projection leaves out (the draft replaces it) and whose pause it keeps.
  name: RuleNameSchema.optional(),
  scheduleExpression: ScheduleExpressionSchema.optional(),
  timezone: TimezoneSchema.default('UTC'),
  skipCalendars: SkipCalendarsSchema,
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
  /** EC2's instance type, which the projected saving is priced by. */
  instanceType?: string
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
  /** POST /api/preview of a stop rule with its schedule: what it would save per month (savings/projection.ts). */
  projection?: SavingsProjection
}

/**
 * What a stop rule would save per month, an estimate from its firings over the next PROJECTION_DAYS: each matched
 * resource is off from an acting stop until the next acting start of `startRules` (calendar days and pauses skip
 * firings of both), scaled to an average month.
 * - `paired`: the start rules that may act on the same resources (same account, region, type, and filters that can
 *   meet); `anyStart`: none may, so the next start of any rule; `noStart`: no start rule at all, so off until the end.
 */
export interface SavingsProjection {
  basis: 'paired' | 'anyStart' | 'noStart'
  /** The start rules whose starts end the time off (the first 10). */
  startRules: string[]
  /** The window the firings were listed over. */
  from: string
  to: string
  /** The rule's stops that act in the window, and the firings (its stops, and the starts) that its calendars or pauses skip. */
  stops: number
  skipped: number
  /** Hours a week one resource would be off. */
  hoursPerWeek: number
  /** The resources it would stop (an Auto Scaling group counts its desired capacity). */
  instances: number
  /** Resource-hours a month (365.25 / 12 days). */
  hoursPerMonth: number
  /** With prices: on-demand, per month; `priced` and `unpriced` count resources. */
  cost?: { amount: number, currency: string, estimated: true, source: 'csv' | 'aws', priced: number, unpriced: number }
}
