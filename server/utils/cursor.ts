// Opaque pagination cursors: a DynamoDB LastEvaluatedKey as base64url JSON, checked against the
// exact key attributes of the index it came from, so a tampered cursor is a 400 and never reaches DynamoDB.
// Checked by hand, not with zod: the rules list, a Lambda cold start's first route, loads this (issue 12).
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
  let json: unknown
  try {
    if (!/^[\w-]+$/.test(cursor)) throw new InvalidCursor()
    json = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
  }
  catch {
    throw new InvalidCursor()
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new InvalidCursor()
  const key = json as Key
  // Exactly these attributes, each a string of 1-1024 characters or the fixed value.
  const keys = Object.keys(key)
  if (keys.length !== attributes.length || !attributes.every((a) => {
    const v = key[a]
    return fixed[a] === undefined ? typeof v === 'string' && v.length >= 1 && v.length <= 1024 : v === fixed[a]
  })) throw new InvalidCursor()
  return key
}
