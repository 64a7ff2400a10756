import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { InvalidCursor, RuleExists, RuleNotFound, Unauthorized, VersionConflict } from '../../server/utils/errors'
import { toHttpError, validationError } from '../../server/utils/http/handler'

describe('toHttpError', () => {
  it.each([
    [new Unauthorized(), 401],
    [new RuleNotFound('web'), 404],
    [new RuleExists('web'), 409],
    [new VersionConflict('web', 1, 2), 409],
    [new InvalidCursor(), 400],
  ])('maps %s to its status with its message', (error, status) => {
    const mapped = toHttpError(error) as { statusCode: number, statusMessage: string }
    expect(mapped.statusCode).toBe(status)
    expect(mapped.statusMessage).toBe(error.message)
  })

  it('passes unknown errors through, so they stay 500s', () => {
    const boom = new Error('boom')
    expect(toHttpError(boom)).toBe(boom)
  })
})

describe('validationError', () => {
  it('lists each field with its message, for the UI and for a person', () => {
    const schema = z.object({ accountId: z.string().regex(/^\d{12}$/, 'accountId must be exactly 12 digits'), limit: z.number().max(100, 'too big') })
    const result = schema.safeParse({ accountId: '1', limit: 500 })
    const error = validationError(result.error!, 'rule')
    expect(error.statusCode).toBe(400)
    expect(error.statusMessage).toBe('Invalid rule: accountId must be exactly 12 digits; limit: too big')
    expect(error.data).toEqual({ issues: [
      { path: 'accountId', code: 'invalid', params: {}, message: 'accountId must be exactly 12 digits' },
      { path: 'limit', code: 'invalid', params: {}, message: 'too big' },
    ] })
  })
})
