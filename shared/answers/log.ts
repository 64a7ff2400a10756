// What the logs routes and a run answer: a run's log entry (one per execution of a rule), and a dry run's plan.
import { z } from 'zod'
import { RESOURCE_TYPES } from '../resource-types'
import { TARGET_OUTCOMES } from '../schemas/log'
import { DeliveryAnswer } from './channel'
import { FilterAnswer, InstantText, pageOf, RegionErrorAnswer } from './common'

const OverrideSourceAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('api'), id: z.string(), until: InstantText, keyName: z.string(), reason: z.string().optional() }),
  z.object({ kind: z.literal('tag'), tag: z.string(), value: z.string(), until: InstantText }),
])

const LogTargetAnswer = z.object({
  instanceId: z.string(),
  region: z.string(),
  accountId: z.string().optional().describe('the resource\'s account, in a run over several accounts (otherwise the run\'s accountId)'),
  name: z.string().optional(),
  instanceType: z.string().optional(),
  savedCapacity: z.string().optional().describe('an Auto Scaling group\'s min,desired,max that a stop saves and a start restores'),
  resourceType: z.enum(RESOURCE_TYPES).optional().describe('absent for an EC2 instance'),
  engine: z.string().optional(),
  stateBefore: z.string().optional(),
  stateAfter: z.string().optional(),
  outcome: z.enum(TARGET_OUTCOMES),
  reason: z.string().optional(),
  error: z.string().optional(),
})

const LogFields = {
  eventId: z.string(),
  ruleName: z.string(),
  trigger: z.enum(['schedule', 'manual', 'revert']),
  scheduledTime: z.string().nullable(),
  startedAt: InstantText,
  finishedAt: InstantText,
  action: z.enum(['start', 'stop', 'unknown']),
  accountId: z.string().describe('the rule\'s one account; empty for a run over several (see accountIds)'),
  accountIds: z.array(z.string()).optional().describe('a run over several accounts: those it worked on'),
  organizationalUnits: z.array(z.string()).optional(),
  regions: z.array(z.string()),
  filters: z.array(FilterAnswer),
  status: z.enum(['succeeded', 'partial', 'failed', 'nothing-to-do', 'skipped']),
  message: z.string().optional(),
  skip: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('calendar'), date: z.string(), calendar: z.string(), label: z.string() }),
    z.object({ kind: z.literal('pause'), until: InstantText }),
  ]).optional(),
  counts: z.object({ total: z.number().int(), acted: z.number().int(), skipped: z.number().int(), failed: z.number().int() }),
  revert: z.object({ override: OverrideSourceAnswer, rule: z.string(), askedAt: z.string(), instanceId: z.string() }).optional(),
  errors: z.array(RegionErrorAnswer).optional(),
  targetsOmitted: z.number().int().optional().describe('logs written before outcomes were paged: targets left out of the one item'),
  resourceTypes: z.array(z.enum(RESOURCE_TYPES)).optional(),
  followUp: z.object({ due: InstantText, checkedAt: InstantText.optional() }).optional(),
}

const OutcomeCountsAnswer = z.partialRecord(z.enum(TARGET_OUTCOMES), z.number().int())

/** A run's exact counts of outcomes, in all and by account, region and resource type. */
const CountsByAnswer = z.object({
  outcome: OutcomeCountsAnswer,
  account: z.record(z.string(), OutcomeCountsAnswer),
  region: z.record(z.string(), OutcomeCountsAnswer),
  resourceType: z.record(z.string(), OutcomeCountsAnswer),
})

/** A run as it ran (run now): every instance's outcome. */
export const LogEntryAnswer = z.object({ ...LogFields, targets: z.array(LogTargetAnswer) })

/** One run: its header with the first page of outcomes, the cursor to the next, its notifications' deliveries. */
/** A run that fanned out (Lambda, many accounts): its chunks run in invocations of their own; the log comes after. */
export const RunDispatchedAnswer = z.object({
  eventId: z.string().describe('the run\'s id: its log, once its chunks are done, is /api/logs/{eventId}'),
  status: z.literal('running'),
  accounts: z.number().int().describe('the accounts the run works on'),
  chunks: z.number().int().describe('the chunks of accounts, each run by an invocation of its own'),
  dispatched: z.number().int().describe('the chunks this request started (those not done yet)'),
})

