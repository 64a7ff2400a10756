// POST /api/preview { accountIds | accountId, organizationalUnits?, excludeAccountIds?, regions?, action, hibernate?, filters, allInstances? }: which instances a rule with
// these settings would act on or skip, and why (admin key: it reads the account's instances). Acts on nothing.
// Like saving, no filters needs allInstances: true.
import { PreviewInputSchema } from '#shared/schemas/execution'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => PreviewInputSchema.safeParse(b)), 'preview')
  requireOrganizationRole('preview', input.organizationalUnits)
  const deps = await useExecutorDeps()
  const { allInstances: _all, accountIds, organizationalUnits, excludeAccountIds, ...settings } = input
  return previewInstances(deps, { ...settings, ruleName: '', regions: input.regions ?? [deps.region] }, { accountIds, organizationalUnits, excludeAccountIds })
})
