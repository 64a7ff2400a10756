// Reading and writing instants, apart from their zod schema (schemas/instant.ts): a rule's pause is judged on the
// rules list, a Lambda cold start's first route, which loads no zod (issue 12).
import { isLocalDate } from './dates'

const ISO_INSTANT = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/i

/** True for an ISO 8601 instant with its offset (`Z` or `+01:00`), on a day that exists. */
export function isIsoInstant(value: string): boolean {
  const m = ISO_INSTANT.exec(value)
  return Boolean(m) && isLocalDate(m![1]!) && !Number.isNaN(Date.parse(value))
}

/** `2026-12-24T18:00Z`: an instant in UTC to the minute, with its seconds only when it has some. */
export function formatInstant(instant: string | Date): string {
  const iso = new Date(instant).toISOString()
  const seconds = iso.slice(16, 19)
  return `${iso.slice(0, 16)}${seconds === ':00' ? '' : seconds}Z`
}
