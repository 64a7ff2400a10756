// Why a firing of a rule will do nothing, judged ahead of time: the one function that the schedule of many rules and
// a rule's preview ask, so that each reason to skip (a pause, a calendar day) is added here once.
// It judges as the executor will when the rule fires: a firing before the end of the rule's pause is skipped
// (pauseSkip, checked first, as the executor does), a calendar that no longer exists fails the run (nothing is
// done), and a firing whose local date, in the rule's zone, is a day of one of its calendars is skipped (firingSkip,
// the executor's own check).
import { datesBetween, dayNumber } from '#shared/dates'
import type { Rule } from '#shared/schemas/rule'
import type { FiringSkipped } from '#shared/schemas/schedule'
import type { DayIndex } from '../calendars/days'
import { firingSkip } from '../calendars/skip'
import type { SkippingRule } from '../calendars/skip'
import { pauseSkip } from './pause'

const DAY_MS = 86_400_000

/** What the judgement reads besides the rule: the days of its calendars, and the calendars that are gone. */
export interface SkipContext {
  index: DayIndex
  missing: ReadonlySet<string>
  /**
   * False when calendar `name` holds no day within a day of the UTC date of `at`: then no zone's local date of `at`
   * (UTC-12 to UTC+14) is one of its days, and the firing's local date need not be read.
   */
  near: (name: string, at: number) => boolean
}

/** A context over `index`; the days of each calendar are gathered by year, as day numbers, on first use. */
export function skipContext(index: DayIndex, missing: Iterable<string> = []): SkipContext {
  const years = new Map<string, Set<number>>()
  const seen = new Set<string>()
  const dayNumbersOf = (name: string, year: number) => {
    const key = `${name}\n${year}`
    if (seen.has(key)) return
    seen.add(key)
    let set = years.get(name)
    if (!set) years.set(name, set = new Set())
    for (const date of datesBetween(`${year}-01-01`, `${year}-12-31`)) if (index.daysOn(name, date).length) set.add(dayNumber(date))
  }
  return {
    index,
    missing: new Set(missing),
    near(name, at) {
      const n = Math.floor(at / DAY_MS)
      dayNumbersOf(name, new Date((n - 1) * DAY_MS).getUTCFullYear())
      dayNumbersOf(name, new Date((n + 1) * DAY_MS).getUTCFullYear())
      const set = years.get(name)!
      return set.has(n) || set.has(n - 1) || set.has(n + 1)
    },
  }
}

/** Why the firing of `rule` at `at` does nothing, or null when it acts. */
export function whyFiringSkips(rule: SkippingRule & Pick<Rule, 'pausedUntil'>, at: Date | number, context: SkipContext): FiringSkipped | null {
  const pause = pauseSkip(rule, at)
  if (pause) return { reason: pause.reason, cause: { kind: 'pause', until: pause.until } }
  const names = rule.skipCalendars ?? []
  if (names.length === 0) return null
  if (context.missing.size) {
    const gone = names.filter(n => context.missing.has(n))
    if (gone.length) {
      return {
        reason: `the rule skips the days of ${gone.map(n => `calendar '${n}'`).join(' and ')}, which no longer exists: the run fails and does nothing`,
        cause: { kind: 'missingCalendar', calendars: gone },
      }
    }
  }
  const ms = typeof at === 'number' ? at : at.getTime()
  if (!names.some(name => context.near(name, ms))) return null
  const skip = firingSkip(rule, ms, context.index)
  if (!skip) return null
  const holidays = context.index.daysOn(skip.calendar, skip.date).flatMap(d => (d.names ? [d.names] : []))
  return {
    reason: skip.reason,
    cause: { kind: 'calendar', date: skip.date, calendar: skip.calendar, label: skip.label, ...(holidays.length ? { names: holidays } : {}) },
  }
}
