// An instant the API takes as the end of something (a rule's pause, an instance's override): ISO 8601 with its offset,
// answered in UTC, and later than now. The clock is a parameter, so a test can fix the instant it judges by.
import { z } from 'zod'
import { isIsoInstant } from '../instant'
import { issue, zodIssue } from './issue'
import type { IssueCode } from './issue'

export { formatInstant, isIsoInstant } from '../instant'

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
