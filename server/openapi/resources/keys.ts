// API keys (admin) and who a key is.
import { ApiKeyAnswer, ApiKeyPageAnswer, CreatedKeyAnswer, WhoAmIAnswer } from '#shared/answers/key'
import { KeyInputSchema } from '#shared/schemas/key'
import { PageQuerySchema } from '#shared/schemas/list'
import { KeyParamsSchema } from '#shared/schemas/params'
import { operation } from '../operation'

export const paths = {
  '/api/keys': {
    get: operation({
      summary: 'The API keys, newest first, without their secrets',
      access: 'admin',
      query: PageQuerySchema,
      answers: { 200: { schema: ApiKeyPageAnswer, description: 'a page of keys' } },
    }),
    post: operation({
      summary: 'Create an API key: the key is answered this once, only its hash is stored',
      access: 'admin',
      body: KeyInputSchema,
      answers: { 201: { schema: CreatedKeyAnswer, description: 'the key record, and the key' } },
      errors: [409],
    }),
  },
  '/api/keys/{id}': {
    get: operation({
      summary: 'One API key, without its secret',
      access: 'admin',
      params: KeyParamsSchema,
      answers: { 200: { schema: ApiKeyAnswer, description: 'the key' } },
      errors: [404],
    }),
    delete: operation({
      summary: 'Revoke an API key, from the next request on (the record stays, for the audit trail)',
      access: 'admin',
      params: KeyParamsSchema,
      answers: { 200: { schema: ApiKeyAnswer, description: 'the key, with revokedAt' } },
      errors: [404],
    }),
  },
  '/api/auth/whoami': {
    get: operation({
      summary: 'The id, name and scope of the key in x-api-key',
      access: 'key',
      answers: { 200: { schema: WhoAmIAnswer, description: 'who the key is' } },
    }),
  },
}
