// An iCalendar file (RFC 5545) imported with `ical.js`: its all-day events, and the events that span days, expanded
// into local dates, recurring ones (RRULE, RDATE, EXDATE, moved occurrences) included, from the start of the year of
// the import up to HORIZON_YEARS after it. A timed event within one day is not a day off: it is counted, not kept.
import type ICALNamespace from 'ical.js'
import { addDays, addYears, utcDate } from '#shared/dates'
import { HORIZON_YEARS, MAX_ICS_DAYS } from '#shared/schemas/calendar'
import type { IcsEntry } from '#shared/schemas/calendar'
import { issue } from '#shared/schemas/issue'
import type { Issue } from '#shared/schemas/issue'

type ICAL = typeof ICALNamespace
type IcalTime = InstanceType<ICAL['Time']>
type IcalEvent = InstanceType<ICAL['Event']>

/** The file cannot be imported; `issue` says why, for the field of the entry. */
export class IcsRefused extends Error {
  override name = 'IcsRefused'
  constructor(readonly issue: Issue) {
    super(issue.message)
  }
}

// A recurrence with no end is followed only this far; far more than three years of daily occurrences.
const MAX_OCCURRENCES_PER_EVENT = 20_000

const dateOf = (t: IcalTime) => `${String(t.year).padStart(4, '0')}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')}`

/** The local dates an occurrence covers, or null for a timed occurrence within one day. */
function datesCovered(start: IcalTime, end: IcalTime | null): { first: string, last: string } | null {
  const first = dateOf(start)
  if (start.isDate) {
    // An all-day event's end is the day after its last (exclusive); without one it lasts its start day.
    const last = end && end.compare(start) > 0 ? addDays(dateOf(end), -1) : first
    return { first, last: last < first ? first : last }
  }
  if (!end) return null
  // A timed event that ends at midnight does not cover the day it ends on.
  const endsAtMidnight = end.hour === 0 && end.minute === 0 && end.second === 0
  const last = endsAtMidnight ? addDays(dateOf(end), -1) : dateOf(end)
  return last > first ? { first, last } : null
}

/** The events of a parsed calendar, with each moved occurrence (RECURRENCE-ID) tied to its series. */
function eventsOf(ical: ICAL, root: InstanceType<ICAL['Component']>): IcalEvent[] {
  const components = root.getAllSubcomponents('vevent')
    .filter(c => String(c.getFirstPropertyValue('status') ?? '').toUpperCase() !== 'CANCELLED')
  const series = new Map<string, IcalEvent>()
  const events: IcalEvent[] = []
  const exceptions: IcalEvent[] = []
  for (const component of components) {
    const event = new ical.Event(component)
    if (event.isRecurrenceException()) exceptions.push(event)
    else {
      events.push(event)
      if (event.uid) series.set(event.uid, event)
    }
  }
  for (const exception of exceptions) {
    const master = series.get(exception.uid)
    if (master) master.relateException(exception)
    else events.push(exception)
  }
  return events
}

/**
 * Imports an .ics file: its days from 1 January of the year of `now` up to HORIZON_YEARS after `now`.
 * Throws IcsRefused when the text is not a calendar or does not parse, or expands to more than MAX_ICS_DAYS days.
 */
export function importIcs(ical: ICAL, text: string, file: string, now: Date): IcsEntry {
  let root
  try {
    root = new ical.Component(ical.parse(text.replace(/^\uFEFF/, '')) as unknown[])
  }
  catch (error) {
    throw new IcsRefused(issue('calendar.ics.parse', { message: String((error as Error).message ?? error).slice(0, 300) }))
  }
  if (root.name !== 'vcalendar') throw new IcsRefused(issue('calendar.ics.notCalendar'))

  const today = utcDate(now)
  const horizon = { from: `${today.slice(0, 4)}-01-01`, to: addYears(today, HORIZON_YEARS) }
  const seen = new Set<string>()
  const days: { date: string, label: string }[] = []
  let ignoredEvents = 0
  const add = (first: string, last: string, label: string) => {
    for (let date = first < horizon.from ? horizon.from : first; date <= last && date <= horizon.to; date = addDays(date, 1)) {
      const key = `${date}\n${label}`
      if (seen.has(key)) continue
      seen.add(key)
      days.push({ date, label })
      if (days.length > MAX_ICS_DAYS) throw new IcsRefused(issue('calendar.ics.tooManyDays', { max: MAX_ICS_DAYS }))
    }
  }

  try {
    for (const event of eventsOf(ical, root)) {
      if (!event.startDate) continue
      const label = (event.summary || 'event').trim().slice(0, 100)
      if (!event.isRecurring()) {
        const covered = datesCovered(event.startDate, event.endDate)
        if (covered) add(covered.first, covered.last, label)
        else ignoredEvents++
        continue
      }
      const occurrences = event.iterator()
      let timedOnly = true
      for (let i = 0, next = occurrences.next(); next && i < MAX_OCCURRENCES_PER_EVENT; i++, next = occurrences.next()) {
        if (dateOf(next) > horizon.to) break
        const details = event.getOccurrenceDetails(next)
        const covered = datesCovered(details.startDate, details.endDate)
        if (!covered) continue
        timedOnly = false
        if (covered.last >= horizon.from) add(covered.first, covered.last, details.item.summary?.trim().slice(0, 100) || label)
      }
      if (timedOnly) ignoredEvents++
    }
  }
  catch (error) {
    if (error instanceof IcsRefused) throw error
    // A malformed RRULE or date surfaces only while expanding.
    throw new IcsRefused(issue('calendar.ics.parse', { message: String((error as Error).message ?? error).slice(0, 300) }))
  }

  days.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.label < b.label ? -1 : 1))
  return { ics: { file, importedAt: now.toISOString(), horizon, days, ...(ignoredEvents ? { ignoredEvents } : {}) } }
}

let loaded: Promise<ICAL> | undefined

/** `ical.js`, loaded on the first import only. */
export function loadIcal(): Promise<ICAL> {
  loaded ??= import('ical.js').then(m => m.default)
  loaded.catch(() => {
    loaded = undefined
  })
  return loaded
}
