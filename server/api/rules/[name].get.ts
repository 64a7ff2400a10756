// GET /api/rules/:name: one rule, with its next runs (or why there is none) and the state of its schedule.
import { RuleParamsSchema, toRuleView } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const { rules, schedules } = await useServices()
  const rule = await rules.get(name)
  // Reading the live schedule must not make the rule unreadable: say 'pending' when it cannot be read.
  const scheduleStatus = await scheduleStatusOf(schedules, rule).catch(() => 'pending' as const)
  const now = new Date()
  const nextRunsNote = noRunsReason(rule, now)
  return { ...toRuleView(rule, scheduleStatus), nextRuns: upcomingRuns(rule, 5, now), ...(nextRunsNote ? { nextRunsNote } : {}), completed: isCompleted(rule, now) }
})
