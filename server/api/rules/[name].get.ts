// GET /api/rules/:name: one rule, with its next runs that will act (or why there is none), the firings its calendars
// skip until then, and the state of its schedule.
import { toRuleView } from '#shared/rule-view'
import { RuleParamsSchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const { rules, schedules, calendars } = await useServices()
  const rule = await rules.get(name)
  // Reading the live schedule must not make the rule unreadable: say 'pending' when it cannot be read.
  const [scheduleStatus, { index, missing }] = await Promise.all([
    scheduleStatusOf(schedules, rule).catch(() => 'pending' as const),
    dayIndexOf(calendars, rule.skipCalendars ?? []),
  ])
  const now = new Date()
  const upcoming = upcomingSchedule(rule, index, 5, now)
  const nextRunsNote = noRunsReason(rule, now, upcoming)
  return {
    ...toRuleView(rule, scheduleStatus),
    nextRuns: upcoming.runs,
    nextSkips: upcoming.skips,
    ...(nextRunsNote ? { nextRunsNote } : {}),
    // Calendars deleted since the rule named them: its runs fail, doing nothing, until they are removed from it.
    ...(missing.length ? { missingCalendars: missing } : {}),
    completed: isCompleted(rule, now),
  }
})
