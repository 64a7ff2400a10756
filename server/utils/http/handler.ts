// HTTP glue for the routes: domain errors to statuses, zod issues to readable 400s.
import { createError, defineEventHandler, isError } from 'h3'
import type { EventHandler, EventHandlerRequest, H3Event } from 'h3'
import type { z } from 'zod'
import { fieldIssuesOf, issueOfMessage } from '#shared/schemas/issue'
import type { FieldIssue } from '#shared/schemas/issue'
import { unavailableOf } from '../aws/unavailable'
import {
  CalendarExists, CalendarInUse, ChannelExists, ChannelNotFound, CalendarNotFound, InvalidCursor, InvalidInput, LogNotFound, OverrideNotFound, RenameRefused, RuleExists, RuleNotFound, RunInProgress,
  ScheduleBackendError, Unauthorized, VersionConflict,
} from '../errors'
import { Forbidden, KeyExists, KeyNotFound, QuotaExceeded, RateLimited } from '../keys/errors'
import { OrganizationRoleMissing, OrganizationUnavailable } from '../organizations/errors'
import { invalidJsonError, isInvalidJsonBody, jsonSyntaxOf } from './json-body'

/**
 * Flattens zod issues to `[{ path, code, params, message }]`, the shape the UI puts next to each field: the code and
 * params for the UI to say in the user's language, the English message for API clients (see shared/schemas/issue.ts).
 */
export function fieldIssues(error: z.ZodError): FieldIssue[] {
  return fieldIssuesOf(error)
}

/** A 400 whose statusMessage names every wrong field, with the issues in `data.issues`. */
export function validationError(error: z.ZodError, what = 'input') {
  const issues = fieldIssues(error)
  // Messages that already start with their field name are not prefixed twice.
  const summary = issues.map(i => (i.path && !i.message.startsWith(i.path) ? `${i.path}: ${i.message}` : i.message)).join('; ')
  return createError({ statusCode: 400, statusMessage: `Invalid ${what}: ${summary}`.slice(0, 1000), data: { issues } })
}

/** Answers the parsed value, or throws a readable 400 (use with readValidatedBody, getValidatedQuery ...). */
export function parsedOrThrow<T>(result: z.ZodSafeParseResult<T>, what?: string): T {
  if (!result.success) throw validationError(result.error, what)
  return result.data
}

const STATUS_OF: [new (...args: never[]) => Error, number][] = [
  [Unauthorized, 401],
  [RuleNotFound, 404],
  [LogNotFound, 404],
  [RuleExists, 409],
  [VersionConflict, 409],
  [InvalidCursor, 400],
  [RenameRefused, 400],
  [ScheduleBackendError, 502],
  [Forbidden, 403],
  [KeyNotFound, 404],
  [KeyExists, 409],
  [RateLimited, 429],
  [QuotaExceeded, 429],
  [RunInProgress, 409],
  [InvalidInput, 400],
  [CalendarNotFound, 404],
  [CalendarExists, 409],
  [CalendarInUse, 409],
  [OverrideNotFound, 404],
  [ChannelNotFound, 404],
  [ChannelExists, 409],
  [OrganizationRoleMissing, 409],
  [OrganizationUnavailable, 503],
]

// A domain error's field issues carry their code, or English messages only: then their codes are found from the catalog's messages.
function withCode(issue: { path: string, message: string, code?: string }): FieldIssue {
  if (issue.code) return issue as FieldIssue
  return { path: issue.path, ...issueOfMessage(issue.message) }
}

/**
 * A 503 naming the store, table or Scheduler that cannot be used (server/utils/aws/unavailable.ts). A schedule change
 * keeps its own message, which also says what happened to the rule. Logged once here: the answer is all the caller
 * sees, and in Lambda the log is all the operator sees.
 */
function unavailableError(error: unknown) {
  const unavailable = unavailableOf(error)
  if (!unavailable) return undefined
  const statusMessage = error instanceof ScheduleBackendError ? `${error.message} (${unavailable.message})` : unavailable.message
  console.error(`[ouroboros] 503: ${statusMessage}`)
  return createError({ statusCode: 503, statusMessage: statusMessage.slice(0, 1000), data: { error: 'ServiceUnavailable', service: unavailable.service } })
}

/** Maps a domain error to an h3 error with its status; anything else passes through unchanged. */
export function toHttpError(error: unknown): unknown {
  if (isInvalidJsonBody(error)) return invalidJsonError()
  if (isError(error)) return error
  const unavailable = unavailableError(error)
  if (unavailable) return unavailable
  for (const [type, statusCode] of STATUS_OF) {
    if (error instanceof type) {
      const issues = (error as { issues?: { path: string, message: string }[] }).issues?.map(withCode)
      const rules = error instanceof CalendarInUse ? { rules: error.rules } : {}
      return createError({ statusCode, statusMessage: error.message, data: { error: error.name, ...rules, ...(issues ? { issues } : {}) } })
    }
  }
  return error
}

/** defineEventHandler that turns domain errors into their HTTP statuses. */
export function defineApiHandler<T>(handler: (event: H3Event<EventHandlerRequest>) => Promise<T> | T): EventHandler<EventHandlerRequest, Promise<T>> {
  return defineEventHandler(async (event) => {
    try {
      return await handler(event)
    }
    catch (error) {
      if (isInvalidJsonBody(error)) throw invalidJsonError(await jsonSyntaxOf(event))
      throw toHttpError(error)
    }
  })
}
