// What the schedule of many rules answers, over a window of time (`GET /api/schedule`), and a rule's next firings
// before it is saved (`GET /api/schedule/preview`): each firing, and why a skipped one does nothing.
import { z } from 'zod'
import { isLocalDate } from '../dates'
import { CalendarNameSchema } from './calendar'
import type { CalendarDay } from './calendar'
import { issue, issueMessage as say, zodIssue } from './issue'
import { RuleNameSchema, ScheduleExpressionSchema, TimezoneSchema } from './rule'

/** The longest window asked for at once. */
export const MAX_WINDOW_DAYS = 62
/** The window when `to` is left out: from `from`, this many days. */
export const DEFAULT_WINDOW_DAYS = 31
/** How many rules a schedule may name. */
export const MAX_SCHEDULE_RULES = 200
/** How many firings of one rule a window lists (an hourly rule over 62 days has 1,488). */
export const MAX_FIRINGS_PER_RULE = 2000
/** How many firings one answer lists; past it, the answer says until when it is complete. */
export const MAX_SCHEDULE_ITEMS = 20_000
/** How many firings a preview lists at most (runs and skips together). */
export const MAX_PREVIEW_COUNT = 20

const DAY_MS = 86_400_000
const INSTANT = z.iso.datetime({ offset: true })

/** An instant in ISO 8601 with its offset, or a date (its start, in UTC). */
const InstantSchema = z.string().trim().transform((value, ctx) => {
  if (isLocalDate(value)) return new Date(`${value}T00:00:00Z`)
  if (INSTANT.safeParse(value).success) return new Date(value)
  ctx.addIssue(zodIssue(issue('window.instant', { value })))
  return z.NEVER
})

/** A list given as `a,b` or repeated (`rules=a&rules=b`): trimmed, no empty names, no duplicates. */
const nameList = (value: unknown) => {
  const parts = (Array.isArray(value) ? value : [value]).flatMap(v => (typeof v === 'string' ? v.split(',') : [v]))
  return [...new Set(parts.map(p => (typeof p === 'string' ? p.trim() : p)).filter(p => p !== ''))]
}

/**
 * `GET /api/schedule?from&to&rules`: `from` defaults to `now`, `to` to DEFAULT_WINDOW_DAYS later; at most
 * MAX_WINDOW_DAYS, `to` after `from`. No `rules` means every rule.
 */
export function scheduleQuerySchema(now: Date) {
  return z.object({
    from: InstantSchema.optional(),
    to: InstantSchema.optional(),
    rules: z.preprocess(nameList, z.array(RuleNameSchema).max(MAX_SCHEDULE_RULES, say('window.rules.tooMany'))).optional(),
  }).transform((q, ctx) => {
    const from = q.from ?? now
    const to = q.to ?? new Date(from.getTime() + DEFAULT_WINDOW_DAYS * DAY_MS)
    const params = { from: from.toISOString(), to: to.toISOString(), max: MAX_WINDOW_DAYS }
    if (to <= from) ctx.addIssue(zodIssue(issue('window.order', params), ['to']))
    else if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) ctx.addIssue(zodIssue(issue('window.tooLong', params), ['to']))
    return { from, to, rules: q.rules }
  })
}

/** `GET /api/schedule/preview?expression&timezone&calendars&count`: the next firings of a rule not yet saved. */
export const SchedulePreviewQuerySchema = z.object({
  expression: ScheduleExpressionSchema,
  timezone: TimezoneSchema.default('UTC'),
  calendars: z.preprocess(nameList, z.array(CalendarNameSchema).max(10, say('rule.skipCalendars.tooMany'))).default([]),
  count: z.coerce.number({ message: say('window.count') }).int(say('window.count')).min(1, say('window.count')).max(MAX_PREVIEW_COUNT, say('window.count')).default(5),
})

/** A firing whose local date, in the rule's zone, is a day of one of its calendars; `names` are a holiday's, by language. */
export interface CalendarDaySkip {
  kind: 'calendar'
  date: string
  calendar: string
  label: string
  names?: { en: string, zh?: string }[]
}

/** A firing of a rule that names a calendar that no longer exists: the run fails and does nothing. */
export interface MissingCalendarSkip {
  kind: 'missingCalendar'
  calendars: string[]
}

/** A firing before the end of the rule's pause (`until`, UTC ISO 8601). */
export interface PauseSkipCause {
  kind: 'pause'
  until: string
}

/** Why a firing does nothing. */
export type SkipCause = PauseSkipCause | CalendarDaySkip | MissingCalendarSkip

/** A skipped firing: why, in English (as the run's log will say it), and its cause for the UI to say in its language. */
export interface FiringSkipped {
  reason: string
  cause: SkipCause
}

/** One firing of a rule. */
export interface ScheduleItem {
  rule: string
  /** ISO 8601, in UTC. */
  at: string
  action: 'start' | 'stop'
  skipped?: FiringSkipped
}

/** A day of a calendar the rules skip by, inside the window. */
export interface ScheduleDay extends CalendarDay {
  calendar: string
}

/** `GET /api/schedule`. */
export interface ScheduleAnswer {
  from: string
  to: string
  /** Every firing in the window, in time order (then by rule). */
  items: ScheduleItem[]
  /** The days of the rules' calendars on the window's dates. */
  days: ScheduleDay[]
  /** Set when the list is cut: it holds every firing before `until`; `rules` had more than MAX_FIRINGS_PER_RULE. */
  truncated?: { until: string, rules: string[] }
}

/** `GET /api/schedule/preview`: the next `count` runs that would act, with the skipped firings between them. */
export interface SchedulePreviewAnswer {
  items: { at: string, skipped?: FiringSkipped }[]
}
