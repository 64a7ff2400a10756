// POST /api/rules/:name/run { dryRun? }: run a rule now (admin key). Answers the run's log entry (201), or for a run
// that fanned out into chunks (Lambda, many accounts) that it is running (202),
// or for a dry run the instances it would act on and skip (200), acting on nothing and logging nothing.
import { RunOptionsSchema } from '#shared/schemas/execution'
import { RuleParamsSchema } from '#shared/schemas/rule'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { name } = parsedOrThrow(await getValidatedRouterParams(event, p => RuleParamsSchema.safeParse(p)), 'rule name')
  const { dryRun } = parsedOrThrow(await readValidatedBody(event, b => RunOptionsSchema.safeParse(b)), 'run options')
  const deps = await useExecutorDeps()
  if (dryRun) return previewRule(deps, name)
  // An unknown rule is a 404 here; the executor would log it as a failed run, which suits only a schedule.
  await deps.rules.get(name)
  const entry = await startRule(deps, { rule: name, trigger: 'manual', dryRun: false })
  // A run over many accounts in Lambda fans out: it is running, and its log comes when its chunks are done.
  setResponseStatus(event, isDispatched(entry) ? 202 : 201)
  return entry
})
