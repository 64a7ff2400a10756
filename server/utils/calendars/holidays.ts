// Public holidays of a country or region, offline, from the `date-holidays` package: which countries and regions it
// knows, and one year's holidays as calendar days, named in English and in Chinese where the data has it.
// Expanded years are cached: a schedule over many rules asks for the same few years of the same few regions.
import type Holidays from 'date-holidays'
import type { CalendarDay, HolidaySpec, HolidayType } from '#shared/schemas/calendar'
import { datesBetween, localDateOf, yearOf } from '#shared/dates'
import { issue } from '#shared/schemas/issue'
import type { Issue } from '#shared/schemas/issue'

type HolidaysClass = typeof Holidays

/** A holiday as it lasts: from its first to its last local date, both included. */
interface HolidaySpan {
  first: string
  last: string
  en: string
  zh?: string
}

export interface HolidayRegion {
  code: string
  name: string
}

export interface HolidayCountry extends HolidayRegion {
  regions: HolidayRegion[]
}

export interface HolidaySource {
  /** The days of `spec` in `year`, in date order; a holiday that spans the turn of the year is in both. */
  daysOf: (spec: HolidaySpec, year: number) => CalendarDay[]
  /** What is wrong with the country or region of `spec`, and at which of the two; undefined when both are known. */
  specIssue: (spec: Pick<HolidaySpec, 'country' | 'region'>) => { field: 'country' | 'region', issue: Issue } | undefined
  /** Every country with holiday data, and its regions, named in `lang` where the data has it. */
  countries: (lang?: string) => HolidayCountry[]
}

/** `holidays:DE-BY`, `holidays:US`. */
export function holidaySource(spec: Pick<HolidaySpec, 'country' | 'region'>): `holidays:${string}` {
  return `holidays:${spec.country}${spec.region ? `-${spec.region}` : ''}`
}

const specKey = (spec: HolidaySpec) => `${holidaySource(spec)}|${spec.types.join(',')}`

/** A holiday source over the `date-holidays` class; `maxYears` bounds the cache of expanded years. */
export function createHolidaySource(HolidaysCtor: HolidaysClass, maxYears = 4000): HolidaySource {
  const catalog = new HolidaysCtor()
  const instances = new Map<string, Holidays>()
  const years = new Map<string, HolidaySpan[]>()
  const days = new Map<string, CalendarDay[]>()

  const instanceFor = (spec: HolidaySpec): Holidays => {
    const key = specKey(spec)
    let hd = instances.get(key)
    if (!hd) {
      hd = spec.region
        ? new HolidaysCtor(spec.country, spec.region, { types: spec.types as HolidayType[] })
        : new HolidaysCtor(spec.country, { types: spec.types as HolidayType[] })
      instances.set(key, hd)
    }
    return hd
  }

  const remember = <T>(cache: Map<string, T>, key: string, value: T): T => {
    // Oldest first out: a Map iterates in insertion order.
    if (cache.size >= maxYears) cache.delete(cache.keys().next().value!)
    cache.set(key, value)
    return value
  }

  const spansOf = (spec: HolidaySpec, year: number): HolidaySpan[] => {
    const key = `${specKey(spec)}|${year}`
    const cached = years.get(key)
    if (cached) return cached
    const hd = instanceFor(spec)
    // Its start and end are instants in the region's own zone: the last day is the local date just before the end.
    const zone = hd.getTimezones()?.[0] ?? 'UTC'
    const zh = new Map(hd.getHolidays(year, 'zh').map(h => [`${h.date}|${h.rule}`, h.name]))
    const spans = hd.getHolidays(year, 'en').map((h): HolidaySpan => {
      const first = h.date.slice(0, 10)
      const end = localDateOf(h.end.getTime() - 1, zone)
      const name = zh.get(`${h.date}|${h.rule}`)
      return { first, last: end < first ? first : end, en: h.name, ...(name && name !== h.name ? { zh: name } : {}) }
    })
    return remember(years, key, spans)
  }

  return {
    daysOf(spec, year) {
      const key = `${specKey(spec)}|${year}`
      const cached = days.get(key)
      if (cached) return cached
      const source = holidaySource(spec)
      const out: CalendarDay[] = []
      // A holiday of the year before may last into this one.
      for (const span of [...spansOf(spec, year - 1).filter(s => yearOf(s.last) >= year), ...spansOf(spec, year)]) {
        for (const date of datesBetween(span.first, span.last)) {
          if (yearOf(date) !== year) continue
          out.push({ date, label: span.en, source, names: { en: span.en, ...(span.zh ? { zh: span.zh } : {}) } })
        }
      }
      out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
      return remember(days, key, out)
    },

    specIssue({ country, region }) {
      const countries = catalog.getCountries('en')
      if (!countries[country]) return { field: 'country', issue: issue('calendar.holidays.country', { value: country }) }
      if (region === undefined) return undefined
      const regions = catalog.getStates(country)
      if (!regions || Object.keys(regions).length === 0) return { field: 'region', issue: issue('calendar.holidays.noRegions', { country }) }
      if (!regions[region]) {
        const known = Object.keys(regions)
        return { field: 'region', issue: issue('calendar.holidays.region', { value: region, country, known: `${known.slice(0, 12).join(', ')}${known.length > 12 ? ', ...' : ''}` }) }
      }
      return undefined
    },

    countries(lang = 'en') {
      return Object.entries(catalog.getCountries(lang)).map(([code, name]) => ({
        code,
        name,
        regions: Object.entries(catalog.getStates(code, lang) ?? {}).map(([r, n]) => ({ code: r, name: n })),
      }))
    },
  }
}

let loaded: Promise<HolidaySource> | undefined

/** The process's holiday source; `date-holidays` (its data is large) loads on first use, never at a cold start. */
export function loadHolidaySource(): Promise<HolidaySource> {
  loaded ??= import('date-holidays').then(m => createHolidaySource(m.default))
  loaded.catch(() => {
    loaded = undefined
  })
  return loaded
}
