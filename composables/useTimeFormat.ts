// Dates in the viewer's language, in the viewer's time zone or in a rule's; a rule's next run.
import { nextRuns } from '#shared/schedule'
import type { RuleView } from '#shared/schemas/rule'

/** The browser's IANA time zone (UTC on the server, which renders no times). */
export function browserTimeZone(): string {
  return import.meta.client ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC'
}

/** The next time an enabled rule fires, or null (disabled, or a one-time rule that has passed). */
export function nextRunOf(rule: RuleView, from = new Date()): Date | null {
  if (!rule.enabled) return null
  // rate() counts from the last change of the rule, as the server does.
  return nextRuns(rule.scheduleExpression, rule.timezone, { from, count: 1, anchor: new Date(rule.updatedAt) })[0] ?? null
}

export function useTimeFormat() {
  const { locale } = useI18n()
  // One clock in every language and everywhere: the 24-hour one the schedule descriptions use ("At 19:00, …"),
  // whatever the browser's region would pick for 'en'.
  const format = (options: Intl.DateTimeFormatOptions) => (value: string | Date, timeZone?: string) =>
    new Intl.DateTimeFormat(locale.value, { ...options, hourCycle: 'h23', timeZone }).format(typeof value === 'string' ? new Date(value) : value)
  return {
    /** e.g. "Nov 25, 2026, 19:00" */
    dateTime: format({ dateStyle: 'medium', timeStyle: 'short' }),
    /** e.g. "Tue, Nov 25, 19:00", for next runs (say which zone next to it). */
    runTime: format({ weekday: 'short', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }),
    /** With seconds, for run logs. */
    exact: format({ dateStyle: 'medium', timeStyle: 'medium' }),
  }
}
