// Calendars: the list (GET /api/calendars), one calendar with the rules that use it, its days, the holiday regions to
// pick from, and every change (admin key). Each answers the server's view.
import type { Calendar, CalendarDay, CalendarEntryInput, CalendarSummary } from '#shared/schemas/calendar'
// GET /api/calendars/:name (the calendar, and the rules that skip its days) and GET /api/holidays (the countries with
// holiday data, and their regions), as their answers' schemas say (shared/answers/calendar.ts).
import type { CalendarDetail, HolidayCountry } from '#shared/answers/calendar'

export type { CalendarDetail, HolidayCountry }

export interface CalendarBody {
  name: string
  description?: string
  entries: CalendarEntryInput[]
}

const calendarPath = (name: string) => `/api/calendars/${encodeURIComponent(name)}`

export function useCalendars() {
  return usePagedList<CalendarSummary>('/api/calendars', () => ({ limit: 50 }))
}

/** Every calendar's name, for the rule dialog's choice (first 100). */
export function useCalendarNames() {
  const api = useApi()
  const names = ref<string[]>([])
  const loading = ref(false)
  async function load() {
    loading.value = true
    try {
      names.value = (await api<{ items: CalendarSummary[] }>('/api/calendars', { query: { limit: 100 } })).items.map(c => c.name)
    }
    catch {
      // The choice then offers what the rule already names.
    }
    finally {
      loading.value = false
    }
  }
  return { names, loading, load }
}

export function useCalendarActions() {
  const api = useApi()
  return {
    get: (name: string) => api<CalendarDetail>(calendarPath(name)),
    days: (name: string, from: string, to: string) => api<{ items: CalendarDay[] }>(`${calendarPath(name)}/days`, { query: { from, to } }).then(r => r.items),
    create: (body: CalendarBody) => api<Calendar>('/api/calendars', { method: 'POST', body }),
    update: (name: string, body: CalendarBody, version: number) => api<Calendar>(calendarPath(name), { method: 'PUT', body: { ...body, version } }),
    remove: (calendar: Pick<Calendar, 'name' | 'version'>) => api<Calendar>(calendarPath(calendar.name), { method: 'DELETE', query: { version: calendar.version } }),
  }
}

/** The countries and regions with holiday data, named in the UI's language; loaded once per language. */
export function useHolidayCountries() {
  const api = useApi()
  const { locale } = useI18n()
  const countries = useState<Record<string, HolidayCountry[]>>('holiday-countries', () => ({}))
  const lang = computed(() => (locale.value === 'zh-CN' ? 'zh' : 'en'))
  const loading = ref(false)
  const error = ref('')
  async function load() {
    if (countries.value[lang.value]) return
    loading.value = true
    error.value = ''
    try {
      const { items } = await api<{ items: HolidayCountry[] }>('/api/holidays', { query: { lang: lang.value } })
      // The holiday data names some countries in their own language only: the browser knows every country's name in ours.
      const names = typeof Intl.DisplayNames === 'function' ? new Intl.DisplayNames([locale.value], { type: 'region' }) : null
      const named = items.map((c) => {
        let name = c.name
        try {
          name = names?.of(c.code) ?? c.name
        }
        catch {
          // A code the browser does not know keeps the data's name.
        }
        return { ...c, name }
      })
      countries.value = { ...countries.value, [lang.value]: named.sort((a, b) => a.name.localeCompare(b.name, locale.value)) }
    }
    catch (e) {
      error.value = apiErrorMessage(e)
    }
    finally {
      loading.value = false
    }
  }
  watch(lang, load)
  return { countries: computed(() => countries.value[lang.value] ?? []), loading, error, load }
}

/** A calendar day's name in the UI's language: a holiday's Chinese name where the data has one. */
export function useDayLabel() {
  const { locale } = useI18n()
  return (day: Pick<CalendarDay, 'label' | 'names'>) => (locale.value === 'zh-CN' && day.names?.zh) || day.label
}

/** An entry of a calendar in words, in the UI's language; `countries` name the holiday regions. */
export function useEntryText(countries: Ref<HolidayCountry[]>) {
  const { t, locale } = useI18n()
  const regionName = (country: string, region?: string) => {
    const c = countries.value.find(x => x.code === country)
    const name = c?.name ?? country
    if (!region) return name
    return `${name}, ${c?.regions.find(r => r.code === region)?.name ?? region}`
  }
  return (entry: CalendarEntryInput | CalendarSummary['entries'][number]): string => {
    const label = 'label' in entry && entry.label ? ` · ${entry.label}` : ''
    if ('date' in entry) return `${entry.date}${label}`
    if ('from' in entry) return `${t('calendars.entry.range', { from: entry.from, to: entry.to })}${label}`
    if ('annual' in entry) return `${t('calendars.entry.annual', { day: entry.annual })}${label}`
    if ('holidays' in entry) {
      const types = (entry.holidays.types ?? ['public']).map(type => t(`calendars.type.${type}`)).join(', ')
      return t('calendars.entry.holidays', { region: regionName(entry.holidays.country, entry.holidays.region), types })
    }
    if (typeof entry.ics === 'string') return t('calendars.entry.icsNew', { file: 'file' in entry && entry.file ? entry.file : '.ics' })
    const count = 'dayCount' in entry.ics ? entry.ics.dayCount : entry.ics.days.length
    return t('calendars.entry.ics', { file: entry.ics.file, count, at: new Intl.DateTimeFormat(locale.value, { dateStyle: 'medium' }).format(new Date(entry.ics.importedAt)) }, count)
  }
}
