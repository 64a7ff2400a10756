// An instant the API takes as the end of something (a rule's pause, an instance's override): ISO 8601 with its offset,
// answered in UTC, and later than now. The clock is a parameter, so a test can fix the instant it judges by.
import { z } from 'zod'
import { isLocalDate } from '../dates'
import { issue, zodIssue } from './issue'
import type { IssueCode } from './issue'

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

/**
 * An instant later than `now()`, answered as UTC ISO 8601 (`2026-12-24T18:00:00.000Z`); `codes` name the issues of a
 * value that is not an instant and of one that is not in the future.
 */
export function futureInstantSchema(codes: { iso: IssueCode, past: IssueCode }, now: () => Date = () => new Date()) {
  return z.string({ message: issue(codes.iso).message }).trim().superRefine((value, ctx) => {
    if (!isIsoInstant(value)) ctx.addIssue(zodIssue(issue(codes.iso)))
    else if (Date.parse(value) <= now().getTime()) ctx.addIssue(zodIssue(issue(codes.past, { value })))
  }).transform(value => new Date(value).toISOString())
}
