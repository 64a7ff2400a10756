// GET /api/holidays?lang=en|zh: the countries and regions with public-holiday data (date-holidays, offline), for
// picking a calendar's { holidays: { country, region } }.
import { z } from 'zod'

const QuerySchema = z.object({ lang: z.enum(['en', 'zh'], { message: 'lang must be "en" or "zh"' }).default('en') })

export default defineApiHandler(async (event) => {
  const { lang } = parsedOrThrow(await getValidatedQuery(event, q => QuerySchema.safeParse(q)), 'query')
  return { items: (await loadHolidaySource()).countries(lang) }
})
