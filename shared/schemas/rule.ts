// The Rule: one schema, used by the browser form and by the server routes alike.
import { z } from 'zod'
import { filterIssue, filterKeyIssue, filterTypeIssue, FilterSyntaxError, mergeFilters, parseFilterText } from '../filters'
import type { Filter } from '../filters'
import { AWS_REGIONS, isAwsRegion } from '../regions'
import { RESOURCE_TYPES, resourceTypesOf } from '../resource-types'
import { explicitAccounts, normalizeAccountTargets } from '../account-targets'
import type { AccountTargetsInput } from '../account-targets'
import type { ResourceType } from '../resource-types'
import { isValidTimeZone, scheduleExpressionIssue } from '../schedule'
import { CalendarNameSchema } from './calendar'
import { PageQuerySchema } from './list'
import { futureInstantSchema } from './instant'
import { issue, issueMessage as say, zodIssue } from './issue'

export const RULE_NAME_PATTERN = /^[\w.-]{1,64}$/

// The messages of built-in checks come from the catalog (./issue.ts), which finds their codes from them.
export const RuleNameSchema = z.string()
  .min(1, say('rule.name.required'))
  .max(64, say('rule.name.tooLong'))
  .regex(RULE_NAME_PATTERN, say('rule.name.chars'))

/** The path parameters of `/api/rules/:name` and the routes under it. */
export const RuleParamsSchema = z.object({ name: RuleNameSchema })

/** `?cursor&limit&rule`: a page of what concerns one rule, or every rule (the logs, the audit trail). */
export const ByRulePageQuerySchema = PageQuerySchema.extend({ rule: RuleNameSchema.optional() })

export const AccountIdSchema = z.string().regex(/^\d{12}$/, say('rule.accountId.digits'))

