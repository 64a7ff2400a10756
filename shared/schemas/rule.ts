// The Rule: one schema, used by the browser form and by the server routes alike.
import { z } from 'zod'
import { filterKeyError, filterValueError, FilterSyntaxError, formatFilters, mergeFilters, parseFilterText } from '../filters'
import type { Filter } from '../filters'
import { AWS_REGIONS, isAwsRegion } from '../regions'
import { isValidTimeZone, scheduleExpressionError } from '../schedule'

export const RULE_NAME_PATTERN = /^[\w.-]{1,64}$/

export const RuleNameSchema = z.string()
  .min(1, 'name is required: 1-64 characters of letters, digits, . _ or -')
  .max(64, 'name must be at most 64 characters (EventBridge Scheduler\'s limit)')
  .regex(RULE_NAME_PATTERN, 'name may only contain letters, digits, . _ and - (EventBridge Scheduler\'s rule for names)')

/** The path parameters of `/api/rules/:name` and the routes under it. */
export const RuleParamsSchema = z.object({ name: RuleNameSchema })

export const AccountIdSchema = z.string().regex(/^\d{12}$/, 'accountId must be exactly 12 digits, e.g. 123456789012')

export const RegionSchema = z.string().refine((code): boolean => isAwsRegion(code), {
  message: `not an AWS region code: use one like us-east-1 or eu-west-1 (known: ${AWS_REGIONS.slice(0, 6).join(', ')}, ...)`,
})

export const ActionSchema = z.enum(['start', 'stop'], { message: 'action must be "start" or "stop"' })

export const ScheduleExpressionSchema = z.string().trim().superRefine((value, ctx) => {
  const error = scheduleExpressionError(value)
  if (error) ctx.addIssue({ code: 'custom', message: error })
})

export const TimezoneSchema = z.string().trim().refine(isValidTimeZone, {
  message: 'timezone must be an IANA time zone name, e.g. UTC, Europe/Berlin or America/New_York',
})

const StructuredFilterSchema = z.object({
  key: z.string().trim(),
  values: z.array(z.string().trim()).min(1, 'each filter needs at least one value'),
})

/** Filters in either form (`tag:Name=web,vpc-id=vpc-1` or `[{ key, values }]`), answered structured and merged. */
export const FiltersSchema = z.union([z.string().max(8192), z.array(StructuredFilterSchema).max(50)], {
  message: 'filters must be text like tag:Name=web,vpc-id=vpc-4085e027 or a list of { key, values }',
}).transform((input, ctx): Filter[] => {
  let filters: Filter[]
  try {
    filters = typeof input === 'string' ? parseFilterText(input) : mergeFilters(input)
  }
  catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e
    ctx.addIssue({ code: 'custom', message: e.message })
    return z.NEVER
  }
  for (const f of filters) {
    const message = filterKeyError(f.key) ?? f.values.map(v => filterValueError(f.key, v)).find(Boolean)
    if (message) ctx.addIssue({ code: 'custom', message })
  }
  return filters
})

/**
 * No filters means every instance of the account: a rule, and a preview of one, must say so with
 * `allInstances: true`, so that a filter lost on the way never widens what is acted on (or shown as acted on).
 */
export function refineTargets(input: { filters: unknown[], allInstances: boolean }, ctx: z.RefinementCtx): void {
  if (input.filters.length === 0 && !input.allInstances) {
    ctx.addIssue({
      code: 'custom',
      path: ['allInstances'],
      message: 'with no filters the rule acts on every instance in the account: set allInstances to true to confirm, or add a filter',
    })
  }
  if (input.filters.length > 0 && input.allInstances) {
    ctx.addIssue({ code: 'custom', path: ['allInstances'], message: 'allInstances must be false when filters are given' })
  }
}

/** What a person sends to create a rule. `regions` falls back to the app's region on the server. */
export const RuleInputSchema = z.object({
  name: RuleNameSchema,
  description: z.string().max(512, 'description must be at most 512 characters').optional(),
  accountId: AccountIdSchema,
  regions: z.array(RegionSchema).min(1, 'regions needs at least one region, e.g. ["us-east-1"]').max(50).optional()
    .transform(r => r && [...new Set(r)]),
  action: ActionSchema,
  hibernate: z.boolean().default(false),
  filters: FiltersSchema.default([]),
  allInstances: z.boolean().default(false),
  scheduleExpression: ScheduleExpressionSchema,
  timezone: TimezoneSchema.default('UTC'),
  enabled: z.boolean().default(true),
}).superRefine((rule, ctx) => {
  if (rule.hibernate && rule.action !== 'stop') {
    ctx.addIssue({ code: 'custom', path: ['hibernate'], message: 'hibernate only applies to the "stop" action' })
  }
  refineTargets(rule, ctx)
})

/** A full update: the same fields, plus the `version` the client last read (optimistic locking). */
export const RuleUpdateSchema = z.intersection(
  RuleInputSchema,
  z.object({ version: z.number({ message: 'version is required: send the version you last read' }).int().min(1) }),
)

export const RulePatchSchema = z.object({
  enabled: z.boolean({ message: 'enabled must be true or false' }),
  version: z.number().int().min(1).optional(),
})

export type RuleInput = z.input<typeof RuleInputSchema>
export type RuleDraft = z.output<typeof RuleInputSchema>
export type RuleUpdate = z.output<typeof RuleUpdateSchema>
export type RulePatch = z.output<typeof RulePatchSchema>

/** `in-sync`: the schedule matches the rule; `pending`: a change is not yet applied; `drift`: it differs. */
export type ScheduleStatus = 'in-sync' | 'pending' | 'drift'

/** What the app last wrote to the rule's schedule (stored with the rule, not shown). */
export interface ScheduleSync {
  status: 'in-sync' | 'pending'
  /** Hash of the schedule as last written. */
  hash?: string
  /** The schedule's LastModificationDate after our write: a later one means someone else changed it. */
  modifiedAt?: string
}

/** A stored rule. */
export interface Rule extends Omit<RuleDraft, 'regions'> {
  regions: string[]
  createdAt: string
  updatedAt: string
  version: number
  schedule?: ScheduleSync
}

/** A rule as the API answers it: filters in both forms, and the state of its schedule. */
export interface RuleView extends Omit<Rule, 'schedule'> {
  filterText: string
  scheduleStatus: ScheduleStatus
}

/** Shapes a stored rule for the API: adds the string form of the filters and the schedule status. */
export function toRuleView(rule: Rule, scheduleStatus: ScheduleStatus = rule.schedule?.status ?? 'pending'): RuleView {
  const { schedule: _schedule, ...rest } = rule
  return { ...rest, filterText: formatFilters(rule.filters), scheduleStatus }
}
