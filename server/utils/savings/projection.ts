// What a stop rule would save per month, before it is saved (issue 19 §3): the resources its preview matches, off from
// each of its stops that acts until the next start that acts, over the next PROJECTION_DAYS, scaled to an average
// month and priced like the measured savings. Fire times come from the shared schedule parser, and each firing is
// judged as the executor will judge it when it fires (whyFiringSkips: pauses, calendar days, calendars gone), so a
// skipped stop leaves the resource running, and a skipped start (a holiday) leaves it off longer. Pure.
import type { Filter } from '#shared/filters'
import type { ResourceType } from '#shared/resource-types'
import type { PreviewTarget, SavingsProjection } from '#shared/schemas/execution'
import type { Rule } from '#shared/schemas/rule'
import { parseScheduleExpression } from '#shared/schedule'
import { whyFiringSkips } from '../rules/firing-skip'
import type { SkipContext } from '../rules/firing-skip'
import { fireTimesBetween } from '../rules/schedule-window'
import { parseCapacity } from './intervals'
import { priceKey } from './prices'
import type { Price } from './repository'

/** The window the firings are listed over: four whole weeks, so every weekday counts as often. */
export const PROJECTION_DAYS = 28
// The week before the window, whose firings say whether a resource is off when it opens: the figure is then the
// rule's steady state, the same whenever the preview is asked (not "running now, so off only from its next stop").
const WARM_UP_DAYS = 7
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
const MONTH_DAYS = 365.25 / 12
// More firings than 28 days of the most frequent schedule (every minute: 40,320), so no window is ever cut short.
const MAX_FIRINGS = 50_000
const STARTS_LISTED = 10

/** What the projection reads of a rule: its schedule, and what it reaches. */
export type ProjectionRule = Pick<Rule, 'name' | 'action' | 'scheduleExpression' | 'timezone' | 'enabled' | 'updatedAt' | 'skipCalendars' | 'pausedUntil' | 'accountIds' | 'organizationalUnits' | 'regions' | 'filters' | 'resourceTypes'>

const typesOf = (r: { resourceTypes?: readonly ResourceType[] }): readonly ResourceType[] => (r.resourceTypes?.length ? r.resourceTypes : ['ec2'])
const meets = <T>(a: readonly T[], b: readonly T[]) => a.some(x => b.includes(x))
const isPattern = (v: string) => /[*?]/.test(v)
const patternOf = (v: string) => new RegExp(`^${v.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`)

// Whether some value can match both lists of one filter key: equal values, a literal that the other's wildcard
// matches, or two wildcards (which can always share a value worth no more thought here).
function valuesMayMeet(a: readonly string[], b: readonly string[]): boolean {
  return a.some(x => b.some(y => x === y || (isPattern(x) && isPattern(y)) || (isPattern(x) ? patternOf(x).test(y) : isPattern(y) && patternOf(y).test(x))))
}

/**
 * Whether two rules may act on the same resource, judged from the rules alone (no AWS call, a few comparisons per
 * pair): a resource type, a region and an account in common (a rule over organizational units may reach any
 * account), and, for every filter key both name, values that can meet (a key only one names narrows that one alone).
 * It never says no to a pair that can meet; it may say yes to one that never does (a tag filter against an instance
 * type filter). Such a pair adds starts, which shortens the time off: the estimate errs low, never high.
 */
export function mayShareResources(a: Pick<ProjectionRule, 'accountIds' | 'organizationalUnits' | 'regions' | 'filters' | 'resourceTypes'>, b: typeof a): boolean {
  if (!meets(typesOf(a), typesOf(b)) || !meets(a.regions, b.regions)) return false
  if (!a.organizationalUnits?.length && !b.organizationalUnits?.length && !meets(a.accountIds, b.accountIds)) return false
  return a.filters.every((f: Filter) => b.filters.filter(g => g.key === f.key).every(g => valuesMayMeet(f.values, g.values)))
}

/**
 * The firings of `rule` in [since, to) that act, in epoch ms, and how many of those from `from` on its pause or
 * calendars skip.
 */
