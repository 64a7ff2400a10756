// iCalendar files for the calendar tests: a holiday calendar with a yearly series, an exception, a moved occurrence,
// multi-day events and a meeting, as a calendar application exports them (CRLF, folded to 75 octets where needed).

/** Joins lines with CRLF, as RFC 5545 writes them. */
export const ics = (...lines: string[]) => `${lines.join('\r\n')}\r\n`

export const event = (...lines: string[]) => ['BEGIN:VEVENT', ...lines, 'END:VEVENT']

/** A calendar of team days off, with events from 2026 to 2031. */
export const TEAM_DAYS_OFF = ics(
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//Ouroboros tests//EN',
  // A yearly all-day day off on 2 January, except in 2028.
  ...event('UID:jan2@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20260102', 'DTEND;VALUE=DATE:20260103', 'RRULE:FREQ=YEARLY', 'EXDATE;VALUE=DATE:20280102', 'SUMMARY:Bridge day'),
  // Weekly on Fridays, four times, the third moved to Thursday.
  ...event('UID:fri@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20260605', 'RRULE:FREQ=WEEKLY;COUNT=4', 'SUMMARY:Summer Friday'),
  ...event('UID:fri@test', 'DTSTAMP:20260101T000000Z', 'RECURRENCE-ID;VALUE=DATE:20260619', 'DTSTART;VALUE=DATE:20260618', 'SUMMARY:Summer Friday (moved)'),
  // Three days, all-day: DTEND is exclusive.
  ...event('UID:offsite@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20261228', 'DTEND;VALUE=DATE:20261231', 'SUMMARY:Office shutdown'),
  // A timed event over two nights, ending at noon on the 3rd day.
  ...event('UID:release@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260910T180000Z', 'DTEND:20260912T120000Z', 'SUMMARY:Release freeze'),
  // A timed event ending at midnight does not cover the day it ends on.
  ...event('UID:late@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20261001T200000', 'DTEND:20261003T000000', 'SUMMARY:Migration'),
  // A one-hour meeting is no day off.
  ...event('UID:meeting@test', 'DTSTAMP:20260101T000000Z', 'DTSTART:20260715T090000Z', 'DTEND:20260715T100000Z', 'SUMMARY:All hands'),
  // Cancelled: never a day off.
  ...event('UID:cancelled@test', 'DTSTAMP:20260101T000000Z', 'DTSTART;VALUE=DATE:20260801', 'STATUS:CANCELLED', 'SUMMARY:Cancelled outing'),
  'END:VCALENDAR',
)
