// A rule paused until an instant does nothing when it fires before then: the executor logs the firing `skipped`, and
// a rule's next runs list it among its skips. At the instant itself, and after it, the rule runs as normal.
import { formatInstant } from '#shared/instant'
import type { Rule } from '#shared/schemas/rule'

/** A firing the pause skips: until when, and why, for a person. */
export interface PauseSkip {
  /** The end of the pause, UTC ISO 8601. */
  until: string
  /** `paused until 2026-12-24T18:00Z`. */
  reason: string
}

/** The pause that skips the firing at `instant`, or null when the rule is not paused then. */
export function pauseSkip(rule: Pick<Rule, 'pausedUntil'>, instant: Date | number): PauseSkip | null {
  if (!rule.pausedUntil) return null
  const until = Date.parse(rule.pausedUntil)
  if (!(new Date(instant).getTime() < until)) return null
  return { until: rule.pausedUntil, reason: `paused until ${formatInstant(rule.pausedUntil)}` }
}

/** True while the pause of `rule` lasts at `now`. */
export function isPaused(rule: Pick<Rule, 'pausedUntil'>, now: Date): boolean {
  return pauseSkip(rule, now) !== null
}