export function actingFirings(rule: Pick<ProjectionRule, 'scheduleExpression' | 'timezone' | 'updatedAt' | 'skipCalendars' | 'pausedUntil'>, context: SkipContext, window: { since: Date, from: Date, to: Date }): { acting: number[], skipped: number } {
  // rate() counts from the rule's last change, as its schedule does.
  const { times } = fireTimesBetween(parseScheduleExpression(rule.scheduleExpression), rule.timezone, new Date(rule.updatedAt), window.since, window.to, MAX_FIRINGS)
  const acting: number[] = []
  let skipped = 0
  for (const at of times) {
    if (!whyFiringSkips(rule, at, context)) acting.push(at.getTime())
    else if (at >= window.from) skipped++
  }
  return { acting, skipped }
}

/**
 * The milliseconds off in [from, to) of a resource, from each stop until the next start; the events before `from`
 * say whether it is off at `from` (running, when none). A stop while off and a start while on change nothing; a stop
 * and a start at the same instant leave it off (the stop is taken second); off at the end counts to `to`.
 */
export function offMilliseconds(stops: number[], starts: number[], from: number, to: number): number {
  const events = [...starts.map(t => ({ t, off: false })), ...stops.map(t => ({ t, off: true }))].sort((x, y) => x.t - y.t || Number(x.off) - Number(y.off))
  let since: number | null = null
  let total = 0
  for (const e of events) {
    if (e.off) since ??= e.t
    else if (since !== null) {
      total += Math.max(0, e.t - Math.max(since, from))
      since = null
    }
  }
  return since === null ? total : total + to - Math.max(since, from)
}

/** How many resources a target the rule would stop stands for (an Auto Scaling group: its desired capacity). */
function unitsOf(t: PreviewTarget): number {
  return t.resourceType === 'asg' ? parseCapacity(t.state)?.desired ?? 0 : 1
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits

export interface ProjectionInput {
  /** The stop rule as it would be saved. */
  draft: ProjectionRule
  /** Every other stored rule (the draft's own stored version left out). */
  others: ProjectionRule[]
  context: SkipContext
  from: Date
  /** The preview's resources: those it would stop count. */
  targets: PreviewTarget[]
  /** The price of each `region|type` of the targets, and where prices come from; none: hours only. */
  prices: { source: 'csv' | 'aws', byKey: Map<string, Price | null> } | null
}

/** The projected saving of a stop rule (see SavingsProjection). */
export function projectSavings(input: ProjectionInput): SavingsProjection {
  const from = input.from
  const to = new Date(from.getTime() + PROJECTION_DAYS * DAY_MS)
  const startRules = input.others.filter(r => r.enabled && r.action === 'start')
  const paired = startRules.filter(r => mayShareResources(input.draft, r))
  const basis = paired.length ? 'paired' : startRules.length ? 'anyStart' : 'noStart'
  const starters = paired.length ? paired : startRules
  const window = { since: new Date(from.getTime() - WARM_UP_DAYS * DAY_MS), from, to }
  const stops = actingFirings(input.draft, input.context, window)
  let skipped = stops.skipped
  const starts: number[] = []
  for (const rule of starters) {
    const firings = actingFirings(rule, input.context, window)
    starts.push(...firings.acting)
    skipped += firings.skipped
  }
  const offHours = offMilliseconds(stops.acting, starts, from.getTime(), to.getTime()) / HOUR_MS
  const perMonth = offHours * MONTH_DAYS / PROJECTION_DAYS
  const stopping = input.targets.filter(t => t.outcome === 'would-stop' || t.outcome === 'would-hibernate')
  const instances = stopping.reduce((n, t) => n + unitsOf(t), 0)
  const projection: SavingsProjection = {
    basis,
    startRules: starters.slice(0, STARTS_LISTED).map(r => r.name),
    from: from.toISOString(),
    to: to.toISOString(),
    stops: stops.acting.filter(t => t >= from.getTime()).length,
    skipped,
    hoursPerWeek: round(offHours * 7 / PROJECTION_DAYS, 2),
    instances,
    hoursPerMonth: round(perMonth * instances, 2),
  }
  if (!input.prices) return projection
  let amount = 0
  let priced = 0
  let currency = ''
  for (const t of stopping) {
    const price = t.instanceType ? input.prices.byKey.get(priceKey(t.region, t.instanceType)) : null
    if (!price) continue
    amount += perMonth * price.perHour * unitsOf(t)
    priced += unitsOf(t)
    currency ||= price.currency
  }
  return { ...projection, cost: { amount: round(amount, 2), currency: currency || 'USD', estimated: true, source: input.prices.source, priced, unpriced: instances - priced } }
}
