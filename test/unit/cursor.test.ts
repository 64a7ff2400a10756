import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor } from '../../server/utils/cursor'
import { InvalidCursor } from '../../server/utils/errors'

const KEYS = ['eventId', 'ruleName', 'sortKey'] as const

describe('cursors', () => {
  it('round-trips a LastEvaluatedKey', () => {
    const key = { eventId: 'e-1', ruleName: 'web', sortKey: '2026-11-25T10:00:00.000Z#e-1' }
    const cursor = encodeCursor(key)!
    expect(cursor).toMatch(/^[\w-]+$/)
    expect(decodeCursor(cursor, KEYS, { ruleName: 'web' })).toEqual(key)
  })

  it('answers null at the end and undefined for no cursor', () => {
    expect(encodeCursor(undefined)).toBeNull()
    expect(decodeCursor(undefined, KEYS)).toBeUndefined()
  })

  it.each([
    ['garbage', '%%%'],
    ['base64 of text', Buffer.from('not json').toString('base64url')],
    ['a JSON array', Buffer.from('[1]').toString('base64url')],
    ['a missing key', encodeCursor({ eventId: 'e', ruleName: 'web' })!],
    ['an extra key', encodeCursor({ eventId: 'e', ruleName: 'web', sortKey: 's', admin: 'yes' })!],
    ['a number where a string belongs', encodeCursor({ eventId: 1, ruleName: 'web', sortKey: 's' })!],
    ['another rule\'s cursor', encodeCursor({ eventId: 'e', ruleName: 'other', sortKey: 's' })!],
  ])('refuses %s', (_what, cursor) => {
    expect(() => decodeCursor(cursor, KEYS, { ruleName: 'web' })).toThrow(InvalidCursor)
  })
})
