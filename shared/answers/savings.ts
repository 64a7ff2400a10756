// What GET /api/savings answers (the interface SavingsAnswer in shared/schemas/savings.ts is the UI's type of it).
import { z } from 'zod'
import { SAVINGS_GROUPS } from '../schemas/savings'
import { InstantText } from './common'

export const SavingsAnswerSchema = z.object({
  from: InstantText,
  to: InstantText,
  groupBy: z.enum(SAVINGS_GROUPS),
  hours: z.number().describe('instance-hours avoided, each instance counted once'),
  openHours: z.number().describe('of the hours, those of instances still off, counted up to now'),
  cost: z.object({
    amount: z.number(),
    currency: z.string(),
    estimated: z.literal(true),
    source: z.enum(['csv', 'aws']),
    priced: z.number().describe('hours that had a price'),
    unpriced: z.number().describe('hours whose type and region had none'),
  }).optional().describe('only with prices: an estimate from on-demand Linux prices, leaving EBS, Elastic IPs and discounts out'),
  items: z.array(z.object({ key: z.string(), hours: z.number(), amount: z.number().optional() })),
})