export type RunDispatched = z.output<typeof RunDispatchedAnswer>

export const LogHeadAnswer = z.object({
  ...LogFields,
  targets: z.array(LogTargetAnswer).describe('the first page of the run\'s outcomes'),
  countsBy: CountsByAnswer,
  targetsCursor: z.string().nullable().describe('the next page of outcomes: GET /api/logs/{eventId}/targets?cursor=...; null when there is none'),
  notifications: z.array(DeliveryAnswer).optional(),
})

/** A page of one run's outcomes; `total`: how many match the filter in all, null when the counts cannot say. */
export const LogTargetPageAnswer = z.object({ items: z.array(LogTargetAnswer), cursor: z.string().nullable(), total: z.number().int().nullable() })

/** A run in a list: without its targets. */
export const LogPageAnswer = pageOf(z.object(LogFields))

/** What a dry run or a preview answers: nothing was acted on and no log was written. */
export const ExecutionPreviewAnswer = z.object({
  dryRun: z.literal(true),
  ruleName: z.string().optional(),
  accountId: z.string().describe('the one account, when the settings name exactly one and no organizational unit; empty otherwise'),
  accountIds: z.array(z.string()).describe('every account previewed'),
  reach: z.object({
    accounts: z.number().int(),
    organizationalUnits: z.array(z.string()),
    excluded: z.number().int().describe('accounts left out because the settings exclude them'),
    resolvedAt: InstantText.optional().describe('when the units\' accounts were read from AWS Organizations (cached up to 15 minutes)'),
  }),
  action: z.enum(['start', 'stop']),
  regions: z.array(z.string()),
  filters: z.array(FilterAnswer),
  resourceTypes: z.array(z.enum(RESOURCE_TYPES)).optional(),
  targets: z.array(z.object({
    instanceId: z.string(),
    region: z.string(),
    accountId: z.string().optional(),
    resourceType: z.enum(RESOURCE_TYPES).optional(),
    name: z.string().optional(),
    engine: z.string().optional(),
    instanceType: z.string().optional().describe('EC2\'s instance type, which prices the projected saving'),
    state: z.string(),
    outcome: z.enum(['would-start', 'would-stop', 'would-hibernate', 'skipped']),
    reason: z.string().optional(),
  })),
  counts: z.object({ total: z.number().int(), wouldAct: z.number().int(), skipped: z.number().int() }),
  errors: z.array(RegionErrorAnswer),
  message: z.string().optional(),
  projection: z.object({
    basis: z.enum(['paired', 'anyStart', 'noStart']).describe('paired: off until the starts of the start rules that may act on the same resources; anyStart: none may, so until the next start of any rule; noStart: no start rule, so off to the end of the window'),
    startRules: z.array(z.string()).describe('the start rules whose starts end the time off (the first 10)'),
    from: InstantText,
    to: InstantText.describe('the end of the window the firings were listed over (28 days)'),
    stops: z.number().int().describe('the rule\'s stops that act in the window'),
    skipped: z.number().int().describe('firings (its stops, and the starts) that calendar days or pauses skip'),
    hoursPerWeek: z.number().describe('hours a week one resource would be off'),
    instances: z.number().int().describe('the resources it would stop (an Auto Scaling group counts its desired capacity)'),
    hoursPerMonth: z.number().describe('resource-hours a month (365.25 / 12 days)'),
    cost: z.object({
      amount: z.number(),
      currency: z.string(),
      estimated: z.literal(true),
      source: z.enum(['csv', 'aws']),
      priced: z.number().int().describe('resources that had a price'),
      unpriced: z.number().int().describe('resources whose type and region had none'),
    }).optional().describe('only with prices: on-demand Linux prices, per month'),
  }).optional().describe('POST /api/preview of a stop rule sent with its schedule: what it would save per month, an estimate'),
})
