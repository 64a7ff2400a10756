// h3's answer to a body that is not JSON, recognised and rewritten: a test that fails when an h3 update changes it.
import { createError } from 'h3'
import { describe, expect, it } from 'vitest'
import { invalidJsonError, isInvalidJsonBody } from '../../server/utils/http/json-body'
import { toHttpError } from '../../server/utils/http/handler'

describe('a body that is not JSON', () => {
  const h3s = createError({ statusCode: 400, statusMessage: 'Bad Request', message: 'Invalid JSON body' })

  it('is recognised as h3 reports it, and nothing else is', () => {
    expect(isInvalidJsonBody(h3s)).toBe(true)
    expect(isInvalidJsonBody(createError({ statusCode: 400, statusMessage: 'Invalid rule: name: required' }))).toBe(false)
    expect(isInvalidJsonBody(new Error('Invalid JSON body'))).toBe(false)
  })

  it('answers what is wrong, where, and what to send', () => {
    const error = invalidJsonError('Expected \',\' or \'}\' after property value in JSON at position 12')
    expect(error.statusCode).toBe(400)
    expect(error.statusMessage).toBe('the request body is not valid JSON (Expected \',\' or \'}\' after property value in JSON at position 12): send one JSON object, with the header Content-Type: application/json')
    expect((toHttpError(h3s) as { statusMessage: string }).statusMessage).toMatch(/^the request body is not valid JSON: send one JSON object/)
  })
})
