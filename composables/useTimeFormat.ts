// Dates in the viewer's language, in the viewer's time zone or in a rule's (shared/datetime-text.ts writes them).
import { formatWallClock, localWallClock, wallClockAsWritten } from '#shared/datetime-text'
import type { DateTextStyle } from '#shared/datetime-text'
import { wallClockAt } from '#shared/schedule/timezone'

/** The browser's IANA time zone (UTC on the server). */
export function browserTimeZone(): string {
  return import.meta.client ? Intl.DateTimeFormat().resolvedOptions().timeZone : 'UTC'
}

/** The cookie in which the browser tells the server its time zone, for the pages the server renders. */
export const TIME_ZONE_COOKIE = 'ouroboros_tz'

function knownZone(zone: unknown): string | null {
  if (typeof zone !== 'string' || zone.length > 64) return null
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone })
    return zone
  }
  catch {
    return null
  }
}

export function useTimeFormat() {
  const { locale } = useI18n()
  // The server writes the viewer's times in the zone the browser gave on an earlier visit (UTC on a first one); the
  // browser writes them in its own zone with Date's local getters, and corrects the server's text as it hydrates
  // (each such element carries data-allow-mismatch="text", so the correction is no hydration error).
  const serverViewerZone = import.meta.server ? (knownZone(useCookie(TIME_ZONE_COOKIE).value) ?? 'UTC') : 'UTC'
  // One clock in every language and everywhere: the 24-hour one the schedule descriptions use ("At 19:00, …"),
  // whatever the browser's region would pick for 'en'.
  const format = (style: DateTextStyle) => (value: string | Date, timeZone?: string) => {
    const date = typeof value === 'string' ? new Date(value) : value
    const wall = timeZone ? wallClockAt(date, timeZone) : import.meta.client ? localWallClock(date) : wallClockAt(date, serverViewerZone)
    return formatWallClock(wall, style, locale.value)
  }
  const runTime = format('runTime')
  return {
    /** e.g. "Nov 25, 2026, 19:00" */
    dateTime: format('dateTime'),
    /** e.g. "Tue, Nov 25, 19:00", for next runs (say which zone next to it). */
    runTime,
    /** A run time as the server wrote it in a rule's zone (`2026-11-25T19:00:00+01:00`), without a time-zone database. */
    runTimeAsWritten: (iso: string) => {
      const wall = wallClockAsWritten(iso)
      return wall ? formatWallClock(wall, 'runTime', locale.value) : runTime(iso)
    },
    /** With seconds, for run logs. */
    exact: format('exact'),
  }
}
