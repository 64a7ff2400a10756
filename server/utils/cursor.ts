// Opaque pagination cursors: a DynamoDB LastEvaluatedKey as base64url JSON, checked against the
// exact key attributes of the index it came from, so a tampered cursor is a 400 and never reaches DynamoDB.
import { z } from 'zod'
import { InvalidCursor } from './errors'

type Key = Record<string, unknown>

/** Encodes a LastEvaluatedKey; null when there is no next page. */
export function encodeCursor(key: Key | undefined): string | null {
  if (!key) return null
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url')
}

/**
 * Decodes a cursor whose key must have exactly `attributes` (all strings), and the values in `fixed`
 * (a cursor of one rule's logs is no good for another's); throws InvalidCursor otherwise.
 */
export function decodeCursor(cursor: string | undefined, attributes: readonly string[], fixed: Record<string, string> = {}): Key | undefined {
  if (cursor === undefined) return undefined
  const shape = z.strictObject(Object.fromEntries(attributes.map(a => [a, fixed[a] === undefined ? z.string().min(1).max(1024) : z.literal(fixed[a])])))
  let json: unknown
  try {
    if (!/^[\w-]+$/.test(cursor)) throw new InvalidCursor()
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  }
  catch {
    throw new InvalidCursor()
  }
  const parsed = shape.safeParse(json)
  if (!parsed.success) throw new InvalidCursor()
  return parsed.data
}
