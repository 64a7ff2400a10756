// The firings of many rules over a window of time, each judged as it will be when it fires (whyFiringSkips), and a
// rule's next firings before it is saved. Fire times come from the shared schedule parser, a rule's expression parsed
// once and walked field by field (never minute by minute); the calendars' days come from one day index for all rules.
import { addDays, localDateOf } from '#shared/dates'
import { nextRunsForSpec, parseScheduleExpression } from '#shared/schedule'
import type { ScheduleSpec } from '#shared/schedule'
import type { Rule } from '#shared/schemas/rule'
import { MAX_FIRINGS_PER_RULE, MAX_SCHEDULE_ITEMS } from '#shared/schemas/schedule'
import type { FiringSkipped, ScheduleAnswer, ScheduleDay, ScheduleItem } from '#shared/schemas/schedule'
import type { DayIndex } from '../calendars/days'
import { whyFiringSkips } from './firing-skip'
import type { SkipContext } from './firing-skip'

// A preview asks for fire times this many at a time.
const BATCH = 32

/** What a window reads of a rule. */
export type WindowRule = Pick<Rule, 'name' | 'action' | 'scheduleExpression' | 'timezone' | 'enabled' | 'updatedAt' | 'skipCalendars' | 'pausedUntil'>

export interface WindowOptions {
  from: Date
  to: Date
  /** Firings of one rule listed at most (MAX_FIRINGS_PER_RULE). */
  perRule?: number
  /** Firings listed at most in all (MAX_SCHEDULE_ITEMS). */
  maxItems?: number
}

/** The fire times of `spec` in `timeZone` from `from` (included) to `to` (excluded), at most `limit`, and whether more were left out. */
export function fireTimesBetween(spec: ScheduleSpec, timeZone: string, anchor: Date, from: Date, to: Date, limit: number): { times: Date[], cut: boolean } {
  // One search, ended by `to` (or by one time past the limit, to know that there were more).
  const times = nextRunsForSpec(spec, timeZone, { from: new Date(from.getTime() - 1), count: limit + 1, anchor, until: to })
  return times.length > limit ? { times: times.slice(0, limit), cut: true } : { times, cut: false }
}

const byTimeThenRule = (a: ScheduleItem, b: ScheduleItem) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0)

/**
 * Every firing of the enabled `rules` from `from` to `to`, in time order, each skipped one with why; the days of
 * their calendars on the window's dates (a day before and after, for every zone). A disabled rule does not fire.
 */
export function scheduleWindow(rules: WindowRule[], context: SkipContext, calendars: string[], options: WindowOptions): ScheduleAnswer {
  const { from, to } = options
  const perRule = options.perRule ?? MAX_FIRINGS_PER_RULE
  const maxItems = options.maxItems ?? MAX_SCHEDULE_ITEMS
  const items: ScheduleItem[] = []
  const cutRules: string[] = []
  for (const rule of rules) {
    if (!rule.enabled) continue
    // rate() counts from the last change of the rule, as its schedule does.
    const { times, cut } = fireTimesBetween(parseScheduleExpression(rule.scheduleExpression), rule.timezone, new Date(rule.updatedAt), from, to, perRule)
    if (cut) cutRules.push(rule.name)
    for (const at of times) {
      const skipped = whyFiringSkips(rule, at, context)
      items.push({ rule: rule.name, at: at.toISOString(), action: rule.action, ...(skipped ? { skipped } : {}) })
    }
  }
  items.sort(byTimeThenRule)
  const answer: ScheduleAnswer = { from: from.toISOString(), to: to.toISOString(), items, days: windowDays(context.index, calendars, from, to) }
  if (items.length > maxItems || cutRules.length) {
    const until = items.length > maxItems ? items[maxItems]!.at : answer.to
    answer.items = items.slice(0, maxItems)
    answer.truncated = { until, rules: cutRules }
  }
  return answer
}

/** The days of `calendars` from the day before `from` to the day after `to` (UTC dates), by date, then calendar. */
export function windowDays(index: DayIndex, calendars: string[], from: Date, to: Date): ScheduleDay[] {
  const days: ScheduleDay[] = []
  const last = addDays(localDateOf(to, 'UTC'), 1)
  for (let date = addDays(localDateOf(from, 'UTC'), -1); date <= last; date = addDays(date, 1)) {
    for (const calendar of calendars) for (const day of index.daysOn(calendar, date)) days.push({ ...day, calendar })
  }
  return days
}

/** What a preview reads: a rule as it would be saved. */
export type PreviewRule = Pick<Rule, 'scheduleExpression' | 'timezone' | 'skipCalendars'>

/**
 * The next firings of a rule from `from`, until `count` of them act, each skipped one listed with why. At most
 * `examined` firings are looked at (a rule whose every firing falls on a calendar day ends there).
 */
export function nextFirings(rule: PreviewRule, context: SkipContext, count: number, from: Date, examined = 200): { at: string, skipped?: FiringSkipped }[] {
  const spec = parseScheduleExpression(rule.scheduleExpression)
  const out: { at: string, skipped?: FiringSkipped }[] = []
  let acting = 0
  let cursor = from
  while (acting < count && out.length < examined) {
    // A new rule's rate() counts from when it is saved: now.
    const batch = nextRunsForSpec(spec, rule.timezone, { from: cursor, count: Math.min(BATCH, examined - out.length), anchor: from })
    if (batch.length === 0) break
    for (const at of batch) {
      const skipped = whyFiringSkips(rule, at, context)
      out.push({ at: at.toISOString(), ...(skipped ? { skipped } : {}) })
      if (!skipped && ++acting >= count) break
    }
    cursor = batch[batch.length - 1]!
  }
  return out
}
