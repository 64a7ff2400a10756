// What the schedule of many rules answers over a window, and a rule's preview before it is saved.
import { z } from 'zod'
import { InstantText } from './common'
import { CalendarDayAnswer, HolidayNamesAnswer } from './calendar'

const SkipCauseAnswer = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pause'), until: InstantText }),
  z.object({ kind: z.literal('calendar'), date: z.string(), calendar: z.string(), label: z.string(), names: z.array(HolidayNamesAnswer).optional() }),
  z.object({ kind: z.literal('missingCalendar'), calendars: z.array(z.string()) }),
])

const FiringSkippedAnswer = z.object({ reason: z.string(), cause: SkipCauseAnswer })

/** `GET /api/schedule`. */
export const ScheduleAnswerSchema = z.object({
  from: InstantText,
  to: InstantText,
  items: z.array(z.object({ rule: z.string(), at: InstantText, action: z.enum(['start', 'stop']), skipped: FiringSkippedAnswer.optional() })),
  days: z.array(CalendarDayAnswer.extend({ calendar: z.string() })),
  truncated: z.object({ until: InstantText, rules: z.array(z.string()) }).optional(),
})

/** `GET /api/schedule/preview`. */
export const SchedulePreviewAnswerSchema = z.object({
  items: z.array(z.object({ at: InstantText, skipped: FiringSkippedAnswer.optional() })),
})
