// The rules list's query (`?cursor&limit&q`), read without zod when it is plainly valid, as nearly every request's is:
// the rules list is a Lambda cold start's first route, and zod's first use cost it milliseconds (issue 12). Anything
// else goes to RulesQuerySchema, loaded then, so a wrong query answers exactly the 400 it always did.
// test/unit/list-query.test.ts holds the two to the same answers.
import type { H3Event } from 'h3'
import { getQuery } from 'h3'
import { parsedOrThrow } from '../http/handler'

export interface RulesQuery {
  limit: number
  cursor?: string
  q?: string
}

const DEFAULT_LIMIT = 50

/** The query as RulesQuerySchema answers it, when every parameter is plainly valid; undefined to let the schema judge. */
export function plainRulesQuery(query: Record<string, unknown>): RulesQuery | undefined {
  const { limit, cursor, q } = query
  if (limit !== undefined && (typeof limit !== 'string' || !/^[1-9]\d{0,2}$/.test(limit) || Number(limit) > 100)) return undefined
  if (cursor !== undefined && (typeof cursor !== 'string' || cursor.length < 1 || cursor.length > 2048)) return undefined
  if (q !== undefined && (typeof q !== 'string' || q.trim().length > 100)) return undefined
  return {
    limit: limit === undefined ? DEFAULT_LIMIT : Number(limit),
    ...(cursor !== undefined ? { cursor } : {}),
    ...(q !== undefined ? { q: q.trim() } : {}),
  }
}

/** The request's query, validated as RulesQuerySchema validates it; a 400 with field issues when it is wrong. */
export async function readRulesQuery(event: H3Event): Promise<RulesQuery> {
  const query = getQuery(event)
  const plain = plainRulesQuery(query)
  if (plain) return plain
  const { RulesQuerySchema } = await import('#shared/schemas/list')
  return parsedOrThrow(RulesQuerySchema.safeParse(query), 'query')
}
