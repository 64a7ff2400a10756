// The activity log: runs, newest first, one run's header, and the pages of its outcomes.
import { LogHeadAnswer, LogPageAnswer, LogTargetPageAnswer } from '#shared/answers/log'
import { LogTargetsQuerySchema } from '#shared/schemas/log-targets'
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
      summary: 'One run: its counts by outcome, account, region and type, and the first page of its outcomes',
      access: 'public',
      params: LogParamsSchema,
      answers: { 200: { schema: LogHeadAnswer, description: 'the run' } },
      errors: [404],
    }),
  },
  '/api/logs/{eventId}/targets': {
    get: operation({
      summary: 'A page of one run\'s outcomes, of one outcome, account or resource type when asked',
      access: 'public',
      params: LogParamsSchema,
      query: LogTargetsQuerySchema,
      answers: { 200: { schema: LogTargetPageAnswer, description: 'a page of outcomes' } },
      errors: [400, 404],
    }),
  },
}
