// Turns a validated calendar input into what is stored: the checks that need the holiday data (is there such a
// country, such a region) and the import of each .ics file. Every problem is answered at once, at its field.
import { isIcsImport } from '#shared/schemas/calendar'
import type { CalendarEntry, CalendarInput } from '#shared/schemas/calendar'
import { issue } from '#shared/schemas/issue'
import type { FieldIssue } from '#shared/schemas/issue'
import { InvalidInput } from '../errors'
import type { HolidaySource } from './holidays'
import { importIcs, IcsRefused, loadIcal } from './ics'

// DynamoDB's item limit is 400 KB: a calendar stays well under it, with room for the attributes around it.
export const MAX_CALENDAR_BYTES = 350_000

export interface PrepareDeps {
  holidays: () => Promise<HolidaySource>
  now: Date
}

/** The entries to store, .ics files imported; throws InvalidInput naming each wrong entry's field. */
export async function prepareCalendar(input: CalendarInput, deps: PrepareDeps): Promise<CalendarInput & { entries: CalendarEntry[] }> {
  const issues: FieldIssue[] = []
  const holidays = input.entries.some(e => 'holidays' in e) ? await deps.holidays() : undefined
  const ical = input.entries.some(isIcsImport) ? await loadIcal() : undefined
  const entries: CalendarEntry[] = []
  input.entries.forEach((entry, i) => {
    if ('holidays' in entry) {
      const problem = holidays!.specIssue(entry.holidays)
      if (problem) issues.push({ path: `entries.${i}.holidays.${problem.field}`, ...problem.issue })
      entries.push(entry)
    }
    else if (isIcsImport(entry)) {
      try {
        entries.push(importIcs(ical!, entry.ics, entry.file ?? 'calendar.ics', deps.now))
      }
      catch (error) {
        if (!(error instanceof IcsRefused)) throw error
        issues.push({ path: `entries.${i}.ics`, ...error.issue })
      }
    }
    else entries.push(entry)
  })
  if (issues.length === 0) {
    const size = new TextEncoder().encode(JSON.stringify({ ...input, entries })).length
    if (size > MAX_CALENDAR_BYTES) issues.push({ path: 'entries', ...issue('calendar.tooLarge', { size, max: MAX_CALENDAR_BYTES }) })
  }
  if (issues.length) throw new InvalidInput('calendar', issues)
  return { ...input, entries }
}
