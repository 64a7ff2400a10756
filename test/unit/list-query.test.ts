// The rules list reads its query without zod when it is plainly valid (issue 12): whatever that fast path answers
// is what RulesQuerySchema answers, and everything else goes to the schema, so the 400s stay the same.
import { describe, expect, it } from 'vitest'
import { RulesQuerySchema } from '../../shared/schemas/list'
import { plainRulesQuery } from '../../server/utils/rules/list-query'
import { decodeCursor, encodeCursor } from '../../server/utils/cursor'
import { InvalidCursor } from '../../server/utils/errors'

const QUERIES: Record<string, unknown>[] = [
  {}, { limit: '1' }, { limit: '50' }, { limit: '100' }, { limit: '101' }, { limit: '0' }, { limit: '007' }, { limit: '-1' },
  { limit: '1.5' }, { limit: '0.5' }, { limit: 'ten' }, { limit: '' }, { limit: ' 5 ' }, { limit: '1e1' }, { limit: 'Infinity' },
  { limit: ['1', '2'] }, { cursor: 'abc' }, { cursor: '' }, { cursor: 'x'.repeat(2048) }, { cursor: 'x'.repeat(2049) },
  { cursor: ['a', 'b'] }, { q: 'web' }, { q: '  web  ' }, { q: '' }, { q: ' '.repeat(150) }, { q: 'x'.repeat(100) },
  { q: 'x'.repeat(101) }, { q: ['a', 'b'] }, { q: '网页 夜间' }, { limit: '20', cursor: 'abc', q: 'db', other: 'ignored' },
]

describe('the rules list\'s query', () => {
  it.each(QUERIES)('answers %j as RulesQuerySchema does, or leaves it to the schema', (query) => {
    const plain = plainRulesQuery(query)
    const schema = RulesQuerySchema.safeParse(query)
    if (plain) expect(plain).toEqual(schema.data)
    // What the fast path leaves to the schema, the schema judges: a 400 with its issues, or its own reading.
    else expect(schema.success ? schema.data : schema.error.issues.length).toBeTruthy()
  })

  it('takes the fast path for the queries the pages send', () => {
    for (const query of [{}, { limit: '20' }, { limit: '100', cursor: 'eyJhIjoiYiJ9' }, { q: 'web' }]) expect(plainRulesQuery(query)).toBeDefined()
  })
})

describe('a cursor', () => {
  const attributes = ['kind', 'name']

  it('decodes what it encoded, with exactly its attributes and its fixed values', () => {
    const key = { kind: 'rule', name: 'web-stop' }
    expect(decodeCursor(encodeCursor(key)!, attributes, { kind: 'rule' })).toEqual(key)
  })

  it.each([
    ['an extra attribute', { kind: 'rule', name: 'a', x: 'y' }],
    ['a missing one', { kind: 'rule' }],
    ['a number', { kind: 'rule', name: 5 }],
    ['an empty string', { kind: 'rule', name: '' }],
    ['a string over 1024 characters', { kind: 'rule', name: 'n'.repeat(1025) }],
    ['another fixed value', { kind: 'calendar', name: 'a' }],
    ['an array', ['rule', 'a']],
    ['null', null],
  ])('refuses %s', (_what, key) => {
    expect(() => decodeCursor(Buffer.from(JSON.stringify(key)).toString('base64url'), attributes, { kind: 'rule' })).toThrow(InvalidCursor)
  })
})
