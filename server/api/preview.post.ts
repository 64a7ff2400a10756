// POST /api/preview { accountIds | accountId, organizationalUnits?, excludeAccountIds?, regions?, action, hibernate?, filters, allInstances?, name?, scheduleExpression?, timezone?, skipCalendars? }:
// which instances a rule with these settings would act on or skip, and why (admin key: it reads the account's
// instances), and for a stop rule sent with its schedule, what it would save per month (`projection`, an estimate).
// Acts on nothing. Like saving, no filters needs allInstances: true.
import { PreviewInputSchema } from '#shared/schemas/execution'

export default defineApiHandler(async (event) => {
  requireAdmin(event)
  const input = parsedOrThrow(await readValidatedBody(event, b => PreviewInputSchema.safeParse(b)), 'preview')
  requireOrganizationRole('preview', input.organizationalUnits)
  const [deps, { rules, calendars, savings }] = await Promise.all([useExecutorDeps(), useServices()])
  const { allInstances: _all, accountIds, organizationalUnits, excludeAccountIds, name: _name, scheduleExpression: _expr, skipCalendars: _skip, ...settings } = input
  const preview = await previewInstances(deps, { ...settings, ruleName: '', regions: input.regions ?? [deps.region] }, { accountIds, organizationalUnits, excludeAccountIds })
  const projection = await readProjection({ rules, calendars, prices: savings.prices }, input, preview, new Date())
  return projection ? { ...preview, projection } : preview
})
