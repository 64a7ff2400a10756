// A calendar: a named set of days, each a local date evaluated in the time zone of the rule that uses it.
// One schema for the browser form and the server routes; what needs the holiday data or the iCalendar parser
// (a country's regions, an .ics file's events) is checked on the server (server/utils/calendars/prepare.ts).
import { z } from 'zod'
import { addYears, isLocalDate, isMonthDay } from '../dates'
import { issue, issueMessage as say, issueOf, zodIssue } from './issue'

export const CALENDAR_NAME_PATTERN = /^[\w.-]{1,64}$/
/** An .ics file larger than this is refused. */
export const ICS_MAX_BYTES = 1_048_576
/** How far ahead an imported .ics file is expanded, and the longest window of days asked for at once. */
export const HORIZON_YEARS = 3
export const MAX_ENTRIES = 500
export const MAX_ICS_ENTRIES = 5
export const MAX_ICS_DAYS = 5000
export const HOLIDAY_TYPES = ['public', 'bank', 'school', 'optional', 'observance'] as const
export type HolidayType = typeof HOLIDAY_TYPES[number]

export const CalendarNameSchema = z.string()
  .min(1, say('calendar.name.required'))
  .max(64, say('calendar.name.tooLong'))
  .regex(CALENDAR_NAME_PATTERN, say('calendar.name.chars'))

/** The path parameters of `/api/calendars/:name` and the routes under it. */
export const CalendarParamsSchema = z.object({ name: CalendarNameSchema })

export const LocalDateSchema = z.string().superRefine((value, ctx) => {
  if (!isLocalDate(value)) ctx.addIssue(zodIssue(issue('calendar.date.format', { value })))
})

const MonthDaySchema = z.string().superRefine((value, ctx) => {
  if (!isMonthDay(value)) ctx.addIssue(zodIssue(issue('calendar.annual.format', { value })))
})

const LabelSchema = z.string().trim().max(100, say('calendar.label.tooLong')).optional()

const FileNameSchema = z.string().trim().min(1, say('calendar.ics.file')).max(255, say('calendar.ics.file'))
  .regex(/^[^/\\]+$/, say('calendar.ics.file'))

const DateEntrySchema = z.strictObject({ date: LocalDateSchema, label: LabelSchema })

const RangeEntrySchema = z.strictObject({ from: LocalDateSchema, to: LocalDateSchema, label: LabelSchema }).superRefine((r, ctx) => {
  if (r.to < r.from) ctx.addIssue(zodIssue(issue('calendar.range.order', { from: r.from, to: r.to }), ['to']))
})

const AnnualEntrySchema = z.strictObject({ annual: MonthDaySchema, label: LabelSchema })

export const HolidaySpecSchema = z.strictObject({
  country: z.string().trim().toUpperCase(),
  region: z.string().trim().toUpperCase().optional(),
  // Public holidays only, unless other types are chosen.
  types: z.array(z.enum(HOLIDAY_TYPES, { message: say('calendar.holidays.types') })).min(1, say('calendar.holidays.types')).max(5)
    .default(['public'])
    .transform(types => HOLIDAY_TYPES.filter(t => types.includes(t))),
})

const HolidaysEntrySchema = z.strictObject({ holidays: HolidaySpecSchema })

const IcsTextSchema = z.string().superRefine((text, ctx) => {
  const size = new TextEncoder().encode(text).length
  if (size > ICS_MAX_BYTES) ctx.addIssue(zodIssue(issue('calendar.ics.tooLarge', { size, max: ICS_MAX_BYTES })))
  else if (!text.trim()) ctx.addIssue(zodIssue(issue('calendar.ics.empty')))
  else if (!/^\s*BEGIN:VCALENDAR\b/i.test(text.replace(/^\uFEFF/, ''))) ctx.addIssue(zodIssue(issue('calendar.ics.notCalendar')))
})

/** An .ics file to import: its text, and the file's name (the days' source says `ics:<file>`). */
const IcsImportSchema = z.strictObject({ ics: IcsTextSchema, file: FileNameSchema.optional() })

const IcsDaySchema = z.strictObject({ date: LocalDateSchema, label: z.string().max(100, say('calendar.label.tooLong')) })

/** An .ics file as it was imported: its days, expanded up to HORIZON_YEARS after the import. Sent back unchanged by a PUT. */
const IcsImportedSchema = z.strictObject({
  ics: z.strictObject({
    file: FileNameSchema,
    importedAt: z.iso.datetime(),
    horizon: z.strictObject({ from: LocalDateSchema, to: LocalDateSchema }),
    days: z.array(IcsDaySchema).max(MAX_ICS_DAYS),
    ignoredEvents: z.number().int().min(0).optional(),
  }),
})

type EntryKind = 'date' | 'range' | 'annual' | 'holidays' | 'ics' | 'imported'

const ENTRY_SCHEMAS: Record<EntryKind, z.ZodType> = {
  date: DateEntrySchema,
  range: RangeEntrySchema,
  annual: AnnualEntrySchema,
  holidays: HolidaysEntrySchema,
  ics: IcsImportSchema,
  imported: IcsImportedSchema,
}

const ENTRY_FIELDS: Record<EntryKind, string> = {
  date: 'date, label?',
  range: 'from, to, label?',
  annual: 'annual, label?',
  holidays: 'holidays: { country, region?, types? }',
  ics: 'ics, file?',
  imported: 'ics: { file, importedAt, horizon, days }',
}

