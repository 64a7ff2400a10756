// The activity log: runs, newest first, and one run in full.
import { LogEntryAnswer, LogPageAnswer } from '#shared/answers/log'
import { LogParamsSchema } from '#shared/schemas/params'
import { ByRulePageQuerySchema } from '#shared/schemas/rule'
import { operation } from '../operation'

export const paths = {
  '/api/logs': {
    get: operation({
      summary: 'Runs, newest first, of one rule or of all (without each instance\'s outcome)',
      access: 'public',
      query: ByRulePageQuerySchema,
      answers: { 200: { schema: LogPageAnswer, description: 'a page of runs' } },
    }),
  },
  '/api/logs/{eventId}': {
    get: operation({
      summary: 'One run with every instance\'s outcome',
      access: 'public',
      params: LogParamsSchema,
      answers: { 200: { schema: LogEntryAnswer, description: 'the run' } },
      errors: [404],
    }),
  },
}
