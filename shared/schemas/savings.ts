// GET /api/savings: the query (a range and a grouping) and the answer (hours avoided, and money where priced).
import { z } from 'zod'
import { isLocalDate } from '../dates'
import { issue, zodIssue } from './issue'
import { isIsoInstant } from './instant'

export const SAVINGS_GROUPS = ['rule', 'account', 'region', 'type', 'day'] as const
export type SavingsGroup = typeof SAVINGS_GROUPS[number]

/** The longest range asked for at once: a year and a bit, so a year to date always fits. */
export const MAX_RANGE_DAYS = 400
const DAY_MS = 86_400_000

/** A date (a whole UTC day) or an ISO 8601 instant; answered as epoch ms, the start of the date or the instant. */
const when = (field: 'from' | 'to') => z.string().trim().superRefine((value, ctx) => {
  if (!isLocalDate(value) && !isIsoInstant(value)) ctx.addIssue(zodIssue(issue('savings.when.format', { field, value })))
})

/** `?from&to&groupBy` as sent: what the OpenAPI document describes. */
export const SavingsQuerySchema = z.object({
  from: when('from').optional().describe('a date (a whole UTC day) or an ISO 8601 instant; default 30 days before to'),
  to: when('to').optional().describe('a date (its whole UTC day included) or an ISO 8601 instant; default now'),
  groupBy: z.enum(SAVINGS_GROUPS, { message: issue('savings.groupBy.choice').message }).default('day'),
})

/**
 * `?from&to&groupBy`: from defaults to 30 days before to, to to now; a date `to` includes its whole day. Answers the
 * range as [fromMs, toMs).
 */
export function savingsQuerySchema(now: () => Date = () => new Date()) {
  return SavingsQuerySchema.transform((q, ctx) => {
    const toMs = q.to === undefined ? now().getTime() : isLocalDate(q.to) ? Date.parse(`${q.to}T00:00:00Z`) + DAY_MS : Date.parse(q.to)
    const fromMs = q.from === undefined ? Math.floor(toMs / DAY_MS) * DAY_MS - 29 * DAY_MS : Date.parse(isLocalDate(q.from) ? `${q.from}T00:00:00Z` : q.from)
    const params = { from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString(), max: MAX_RANGE_DAYS }
    if (toMs < fromMs) ctx.addIssue(zodIssue(issue('savings.range.order', params), ['to']))
    else if (toMs - fromMs > MAX_RANGE_DAYS * DAY_MS) ctx.addIssue(zodIssue(issue('savings.range.tooLong', params), ['to']))
    return { fromMs, toMs, groupBy: q.groupBy }
  })
}

export type SavingsQuery = z.output<ReturnType<typeof savingsQuerySchema>>

/** One group's figures: hours avoided, and the estimated money where every hour of it had a price. */
export interface SavingsItem {
  /** The rule's name, the account id, the region, the instance type (empty when unknown), or the UTC day. */
  key: string
  hours: number
  /** Estimated money saved, in `cost.currency`, from the hours that had a price. */
  amount?: number
}

export interface SavingsAnswer {
  from: string
  to: string
  groupBy: SavingsGroup
  /** Instance-hours avoided: each instance off because of a rule, counted once, even when several rules stop it. */
  hours: number
  /** Only when prices are configured: an estimate, on-demand Linux prices, that leaves EBS, Elastic IPs and discounts out. */
  cost?: {
    amount: number
    currency: string
    estimated: true
    /** Where the prices came from. */
    source: 'csv' | 'aws'
    /** Instance-hours that had a price, and those whose type and region had none. */
    priced: number
    unpriced: number
  }
  /** Of the hours, those of instances still off now, counted up to now. */
  openHours: number
  items: SavingsItem[]
}
