// IANA time-zone helpers built only on `Intl`, so they run the same in the browser and on the server.

/** A wall-clock date and time (no zone attached). Months are 1-12. */
export interface LocalDateTime {
  year: number
  month: number
  day: number
  hour: number
  minute: number
  second: number
}

/**
 * How a local wall-clock time maps to real instants in a zone: `exact`; `ambiguous` (fall-back overlap;
 * `instant` is the first occurrence, `later` the second); or `gap` (spring-forward, the time does not exist).
 */
export type LocalTimeResolution = { kind: 'exact', instant: Date } | { kind: 'ambiguous', instant: Date, later: Date } | { kind: 'gap' }

const HOUR_MS = 3_600_000

// Names like UTC, Europe/Berlin, America/Argentina/Buenos_Aires, Etc/GMT+5; never offsets like +01:00.
const ZONE_NAME = /^[A-Z][\w+-]*(?:\/[\w+-]+)*$/i

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/**
 * True for an IANA time-zone name the runtime knows (e.g. 'UTC', 'Europe/Berlin', 'Etc/GMT+5').
 * Offset strings such as '+01:00' are rejected even though newer `Intl` versions accept them.
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (typeof timeZone !== 'string' || !ZONE_NAME.test(timeZone)) return false
  try {
    formatterFor(timeZone)
    return true
  }
  catch {
    return false
  }
}

/** Throws a RangeError unless `timeZone` passes {@link isValidTimeZone}. */
export function assertTimeZone(timeZone: string): void {
  if (!isValidTimeZone(timeZone)) {
    throw new RangeError(`Unknown time zone "${timeZone}": use an IANA name such as UTC or Europe/Berlin`)
  }
}

/** The wall-clock date and time shown in `timeZone` at `instant` (milliseconds dropped). */
export function wallClockAt(instant: Date | number, timeZone: string): LocalDateTime {
  const local: LocalDateTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 }
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type in local) local[part.type as keyof LocalDateTime] = Number(part.value)
  }
  // Some engines still print midnight as 24 with h23; normalise defensively.
  if (local.hour === 24) local.hour = 0
  return local
}

/** Milliseconds since the epoch of a wall-clock time read as if it were UTC. */
export function localAsUtcMs(local: LocalDateTime): number {
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second)
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (positive east of Greenwich). */
export function timeZoneOffsetMs(instant: Date | number, timeZone: string): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  const wholeSecond = Math.floor(ms / 1000) * 1000
  return localAsUtcMs(wallClockAt(wholeSecond, timeZone)) - wholeSecond
}

/**
 * Resolves a wall-clock time in `timeZone` to the instant(s) it denotes:
 * one instant normally, two on a fall-back overlap, none in a spring-forward gap.
 */
export function resolveLocalTime(local: LocalDateTime, timeZone: string): LocalTimeResolution {
  const naive = localAsUtcMs(local)
  // Real offsets lie within about ±14 h, so any matching instant is within 15 h of `naive`;
  // the offsets in force at both ends of that window cover a transition inside it.
  const offsets = new Set([
    timeZoneOffsetMs(naive - 15 * HOUR_MS, timeZone),
    timeZoneOffsetMs(naive, timeZone),
    timeZoneOffsetMs(naive + 15 * HOUR_MS, timeZone),
  ])
  const instants = [...offsets]
    .map(offset => naive - offset)
    .filter(candidate => timeZoneOffsetMs(candidate, timeZone) === naive - candidate)
    .sort((a, b) => a - b)
  const first = instants[0]
  const last = instants[instants.length - 1]
  if (first === undefined || last === undefined) return { kind: 'gap' }
  if (first === last) return { kind: 'exact', instant: new Date(first) }
  return { kind: 'ambiguous', instant: new Date(first), later: new Date(last) }
}

/**
 * The instant a wall-clock time denotes in `timeZone`: the first occurrence when it is ambiguous,
 * or null when it does not exist (spring-forward gap).
 */
export function localToUtc(local: LocalDateTime, timeZone: string): Date | null {
  const resolved = resolveLocalTime(local, timeZone)
  return resolved.kind === 'gap' ? null : resolved.instant
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** Formats a wall-clock time as `yyyy-mm-ddThh:mm:ss`. */
export function formatLocalDateTime(local: LocalDateTime): string {
  return `${pad(local.year, 4)}-${pad(local.month)}-${pad(local.day)}T${pad(local.hour)}:${pad(local.minute)}:${pad(local.second)}`
}

/** ISO 8601 of `date` as seen in `timeZone`, always with a numeric offset: `2026-03-29T03:00:00+02:00`. */
export function formatInZone(date: Date, timeZone: string): string {
  const offsetMinutes = Math.round(timeZoneOffsetMs(date, timeZone) / 60_000)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  return `${formatLocalDateTime(wallClockAt(date, timeZone))}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
}
