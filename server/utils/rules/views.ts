// Rules as the API answers them in a list or after a change: each with its next run that will act, its pause and the
// days of its calendars passed over (one read of every calendar the rules name).
import type { Rule, RuleView } from '#shared/schemas/rule'
import { dayIndexOf } from '../calendars/service'
import type { CalendarDeps } from '../calendars/service'
import { toRuleViewWithNextRun } from './next-runs'

export async function ruleViewsWithNextRun(calendars: Pick<CalendarDeps, 'calendars' | 'holidays'>, rules: Rule[], now = new Date()): Promise<RuleView[]> {
  const names = [...new Set(rules.flatMap(r => r.skipCalendars ?? []))]
  // No calendar named: an empty index, made without a read.
  const { index } = await dayIndexOf(calendars, names)
  return rules.map(r => toRuleViewWithNextRun(r, index, now))
}

/** One rule as the API answers it after a change. */
export async function ruleViewWithNextRun(calendars: Pick<CalendarDeps, 'calendars' | 'holidays'>, rule: Rule): Promise<RuleView> {
  return (await ruleViewsWithNextRun(calendars, [rule]))[0]!
}
