// Fire-time computation: turns a parsed schedule into real UTC instants.
import { cronLocalTimes, type CronSpec } from './cron'
import { parseScheduleExpression, RATE_UNIT_MS, type ScheduleSpec } from './parse'
import { assertTimeZone, localAsUtcMs, localToUtc, wallClockAt } from './timezone'

export interface NextRunsOptions {
  /** Runs are returned strictly after this instant. */
  from: Date
  /** How many runs to return at most. */
  count: number
  /** rate() only: the instant the interval counts from (defaults to `from`). Runs before it are not returned. */
  anchor?: Date
  /** Runs are returned strictly before this instant: the search ends there, rather than after `count` runs or at 2199. */
  until?: Date
}

// The largest instant a Date can hold.
const MAX_DATE_MS = 8.64e15
// Real offsets lie within about ±14 h: a wall-clock time this far past an instant, read as UTC, is after it in every zone.
const MAX_OFFSET_MS = 15 * 3_600_000

function assertDate(value: Date, name: string): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw new RangeError(`${name} must be a valid Date`)
}

function cronRuns(spec: CronSpec, timeZone: string, from: number, count: number, until: number): Date[] {
  const runs: Date[] = []
  let previous = from
  // Local times map monotonically to instants (ambiguous ones resolve to their first occurrence),
  // so walking local minutes from the wall-clock minute of `from` yields instants in order.
  for (const local of cronLocalTimes(spec, wallClockAt(from, timeZone))) {
    // Past `until` on any zone's clock: no later time can come before it.
    if (localAsUtcMs({ ...local, second: 0 }) > until + MAX_OFFSET_MS) break
    // A time inside a spring-forward gap does not exist that day: skip it, as AWS does.
    const instant = localToUtc({ ...local, second: 0 }, timeZone)
    if (!instant || instant.getTime() <= previous) continue
    if (instant.getTime() >= until) break
    runs.push(instant)
    previous = instant.getTime()
    if (runs.length >= count) break
  }
  return runs
}

function rateRuns(intervalMs: number, from: number, anchor: number, count: number, until: number): Date[] {
  // First k >= 0 with anchor + k * interval > from.
  const first = anchor > from ? 0 : Math.floor((from - anchor) / intervalMs) + 1
  const runs: Date[] = []
  for (let k = first; runs.length < count; k++) {
    const instant = anchor + k * intervalMs
    if (instant > MAX_DATE_MS || instant >= until) break
    runs.push(new Date(instant))
  }
  return runs
}

/**
 * The next `count` fire instants of an already parsed schedule, strictly after `options.from`.
 * @throws RangeError for an unknown time zone, an invalid date or a bad count.
 */
export function nextRunsForSpec(spec: ScheduleSpec, timeZone: string, options: NextRunsOptions): Date[] {
  assertTimeZone(timeZone)
  assertDate(options.from, 'from')
  if (options.anchor !== undefined) assertDate(options.anchor, 'anchor')
  if (options.until !== undefined) assertDate(options.until, 'until')
  if (!Number.isSafeInteger(options.count) || options.count < 0) throw new RangeError('count must be a non-negative integer')
  if (options.count === 0) return []
  const from = options.from.getTime()
  const until = options.until?.getTime() ?? Infinity

  switch (spec.kind) {
    case 'cron':
      return cronRuns(spec, timeZone, from, options.count, until)
    case 'rate':
      return rateRuns(spec.value * RATE_UNIT_MS[spec.unit], from, options.anchor?.getTime() ?? from, options.count, until)
    case 'at': {
      // A one-off time that falls in a spring-forward gap never happens.
      const instant = localToUtc(spec.local, timeZone)
      return instant && instant.getTime() > from && instant.getTime() < until ? [instant] : []
    }
  }
}

/**
 * The next `count` fire instants of `expr` in `timeZone`, strictly after `options.from`, ascending.
 * - cron: evaluated on the zone's wall clock; times in a DST gap are skipped, repeated times fire once (first occurrence).
 * - rate: `anchor + k * interval` (absolute time, independent of the zone).
 * - at: the local time in the zone, if it is after `from`.
 * Returns fewer than `count` runs when the schedule ends.
 * @throws ScheduleExpressionError for an invalid expression; RangeError for invalid options or time zone.
 */
export function nextRuns(expr: string, timeZone: string, options: NextRunsOptions): Date[] {
  return nextRunsForSpec(parseScheduleExpression(expr), timeZone, options)
}
