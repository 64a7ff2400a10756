// DELETE /api/overrides/:id: end an override now (admin key); answers the override it ended (404 for one unknown or
// over), with `revertAt` when a revert waited for its end and now runs at once.
import { OverrideParamsSchema } from '#shared/schemas/override'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const { id } = parsedOrThrow(await getValidatedRouterParams(event, p => OverrideParamsSchema.safeParse(p)), 'override id')
  const { overrides, reverts } = await useServices()
  return endOverride({ overrides, reverts }, id)
})
