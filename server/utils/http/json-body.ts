// A request body that is not JSON. h3 answers it "400 Bad Request" with the message "Invalid JSON body", which tells
// the caller neither what is wrong nor where; this answer says both: the parser's own words, with the position, and
// what to send instead.
import { createError, isError, readRawBody } from 'h3'
import type { H3Event } from 'h3'

/** Whether `error` is h3's answer to a body it could not parse as JSON (readBody, readValidatedBody). */
export function isInvalidJsonBody(error: unknown): boolean {
  return isError(error) && error.statusCode === 400 && error.message === 'Invalid JSON body'
}

/** The parser's message for the request's body ("Expected ',' or '}' after property value in JSON at position 12"). */
export async function jsonSyntaxOf(event: H3Event): Promise<string> {
  try {
    JSON.parse((await readRawBody(event)) ?? '')
    return ''
  }
  catch (e) {
    return (e as Error).message.slice(0, 200)
  }
}

/** The 400 for a body that is not JSON; `why` is jsonSyntaxOf's message when the caller has the event. */
export function invalidJsonError(why = '') {
  return createError({
    statusCode: 400,
    statusMessage: `the request body is not valid JSON${why ? ` (${why})` : ''}: send one JSON object, with the header Content-Type: application/json`,
    data: { error: 'InvalidJson' },
  })
}
