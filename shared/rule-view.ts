// A stored rule as the API answers it: apart from the rule's zod schemas (shared/schemas/rule.ts), so that the routes
// a Lambda cold start answers first (the rules list) construct none of them (bench/lambda.ts).
import { formatFilters } from './filters'
import type { Rule, RuleView, ScheduleStatus } from './schemas/rule'

/** Shapes a stored rule for the API: adds the string form of the filters and the schedule status. */
export function toRuleView(rule: Rule, scheduleStatus: ScheduleStatus = rule.schedule?.status ?? 'pending'): RuleView {
  const { schedule: _schedule, ...rest } = rule
  return { ...rest, skipCalendars: rule.skipCalendars ?? [], filterText: formatFilters(rule.filters), scheduleStatus }
}
