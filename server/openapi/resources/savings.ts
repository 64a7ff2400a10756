// Savings: the instance-hours the rules' stops avoided, and their estimate where prices are known.
import { SavingsAnswerSchema } from '#shared/answers/savings'
import { SavingsQuerySchema } from '#shared/schemas/savings'
import { operation } from '../operation'

export const paths = {
  '/api/savings': {
    get: operation({
      summary: 'The instance-hours avoided in a range (UTC days or instants), grouped by rule, account, region, instance type or day, with money where priced',
      access: 'public',
      query: SavingsQuerySchema,
      answers: { 200: { schema: SavingsAnswerSchema, description: 'the savings of the range' } },
    }),
  },
}
