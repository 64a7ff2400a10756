// What the keys and auth routes answer: a key without its secret, the one answer that carries the secret, and who a
// key is.
import { z } from 'zod'
import { InstantText, pageOf } from './common'

/** A stored key as the API answers it: never the secret nor its hash. */
export const ApiKeyAnswer = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(['read', 'admin']),
  rateLimit: z.number().describe('requests per second'),
  burst: z.number().int(),
  quota: z.object({ limit: z.number().int(), period: z.enum(['day', 'month']) }).nullable(),
  createdAt: InstantText,
  createdBy: z.string().optional(),
  lastUsedAt: InstantText.optional(),
  revokedAt: InstantText.optional(),
})

export const ApiKeyPageAnswer = pageOf(ApiKeyAnswer)

/** `POST /api/keys`: the record and, this one time, the key itself. */
export const CreatedKeyAnswer = ApiKeyAnswer.extend({ key: z.string().describe('the key: shown once, only its hash is stored') })

/** `GET /api/auth/whoami`. */
export const WhoAmIAnswer = z.object({ id: z.string(), name: z.string(), scope: z.enum(['read', 'admin']) })

export type WhoAmI = z.output<typeof WhoAmIAnswer>
