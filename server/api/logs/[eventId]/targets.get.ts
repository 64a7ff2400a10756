// GET /api/logs/:eventId/targets?cursor&limit&outcome&account&type: a page of one run's outcomes, in their order,
// those of one outcome, account or resource type only when asked; `total` is how many match in all.
import type { TargetPage } from '#shared/schemas/log'
import { LogTargetsQuerySchema } from '#shared/schemas/log-targets'
import { LogParamsSchema } from '#shared/schemas/params'

export default defineApiHandler(async (event): Promise<TargetPage> => {
  const { eventId } = parsedOrThrow(await getValidatedRouterParams(event, p => LogParamsSchema.safeParse(p)), 'event id')
  const { type, ...query } = parsedOrThrow(await getValidatedQuery(event, q => LogTargetsQuerySchema.safeParse(q)), 'query')
  const { logs } = await useServices()
  return logs.targets(eventId, { ...query, resourceType: type })
})
