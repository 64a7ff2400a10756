// Reads what a schedule over a window needs, then computes it: the rules asked for (every rule when none is named),
// one day index over all of their calendars, and for a preview, the calendars it names.
import type { Rule } from '#shared/schemas/rule'
import { issue } from '#shared/schemas/issue'
import type { FieldIssue } from '#shared/schemas/issue'
import type { ScheduleAnswer, SchedulePreviewAnswer } from '#shared/schemas/schedule'
import { InvalidInput, RuleNotFound } from '../errors'
import type { CalendarDeps } from '../calendars/service'
import { dayIndexOf, requireCalendars } from '../calendars/service'
import type { RulesRepository } from './repository'
import { skipContext } from './firing-skip'
import { nextFirings, scheduleWindow } from './schedule-window'
import type { PreviewRule } from './schedule-window'

export interface ScheduleReadDeps {
  rules: Pick<RulesRepository, 'get' | 'all'>
  calendars: Pick<CalendarDeps, 'calendars' | 'holidays'>
}

/** The rules of `names` (400 naming each that does not exist), or every rule. */
async function rulesOf(deps: ScheduleReadDeps, names?: string[]): Promise<Rule[]> {
  if (!names?.length) {
    const all: Rule[] = []
    for await (const rule of deps.rules.all()) all.push(rule)
    return all
  }
  const issues: FieldIssue[] = []
  const found = await Promise.all(names.map((name, i) => deps.rules.get(name).catch((e) => {
    if (!(e instanceof RuleNotFound)) throw e
    issues.push({ path: `rules.${i}`, ...issue('window.rules.unknown', { name }) })
    return null
  })))
  if (issues.length) throw new InvalidInput('schedule', issues)
  return found.filter((r): r is Rule => r !== null)
}

/** The firings of the rules `names` (or of every rule) from `from` to `to`, each skipped one with why. */
export async function readSchedule(deps: ScheduleReadDeps, query: { from: Date, to: Date, rules?: string[] }): Promise<ScheduleAnswer> {
  const rules = await rulesOf(deps, query.rules)
  const calendars = [...new Set(rules.filter(r => r.enabled).flatMap(r => r.skipCalendars ?? []))].sort()
  const { index, missing } = await dayIndexOf(deps.calendars, calendars)
  return scheduleWindow(rules, skipContext(index, missing), calendars.filter(c => !missing.includes(c)), query)
}

/** The next firings of a rule as it would be saved, until `count` act; 400 for a calendar that does not exist. */
export async function previewSchedule(deps: Pick<ScheduleReadDeps, 'calendars'>, rule: PreviewRule, count: number, now = new Date()): Promise<SchedulePreviewAnswer> {
  const names = rule.skipCalendars ?? []
  await requireCalendars(deps.calendars, names, 'calendars')
  const { index } = await dayIndexOf(deps.calendars, names)
  return { items: nextFirings(rule, skipContext(index), count, now) }
}
