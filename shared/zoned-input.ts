// A date-time picker's value (`2026-12-24T18:00:00`, no offset) read in a chosen time zone: the pause of a rule is picked
// in the rule's zone, whatever the browser's is. Uses the schedule parser's zone arithmetic, so DST is handled as
// EventBridge handles it: a time that does not exist that day (the spring-forward gap) is no instant.
import { localToUtc, wallClockAt } from './schedule/timezone'

const pad = (n: number) => String(n).padStart(2, '0')
const PICKED = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/

/** The picker value that shows `instant` as the clock in `timeZone` reads it. */
export function toZonedInput(instant: Date, timeZone: string): string {
  const w = wallClockAt(instant, timeZone)
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`
}

/** The instant a picker value stands for in `timeZone`; null when it is not a date-time or does not exist there. */
export function fromZonedInput(value: string, timeZone: string): Date | null {
  const m = PICKED.exec(value)
  if (!m) return null
  const [year, month, day, hour, minute, second] = m.slice(1).map(v => Number(v ?? 0)) as [number, number, number, number, number, number]
  return localToUtc({ year, month, day, hour, minute, second }, timeZone)
}
