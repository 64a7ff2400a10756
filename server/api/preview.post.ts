// POST /api/preview { accountId, regions?, action, hibernate?, filters }: which instances a rule with these
// settings would act on or skip, and why (admin key: it reads the account's instances). Acts on nothing.
import { PreviewInputSchema } from '#shared/schemas/execution'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => PreviewInputSchema.safeParse(b)), 'preview')
  const deps = await useExecutorDeps()
  return previewInstances(deps, { ...input, ruleName: '', regions: input.regions ?? [deps.region] })
})
