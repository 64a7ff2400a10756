// Domain errors: small named classes thrown by the utils; routes map them to HTTP statuses (server/utils/http/handler.ts).
import type { FieldIssue } from '#shared/schemas/issue'

export class RuleNotFound extends Error {
  override name = 'RuleNotFound'
  constructor(readonly ruleName: string) {
    super(`rule '${ruleName}' does not exist`)
  }
}

export class RuleExists extends Error {
  override name = 'RuleExists'
  constructor(readonly ruleName: string) {
    super(`a rule named '${ruleName}' already exists: pick another name, or edit that rule`)
  }
}

/** An update that names another rule: a rule's name is its key and its schedule's, so a rename is a new rule. */
export class RenameRefused extends Error {
  override name = 'RenameRefused'
  /** The field issue the UI shows next to the name. */
  readonly issues = [{ path: 'name', message: 'renaming is not supported' }]
  constructor(readonly ruleName: string, readonly newName: string) {
    super(`Invalid rule: name: renaming is not supported ('${ruleName}' cannot become '${newName}'): create a new rule and delete this one`)
  }
}

export class VersionConflict extends Error {
  override name = 'VersionConflict'
  constructor(readonly ruleName: string, readonly expected: number, readonly current: number, what: 'rule' | 'calendar' | 'channel' = 'rule') {
    super(`${what} '${ruleName}' was changed by someone else (you sent version ${expected}, it is now ${current}): reload it and apply your change again`)
  }
}

/** Input that is well formed but wrong, found past the schema (an unknown calendar, a country without holiday data): a 400. */
export class InvalidInput extends Error {
  override name = 'InvalidInput'
  constructor(what: string, readonly issues: FieldIssue[]) {
    super(`Invalid ${what}: ${issues.map(i => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`.slice(0, 1000))
  }
}

export class CalendarNotFound extends Error {
  override name = 'CalendarNotFound'
  constructor(readonly calendarName: string) {
    super(`calendar '${calendarName}' does not exist`)
  }
}

export class CalendarExists extends Error {
  override name = 'CalendarExists'
  constructor(readonly calendarName: string) {
    super(`a calendar named '${calendarName}' already exists: pick another name, or edit that calendar`)
  }
}

/** A calendar that rules skip by cannot be deleted: `rules` names them. */
export class CalendarInUse extends Error {
  override name = 'CalendarInUse'
  constructor(readonly calendarName: string, readonly rules: string[]) {
    const shown = rules.slice(0, 20).map(r => `'${r}'`).join(', ')
    super(`calendar '${calendarName}' is used by ${rules.length === 1 ? 'rule' : `${rules.length} rules`} ${shown}${rules.length > 20 ? ', ...' : ''}: remove it from their skipCalendars first`)
  }
}

export class OverrideNotFound extends Error {
  override name = 'OverrideNotFound'
  constructor(readonly overrideId: string) {
    super(`override '${overrideId}' does not exist (it may have ended)`)
  }
}

export class LogNotFound extends Error {
  override name = 'LogNotFound'
  constructor(readonly eventId: string) {
    super(`run log '${eventId}' does not exist (it may have expired)`)
  }
}

/** Another delivery of the same execution holds its claim and has not logged it yet. */
export class RunInProgress extends Error {
  override name = 'RunInProgress'
  constructor(readonly eventId: string) {
    super(`run '${eventId}' is being run by another delivery of the same execution; nothing was done twice (a later retry answers its log)`)
  }
}

export class LogExists extends Error {
  override name = 'LogExists'
  constructor(readonly eventId: string) {
    super(`run '${eventId}' is already logged`)
  }
}

export class InvalidCursor extends Error {
  override name = 'InvalidCursor'
  constructor() {
    super('cursor is not valid: pass back the cursor a list answered, unchanged, or leave it out to start at the first page')
  }
}

export class Unauthorized extends Error {
  override name = 'Unauthorized'
  constructor(message = 'a valid API key is required in the x-api-key header to change anything') {
    super(message)
  }
}

/** The schedule service refused or failed a call: the API answers 502 with this message. */
export class ScheduleBackendError extends Error {
  override name = 'ScheduleBackendError'
  constructor(message: string, override readonly cause?: unknown) {
    super(message)
  }
}

/**
 * The store, one of its tables, or EventBridge Scheduler cannot be reached or used right now (a missing table, an
 * endpoint that does not answer, no credentials, the service failing): the API answers 503 with this message, which
 * names what failed and what to do. Nothing is cached about it, so the first request after it is fixed works.
 */
export class ServiceUnavailable extends Error {
  override name = 'ServiceUnavailable'
  constructor(message: string, readonly service: string, override readonly cause?: unknown) {
    super(message)
  }
}

export class ChannelNotFound extends Error {
  override name = 'ChannelNotFound'
  constructor(readonly channelName: string) {
    super(`channel '${channelName}' does not exist`)
  }
}

export class ChannelExists extends Error {
  override name = 'ChannelExists'
  constructor(readonly channelName: string) {
    super(`a channel named '${channelName}' already exists: pick another name, or edit that channel`)
  }
}
