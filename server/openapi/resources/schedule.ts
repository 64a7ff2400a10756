// The schedule of many rules over a window, and a rule's next firings before it is saved.
import { ScheduleAnswerSchema, SchedulePreviewAnswerSchema } from '#shared/answers/schedule'
import { scheduleQuerySchema, SchedulePreviewQuerySchema } from '#shared/schemas/schedule'
import { operation } from '../operation'

export const paths = {
  '/api/schedule': {
    get: operation({
      summary: 'Every firing of the rules named in a window of at most 62 days, each skipped one with why',
      access: 'public',
      query: scheduleQuerySchema(new Date()),
      describe: {
        from: 'an ISO 8601 instant with its offset, or a date (its start in UTC); now when left out',
        to: 'excluded; 31 days after from when left out',
        rules: 'rule names, comma-separated; every rule when left out',
      },
      answers: { 200: { schema: ScheduleAnswerSchema, description: 'the firings in time order, and the days of the rules\' calendars' } },
    }),
  },
  '/api/schedule/preview': {
    get: operation({
      summary: 'The next firings of a rule not yet saved, until `count` of them act',
      access: 'public',
      query: SchedulePreviewQuerySchema,
      describe: { calendars: 'calendar names, comma-separated, whose days the rule would skip' },
      answers: { 200: { schema: SchedulePreviewAnswerSchema, description: 'the firings, each skipped one with why' } },
    }),
  },
}