/** At most this many explicit accounts per rule (and as many excluded ones). */
export const MAX_RULE_ACCOUNTS = 1000
/** An organizational unit (`ou-xxxx-yyyyyyyy`) or an organization's root (`r-xxxx`), as AWS Organizations writes them. */
export const ORGANIZATIONAL_UNIT_PATTERN = /^(?:ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/
export const OrganizationalUnitIdSchema = z.string().regex(ORGANIZATIONAL_UNIT_PATTERN, say('rule.organizationalUnits.format'))

const accountList = (code: 'rule.accountIds.tooMany' | 'rule.excludeAccountIds.tooMany') =>
  z.array(AccountIdSchema).max(MAX_RULE_ACCOUNTS, say(code)).transform(ids => [...new Set(ids)])

/**
 * Which accounts a rule (or a preview) reaches: explicit `accountIds`, every active account beneath
 * `organizationalUnits` (resolved when it runs), never the `excludeAccountIds`. The single `accountId` of rules
 * written before is still taken, as a one-item list.
 */
export const accountTargetFields = {
  accountId: AccountIdSchema.optional(),
  accountIds: accountList('rule.accountIds.tooMany').optional(),
  organizationalUnits: z.array(OrganizationalUnitIdSchema).max(100, say('rule.organizationalUnits.tooMany')).optional()
    .transform(ous => ous && [...new Set(ous)]),
  excludeAccountIds: accountList('rule.excludeAccountIds.tooMany').optional(),
}

/** Some account or OU is named, within the limit, and none is both targeted and excluded. */
export function refineAccountTargets(input: AccountTargetsInput, ctx: z.RefinementCtx): void {
  const ids = explicitAccounts(input)
  const ous = input.organizationalUnits ?? []
  if (ids.length === 0 && ous.length === 0) ctx.addIssue(zodIssue(issue('rule.accounts.empty'), ['accountIds']))
  if (ids.length > MAX_RULE_ACCOUNTS) ctx.addIssue(zodIssue(issue('rule.accountIds.tooMany'), ['accountIds']))
  const targeted = new Set(ids)
  ;(input.excludeAccountIds ?? []).forEach((id, i) => {
    if (targeted.has(id)) ctx.addIssue(zodIssue(issue('rule.excludeAccountIds.overlap', { account: id }), ['excludeAccountIds', i]))
  })
}

const KNOWN_REGIONS = AWS_REGIONS.slice(0, 6).join(', ')

export const RegionSchema = z.string().superRefine((code, ctx) => {
  if (!isAwsRegion(code)) ctx.addIssue(zodIssue(issue('rule.regions.unknown', { known: KNOWN_REGIONS, value: code })))
})

export const ActionSchema = z.enum(['start', 'stop'], { message: say('rule.action.choice') })

export const ScheduleExpressionSchema = z.string().trim().superRefine((value, ctx) => {
  const problem = scheduleExpressionIssue(value)
  if (problem) ctx.addIssue(zodIssue(problem))
})

export const TimezoneSchema = z.string().trim().refine(isValidTimeZone, { message: say('rule.timezone.unknown') })

const StructuredFilterSchema = z.object({
  key: z.string().trim(),
  values: z.array(z.string().trim()).min(1, say('rule.filters.noValue')),
})

/** Filters in either form (`tag:Name=web,vpc-id=vpc-1` or `[{ key, values }]`), answered structured and merged. */
export const FiltersSchema = z.union([z.string().max(8192), z.array(StructuredFilterSchema).max(50)], {
  message: say('rule.filters.shape'),
}).transform((input, ctx): Filter[] => {
  let filters: Filter[]
  try {
    filters = typeof input === 'string' ? parseFilterText(input) : mergeFilters(input)
  }
  catch (e) {
    if (!(e instanceof FilterSyntaxError)) throw e
    ctx.addIssue(zodIssue(e.issue))
    return z.NEVER
  }
  for (const f of filters) {
    const problem = filterIssue(f)
    if (problem) ctx.addIssue(zodIssue(problem))
  }
  return filters
})

/** The kinds of resource a rule acts on; left out, EC2 instances (so rules stored before the others are unchanged). */
export const ResourceTypesSchema = z.array(z.enum(RESOURCE_TYPES, { message: say('rule.resourceTypes.choice') }))
  .min(1, say('rule.resourceTypes.empty'))
  .max(RESOURCE_TYPES.length)
  .transform(types => [...new Set(types)])

/** Every filter key must apply to every type of the rule (several types: the tag keys only); issues under `filters`. */
export function refineFilterTypes(input: { filters: Filter[], resourceTypes?: readonly ResourceType[] }, ctx: z.RefinementCtx): void {
  // Filters that did not parse have their issue already, and may reach this check unparsed (zod runs an object's
  // refinements over a field that failed): a text of filters is not a list of them.
  if (!Array.isArray(input.filters)) return
  const types = resourceTypesOf(input)
  for (const f of input.filters) {
    if (typeof f?.key !== 'string') continue
    // A key no type knows has its issue already (FiltersSchema).
    if (filterKeyIssue(f.key)) continue
    const problem = filterTypeIssue(f.key, types)
    if (problem) ctx.addIssue(zodIssue(problem, ['filters']))
  }
}

/**
 * No filters means every instance of the account: a rule, and a preview of one, must say so with
 * `allInstances: true`, so that a filter lost on the way never widens what is acted on (or shown as acted on).
 */
export function refineTargets(input: { filters: unknown[], allInstances: boolean }, ctx: z.RefinementCtx): void {
  if (input.filters.length === 0 && !input.allInstances) ctx.addIssue(zodIssue(issue('rule.allInstances.confirm'), ['allInstances']))
  if (input.filters.length > 0 && input.allInstances) ctx.addIssue(zodIssue(issue('rule.allInstances.withFilters'), ['allInstances']))
}

/** The calendars whose days a rule skips: at most 10, each once. */
export const SkipCalendarsSchema = z.array(CalendarNameSchema).max(10, say('rule.skipCalendars.tooMany')).default([])
  .transform(names => [...new Set(names)])

/** What a person sends to create a rule. `regions` falls back to the app's region on the server. */
export const RuleInputSchema = z.object({
  name: RuleNameSchema,
  description: z.string().max(512, say('rule.description.tooLong')).optional(),
  ...accountTargetFields,
  regions: z.array(RegionSchema).min(1, say('rule.regions.empty')).max(50).optional()
    .transform(r => r && [...new Set(r)]),
  action: ActionSchema,
  hibernate: z.boolean().default(false),
  filters: FiltersSchema.default([]),
  resourceTypes: ResourceTypesSchema.optional(),
  allInstances: z.boolean().default(false),
  scheduleExpression: ScheduleExpressionSchema,
  timezone: TimezoneSchema.default('UTC'),
  enabled: z.boolean().default(true),
  // A firing whose local date, in the rule's time zone, is a day of one of these calendars does nothing (logged `skipped`).
  skipCalendars: SkipCalendarsSchema,
}).superRefine((rule, ctx) => {
  if (rule.hibernate && rule.action !== 'stop') {
    ctx.addIssue(zodIssue(issue('rule.hibernate.stopOnly'), ['hibernate']))
  }
  if (rule.hibernate && !resourceTypesOf(rule).includes('ec2')) ctx.addIssue(zodIssue(issue('rule.hibernate.ec2Only'), ['hibernate']))
  refineTargets(rule, ctx)
  refineFilterTypes(rule, ctx)
  refineAccountTargets(rule, ctx)
}).transform(normalizeAccountTargets)

/** A full update: the same fields, plus the `version` the client last read (optimistic locking). */
export const RuleUpdateSchema = z.intersection(
  RuleInputSchema,
  z.object({ version: z.number({ message: say('rule.version.required') }).int().min(1) }),
)

/**
 * `PATCH /api/rules/:name`: turn the rule on or off, pause it until an instant later than `now()` (null ends the
 * pause), or both.
 */
export function rulePatchSchema(now: () => Date = () => new Date()) {
  return z.object({
    enabled: z.boolean({ message: say('rule.enabled.boolean') }).optional(),
    pausedUntil: futureInstantSchema({ iso: 'rule.pausedUntil.iso', past: 'rule.pausedUntil.past' }, now).nullable().optional(),
    version: z.number().int().min(1).optional(),
  }).superRefine((patch, ctx) => {
    if (patch.enabled === undefined && patch.pausedUntil === undefined) ctx.addIssue(zodIssue(issue('rule.patch.empty')))
  })
}

export const RulePatchSchema = rulePatchSchema()

export type RuleInput = z.input<typeof RuleInputSchema>
export type RuleDraft = z.output<typeof RuleInputSchema>
export type RuleUpdate = z.output<typeof RuleUpdateSchema>
export type RulePatch = z.output<ReturnType<typeof rulePatchSchema>>

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

/** A stored rule. Rules stored before calendars existed have no `skipCalendars`. */
export interface Rule extends Omit<RuleDraft, 'regions' | 'skipCalendars'> {
  regions: string[]
  skipCalendars?: string[]
  /** Firings before this instant (UTC ISO 8601) do nothing, logged `skipped: paused until ...`; a past one means nothing. */
  pausedUntil?: string
  createdAt: string
  updatedAt: string
  version: number
  schedule?: ScheduleSync
}

/** A rule as the API answers it: filters in both forms, and the state of its schedule. */
export interface RuleView extends Omit<Rule, 'schedule' | 'skipCalendars'> {
  skipCalendars: string[]
  filterText: string
  scheduleStatus: ScheduleStatus
  /**
   * The next run (ISO 8601 in the rule's time zone), null when there is none: in the list and in the answer to a
   * change, so that the browser shows it without the schedule parser (issue 13).
   */
  nextRun?: string | null
  /** In the list, for a rule naming units that have all been resolved (at a run or a preview): what it reaches. */
  reach?: RuleReach
}

/** What a rule naming organizational units reached when they were last resolved. */
export interface RuleReach {
  /** The accounts: those beneath its units and its explicit ones, less the excluded. */
  accounts: number
  /** When the oldest of its units' accounts were read from AWS Organizations (ISO 8601). */
  resolvedAt: string
}
