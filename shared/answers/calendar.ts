// What the calendars routes answer: a calendar with its entries, a list of them (.ics days counted), its days, and
// the countries with holiday data.
import { z } from 'zod'
import { InstantText, LocalDateText, pageOf } from './common'

const Label = z.string().optional()

const HolidaysEntry = z.object({ holidays: z.object({ country: z.string(), region: z.string().optional(), types: z.array(z.enum(['public', 'bank', 'school', 'optional', 'observance'])) }) })
const IcsMeta = { file: z.string(), importedAt: InstantText, horizon: z.object({ from: LocalDateText, to: LocalDateText }), ignoredEvents: z.number().int().optional() }
const PlainEntries = [
  z.object({ date: LocalDateText, label: Label }),
  z.object({ from: LocalDateText, to: LocalDateText, label: Label }),
  z.object({ annual: z.string().describe('MM-DD'), label: Label }),
  HolidaysEntry,
] as const

const CalendarFields = {
  name: z.string(),
  description: z.string().optional(),
  createdAt: InstantText,
  updatedAt: InstantText,
  version: z.number().int(),
}

/** A stored calendar, every .ics file's days in full. */
export const CalendarAnswer = z.object({
  ...CalendarFields,
  entries: z.array(z.union([...PlainEntries, z.object({ ics: z.object({ ...IcsMeta, days: z.array(z.object({ date: LocalDateText, label: z.string() })) }) })])),
})

/** `GET /api/calendars/:name`: the calendar, and the rules that skip its days. */
export const CalendarDetailAnswer = CalendarAnswer.extend({ usedBy: z.array(z.string()) })

/** A calendar in a list: each .ics file's days counted, not listed. */
export const CalendarPageAnswer = pageOf(z.object({
  ...CalendarFields,
  entries: z.array(z.union([...PlainEntries, z.object({ ics: z.object({ ...IcsMeta, dayCount: z.number().int() }) })])),
}))

export const HolidayNamesAnswer = z.object({ en: z.string(), zh: z.string().optional() })

/** One day of a calendar; a holiday also carries its names. */
export const CalendarDayAnswer = z.object({
  date: LocalDateText,
  label: z.string(),
  source: z.string().describe('date, range, annual, holidays:DE-BY or ics:<file>'),
  names: HolidayNamesAnswer.optional(),
})

export const CalendarDaysAnswer = z.object({ items: z.array(CalendarDayAnswer) })

const HolidayRegionAnswer = z.object({ code: z.string(), name: z.string() })

/** `GET /api/holidays`: the countries and regions with holiday data. */
export const HolidayCountriesAnswer = z.object({ items: z.array(HolidayRegionAnswer.extend({ regions: z.array(HolidayRegionAnswer) })) })

export type CalendarDetail = z.output<typeof CalendarDetailAnswer>
export type HolidayCountry = z.output<typeof HolidayCountriesAnswer>['items'][number]
