// The calendars: list, read, create, replace, delete, their days; and the countries with holiday data.
import { CalendarAnswer, CalendarDaysAnswer, CalendarDetailAnswer, CalendarPageAnswer, HolidayCountriesAnswer } from '#shared/answers/calendar'
import { CALENDAR_ENTRY_SHAPES, CalendarInputSchema, CalendarParamsSchema, CalendarUpdateSchema, DaysQuerySchema } from '#shared/schemas/calendar'
import { PageQuerySchema } from '#shared/schemas/list'
import { HolidaysQuerySchema, VersionQuerySchema } from '#shared/schemas/params'
import { jsonSchema, notRequired, operation } from '../operation'

// An entry is told apart by its fields on the server (each mistake named at its own field): say which shapes it takes.
/** The body's `entries` as one of the shapes an entry takes (the route reads each entry by its fields). */
function withEntryShapes(schema: Record<string, unknown>): Record<string, unknown> {
  const properties = schema.properties as Record<string, Record<string, unknown>>
  const items = { oneOf: CALENDAR_ENTRY_SHAPES.map(shape => jsonSchema(shape, 'input')) }
  return { ...schema, properties: { ...properties, entries: { ...properties.entries, items } } }
}

const ENTRIES = 'Entries: `{ date, label? }`, `{ from, to, label? }`, `{ annual: "MM-DD", label? }`, `{ holidays: { country, region?, types? } }`, `{ ics: "BEGIN:VCALENDAR...", file? }` (at most 1 MB, imported now), or an imported `.ics` entry sent back as read.'

export const paths = {
  '/api/calendars': {
    get: operation({
      summary: 'A page of calendars in name order (each .ics file with dayCount instead of its days)',
      access: 'public',
      query: PageQuerySchema,
      answers: { 200: { schema: CalendarPageAnswer, description: 'a page of calendars' } },
    }),
    post: operation({
      summary: 'Create a calendar',
      description: ENTRIES,
      access: 'admin',
      body: CalendarInputSchema,
      bodyShape: withEntryShapes,
      answers: { 201: { schema: CalendarAnswer, description: 'the calendar created, its .ics files imported' } },
      errors: [409],
    }),
  },
  '/api/calendars/{name}': {
    get: operation({
      summary: 'One calendar with every entry, and the rules that skip its days',
      access: 'public',
      params: CalendarParamsSchema,
      answers: { 200: { schema: CalendarDetailAnswer, description: 'the calendar' } },
      errors: [404],
    }),
    put: operation({
      summary: 'Replace a calendar, guarded by the version you read',
      description: ENTRIES,
      access: 'admin',
      params: CalendarParamsSchema,
      body: CalendarUpdateSchema,
      bodyShape: body => withEntryShapes(notRequired('name')(body)),
      answers: { 200: { schema: CalendarAnswer, description: 'the calendar as stored' } },
      errors: [404, 409],
    }),
    delete: operation({
      summary: 'Delete a calendar no rule uses (409 with data.rules naming those that do)',
      access: 'admin',
      params: CalendarParamsSchema,
      query: VersionQuerySchema,
      answers: { 200: { schema: CalendarAnswer, description: 'the calendar deleted' } },
      errors: [404, 409],
    }),
  },
  '/api/calendars/{name}/days': {
    get: operation({
      summary: 'The calendar\'s days from `from` to `to` (at most 3 years)',
      access: 'public',
      params: CalendarParamsSchema,
      query: DaysQuerySchema,
      answers: { 200: { schema: CalendarDaysAnswer, description: 'the days, in date order' } },
      errors: [404],
    }),
  },
  '/api/holidays': {
    get: operation({
      summary: 'The countries and regions with holiday data, to pick a calendar\'s holidays from',
      access: 'public',
      query: HolidaysQuerySchema,
      answers: { 200: { schema: HolidayCountriesAnswer, description: 'the countries, each with its regions' } },
    }),
  },
}
