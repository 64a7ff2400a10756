// Reads what the projected saving of a preview needs, then computes it (projection.ts): every stored rule (the start
// rules that end the time off), one day index over the calendars of the draft and of those rules, and the prices of
// the resources the draft would stop.
import type { ExecutionPreview, PreviewInput, SavingsProjection } from '#shared/schemas/execution'
import type { Rule } from '#shared/schemas/rule'
import type { CalendarDeps } from '../calendars/service'
import { dayIndexOf } from '../calendars/service'
import type { RulesRepository } from '../rules/repository'
import { skipContext } from '../rules/firing-skip'
import type { PriceSource } from './prices'
import { priceKey } from './prices'
import { projectSavings } from './projection'

export interface ProjectionDeps {
  rules: Pick<RulesRepository, 'all'>
  calendars: Pick<CalendarDeps, 'calendars' | 'holidays'>
  prices: () => Promise<PriceSource>
}

/**
 * The projected saving of the previewed settings: only for a stop rule sent with its schedule (a start rule saves
 * nothing by itself: it ends what the stop rules on its resources save, which their own projection counts).
 */
export async function readProjection(deps: ProjectionDeps, input: PreviewInput, preview: ExecutionPreview, now: Date): Promise<SavingsProjection | undefined> {
  if (input.action !== 'stop' || !input.scheduleExpression) return undefined
  const others: Rule[] = []
  let stored: Rule | undefined
  for await (const rule of deps.rules.all()) {
    if (rule.name === input.name) stored = rule
    else others.push(rule)
  }
  const draft = {
    name: input.name ?? '',
    action: input.action,
    scheduleExpression: input.scheduleExpression,
    timezone: input.timezone,
    // A new rule counts rate() from its save: now.
    enabled: true,
    updatedAt: now.toISOString(),
    skipCalendars: input.skipCalendars,
    // The form does not edit a pause: the stored rule's still holds.
    ...(stored?.pausedUntil ? { pausedUntil: stored.pausedUntil } : {}),
    accountIds: preview.accountIds,
    organizationalUnits: input.organizationalUnits ?? [],
    regions: preview.regions,
    filters: preview.filters,
    ...(input.resourceTypes ? { resourceTypes: input.resourceTypes } : {}),
  }
  const starters = others.filter(r => r.enabled && r.action === 'start')
  const calendars = [...new Set([...input.skipCalendars, ...starters.flatMap(r => r.skipCalendars ?? [])])]
  const [{ index, missing }, source] = await Promise.all([dayIndexOf(deps.calendars, calendars), deps.prices()])
  const keys = [...new Set(preview.targets.flatMap(t => (t.instanceType ? [priceKey(t.region, t.instanceType)] : [])))]
  const prices = source.source === 'none' ? null : { source: source.source, byKey: keys.length ? await source.prices(keys) : new Map() }
  return projectSavings({ draft, others, context: skipContext(index, missing), from: now, targets: preview.targets, prices })
}
