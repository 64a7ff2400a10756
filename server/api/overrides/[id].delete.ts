// DELETE /api/overrides/:id: end an override now (admin key); answers the override it ended (404 for one unknown or
// over), with `revertAt` when a revert waited for its end and now runs at once; `override.ended` is notified.
import { OverrideParamsSchema } from '#shared/schemas/override'

export default defineApiHandler(async (event) => {
  const who = requireAdmin(event)
  const { id } = parsedOrThrow(await getValidatedRouterParams(event, p => OverrideParamsSchema.safeParse(p)), 'override id')
  const { overrides, reverts } = await useServices()
  const ended = await endOverride({ overrides, reverts }, id)
  await notifyOverride('ended', ended, who.name)
  return ended
})