/** Each shape an entry may take, for the OpenAPI document (the route tells them apart by their fields). */
export const CALENDAR_ENTRY_SHAPES: z.ZodType[] = Object.values(ENTRY_SCHEMAS)

function entryKind(value: unknown): EntryKind | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined
  const v = value as Record<string, unknown>
  if ('date' in v) return 'date'
  if ('from' in v || 'to' in v) return 'range'
  if ('annual' in v) return 'annual'
  if ('holidays' in v) return 'holidays'
  if ('ics' in v) return v.ics && typeof v.ics === 'object' ? 'imported' : 'ics'
  return undefined
}

export type DateEntry = z.output<typeof DateEntrySchema>
export type RangeEntry = z.output<typeof RangeEntrySchema>
export type AnnualEntry = z.output<typeof AnnualEntrySchema>
export type HolidaySpec = z.output<typeof HolidaySpecSchema>
export type HolidaysEntry = z.output<typeof HolidaysEntrySchema>
export type IcsImport = z.output<typeof IcsImportSchema>
export type IcsEntry = z.output<typeof IcsImportedSchema>
/** An entry as a person sends it: an .ics file may still be its text, to be imported. */
export type CalendarEntryInput = DateEntry | RangeEntry | AnnualEntry | HolidaysEntry | IcsImport | IcsEntry
/** An entry as stored: every .ics file imported, its days expanded. */
export type CalendarEntry = DateEntry | RangeEntry | AnnualEntry | HolidaysEntry | IcsEntry

/** One entry, told apart by its fields, so that each mistake is named at its own field rather than as "no union matched". */
export const CalendarEntryInputSchema = z.unknown().transform((value, ctx): CalendarEntryInput => {
  const kind = entryKind(value)
  if (!kind) {
    ctx.addIssue(zodIssue(issue('calendar.entry.kind')))
    return z.NEVER
  }
  const parsed = ENTRY_SCHEMAS[kind].safeParse(value)
  if (parsed.success) return parsed.data as CalendarEntryInput
  for (const raised of parsed.error.issues) {
    const problem = raised.code === 'unrecognized_keys' || (raised.code === 'invalid_type' && raised.input === undefined)
      ? issue('calendar.entry.shape', { fields: ENTRY_FIELDS[kind] })
      : issueOf(raised)
    ctx.addIssue(zodIssue(problem, raised.path))
  }
  return z.NEVER
})

/** True for an entry that is an .ics file still to import. */
export function isIcsImport(entry: CalendarEntryInput): entry is IcsImport {
  return 'ics' in entry && typeof entry.ics === 'string'
}

/** What a person sends to create a calendar. */
export const CalendarInputSchema = z.object({
  name: CalendarNameSchema,
  description: z.string().max(512, say('calendar.description.tooLong')).optional(),
  entries: z.array(CalendarEntryInputSchema).max(MAX_ENTRIES, say('calendar.entries.tooMany')).default([]),
}).superRefine((calendar, ctx) => {
  const files = calendar.entries.filter(e => 'ics' in e).length
  if (files > MAX_ICS_ENTRIES) ctx.addIssue(zodIssue(issue('calendar.entries.tooManyIcs'), ['entries']))
})

/** A full update: the same fields, plus the `version` the client last read (optimistic locking). */
export const CalendarUpdateSchema = z.intersection(
  CalendarInputSchema,
  z.object({ version: z.number({ message: say('calendar.version.required') }).int().min(1) }),
)

export type CalendarInput = z.output<typeof CalendarInputSchema>
export type CalendarUpdate = z.output<typeof CalendarUpdateSchema>

/** A stored calendar. */
export interface Calendar {
  name: string
  description?: string
  entries: CalendarEntry[]
  createdAt: string
  updatedAt: string
  version: number
}

/** An .ics entry in a list: its days counted, not listed (read the calendar, or its days, for them). */
export interface IcsEntrySummary {
  ics: Omit<IcsEntry['ics'], 'days'> & { dayCount: number }
}

/** A calendar in a list. */
export interface CalendarSummary extends Omit<Calendar, 'entries'> {
  entries: (Exclude<CalendarEntry, IcsEntry> | IcsEntrySummary)[]
}

/** Shapes a stored calendar for a list: each .ics file's days counted. */
export function toCalendarSummary(calendar: Calendar): CalendarSummary {
  return {
    ...calendar,
    entries: calendar.entries.map((e) => {
      if (!('ics' in e)) return e
      const { days, ...rest } = e.ics
      return { ics: { ...rest, dayCount: days.length } }
    }),
  }
}

/** Where a day comes from: `date`, `range`, `annual`, `holidays:DE-BY` or `ics:<file>`. */
export type DaySource = 'date' | 'range' | 'annual' | `holidays:${string}` | `ics:${string}`

/** One day of a calendar. A holiday also carries its names, in English and in Chinese where the data has it. */
export interface CalendarDay {
  date: string
  label: string
  source: DaySource
  names?: { en: string, zh?: string }
}

/** `GET /api/calendars/:name/days?from&to`: at most HORIZON_YEARS, `to` not before `from`. */
export const DaysQuerySchema = z.object({ from: LocalDateSchema, to: LocalDateSchema }).superRefine((q, ctx) => {
  if (!isLocalDate(q.from) || !isLocalDate(q.to)) return
  if (q.to < q.from) ctx.addIssue(zodIssue(issue('calendar.window.order', q), ['to']))
  else if (q.to >= addYears(q.from, HORIZON_YEARS)) ctx.addIssue(zodIssue(issue('calendar.window.tooLong', q), ['to']))
})
