// POST /api/overrides { accountId, region, instanceId, until, reason? }: leave one instance alone until `until`, whatever
// its rules say (admin key); recorded with the key that made it, it ends by itself, and `override.created` is notified.
// Answers the override (201).
import { OverrideInputSchema } from '#shared/schemas/override'

export default defineApiHandler(async (event) => {
  const who = requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => OverrideInputSchema.safeParse(b)), 'override')
  const { overrides } = await useServices()
  const override = await overrides.create(input, { keyId: who.id, keyName: who.name })
  await notifyOverride('created', override)
  setResponseStatus(event, 201)
  return override
})
