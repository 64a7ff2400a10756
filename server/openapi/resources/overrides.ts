// Per-instance overrides: leave one instance alone until an instant, whatever its rules say.
import { EndedOverrideAnswer, OverrideAnswer, OverridePageAnswer } from '#shared/answers/override'
import { PageQuerySchema } from '#shared/schemas/list'
import { OverrideInputSchema, OverrideParamsSchema } from '#shared/schemas/override'
import { operation } from '../operation'

export const paths = {
  '/api/overrides': {
    get: operation({
      summary: 'The overrides still active, soonest end first',
      access: 'public',
      query: PageQuerySchema,
      answers: { 200: { schema: OverridePageAnswer, description: 'a page of overrides' } },
    }),
    post: operation({
      summary: 'Leave one instance alone until `until` (later than now); it ends by itself',
      access: 'admin',
      body: OverrideInputSchema,
      answers: { 201: { schema: OverrideAnswer, description: 'the override, with the key that made it' } },
    }),
  },
  '/api/overrides/{id}': {
    delete: operation({
      summary: 'End an override now; a revert that waited for its end runs at once',
      access: 'admin',
      params: OverrideParamsSchema,
      answers: { 200: { schema: EndedOverrideAnswer, description: 'the override ended, with revertAt when a revert now runs' } },
      errors: [404],
    }),
  },
}
