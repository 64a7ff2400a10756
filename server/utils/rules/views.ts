// Rules as the API answers them in a list or after a change: each with its next run that will act, its pause and the
// days of its calendars passed over (one read of every calendar the rules name).
import type { Rule, RuleView } from '#shared/schemas/rule'
import type { CalendarDeps } from '../calendars/service'
import { createDayIndex, NO_HOLIDAYS } from '../calendars/days'
import { toRuleViewWithNextRun } from './next-runs'
import { withReach } from '../organizations/reach'
import type { UnitStore } from '../organizations/unit-store'

const EMPTY_INDEX = createDayIndex([], NO_HOLIDAYS)

export async function ruleViewsWithNextRun(calendars: Pick<CalendarDeps, 'calendars' | 'holidays'>, rules: Rule[], now = new Date()): Promise<RuleView[]> {
  const names = [...new Set(rules.flatMap(r => r.skipCalendars ?? []))]
  // No calendar named: an empty index, without a read, and without loading the calendars' code (their zod schemas
  // cost a cold start's first list milliseconds: bench/lambda.ts).
  const index = names.length
    ? (await (await import('../calendars/service')).dayIndexOf(calendars, names)).index
    : EMPTY_INDEX
  return rules.map(r => toRuleViewWithNextRun(r, index, now))
}

/** One rule as the API answers it after a change: as the list shows it, what its units reached included. */
export async function ruleViewWithNextRun(calendars: Pick<CalendarDeps, 'calendars' | 'holidays'>, rule: Rule, units?: Pick<UnitStore, 'read'>): Promise<RuleView> {
  const views = await ruleViewsWithNextRun(calendars, [rule])
  return (units ? await withReach(units, views) : views)[0]!
}
