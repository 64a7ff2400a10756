// GET /api/holidays?lang=en|zh: the countries and regions with public-holiday data (date-holidays, offline), for
// picking a calendar's { holidays: { country, region } }.
import { HolidaysQuerySchema } from '#shared/schemas/params'

export default defineApiHandler(async (event) => {
  const { lang } = parsedOrThrow(await getValidatedQuery(event, q => HolidaysQuerySchema.safeParse(q)), 'query')
  return { items: (await loadHolidaySource()).countries(lang) }
})
