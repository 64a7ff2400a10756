// What is wrong with an input, said three ways: a stable code and its parameters, which the UI translates
// (i18n/locales: `issue.<code>`), and the English message API clients read. The catalog below holds every code
// with its English template; the schemas, the filter parser and the schedule parser take their messages from it.
import type { z } from 'zod'

const EXPRESSION_FORMS = 'use cron(minutes hours day-of-month month day-of-week year), rate(value unit) or at(yyyy-mm-ddThh:mm:ss)'

/** Every issue code, with its English message; `{name}` stands for the parameter `name`. */
export const ISSUE_MESSAGES = {
  // A rule, and the preview of one.
  'rule.name.required': 'name is required: 1-64 characters of letters, digits, . _ or -',
  'rule.name.tooLong': 'name must be at most 64 characters (EventBridge Scheduler\'s limit)',
  'rule.name.chars': 'name may only contain letters, digits, . _ and - (EventBridge Scheduler\'s rule for names)',
  'rule.name.rename': 'renaming is not supported',
  'rule.description.tooLong': 'description must be at most 512 characters',
  'rule.accountId.digits': 'accountId must be exactly 12 digits, e.g. 123456789012',
  'rule.accounts.empty': 'name at least one account (accountIds) or organizational unit (organizationalUnits)',
  'rule.accountIds.tooMany': 'accountIds takes at most 1000 accounts: target an organizational unit for more',
  'rule.excludeAccountIds.tooMany': 'excludeAccountIds takes at most 1000 accounts',
  'rule.excludeAccountIds.overlap': 'account {account} is both targeted and excluded: remove it from one of the lists',
  'rule.organizationalUnits.format': 'an organizational unit id looks like ou-ab12-cd34ef56, or r-ab12 for the root',
  'rule.organizationalUnits.tooMany': 'organizationalUnits takes at most 100 units',
  'rule.organizationalUnits.noRole': 'organizational units need NUXT_ORGANIZATION_ROLE_ARN: the role in the management (or delegated administrator) account that reads AWS Organizations',
  'rule.regions.empty': 'regions needs at least one region, e.g. ["us-east-1"]',
  'rule.regions.unknown': 'not an AWS region code: use one like us-east-1 or eu-west-1 (known: {known}, ...)',
  'rule.action.choice': 'action must be "start" or "stop"',
  'rule.hibernate.stopOnly': 'hibernate only applies to the "stop" action',
  'rule.filters.shape': 'filters must be text like tag:Name=web,vpc-id=vpc-4085e027 or a list of { key, values }',
  'rule.filters.noValue': 'each filter needs at least one value',
  'rule.allInstances.confirm': 'with no filters the rule acts on every instance in the account: set allInstances to true to confirm, or add a filter',
  'rule.allInstances.withFilters': 'allInstances must be false when filters are given',
  'rule.timezone.unknown': 'timezone must be an IANA time zone name, e.g. UTC, Europe/Berlin or America/New_York',
  'rule.version.required': 'version is required: send the version you last read',
  'rule.enabled.boolean': 'enabled must be true or false',
  'rule.resourceTypes.empty': 'resourceTypes needs at least one of ec2, rds, aurora and asg (leave it out for ec2)',
  'rule.resourceTypes.choice': 'each resource type is one of ec2, rds, aurora and asg',
  'rule.hibernate.ec2Only': 'hibernate only applies to EC2 instances: add ec2 to resourceTypes, or turn hibernate off',
  'rule.skipCalendars.tooMany': 'skipCalendars takes at most 10 calendars',
  'rule.skipCalendars.unknown': 'there is no calendar named \'{name}\': create it first (POST /api/calendars), or leave it out',
  'rule.pausedUntil.iso': 'pausedUntil must be an ISO 8601 instant with its offset, e.g. 2026-12-24T18:00:00Z, or null to end the pause',
  'rule.pausedUntil.past': 'pausedUntil ({value}) is in the past: pause until a later instant, or send null to end the pause',
  'rule.patch.empty': 'send enabled, pausedUntil, or both',

  // A calendar (shared/schemas/calendar.ts, server/utils/calendars).
  'calendar.name.required': 'a calendar name is required: 1-64 characters of letters, digits, . _ or -',
  'calendar.name.tooLong': 'a calendar name must be at most 64 characters',
  'calendar.name.chars': 'a calendar name may only contain letters, digits, . _ and -',
  'calendar.name.rename': 'a calendar cannot be renamed: create a new one, move the rules to it, and delete this one',
  'calendar.description.tooLong': 'a calendar description must be at most 512 characters',
  'calendar.version.required': 'version is required: send the version of the calendar you last read',
  'calendar.entries.tooMany': 'a calendar holds at most 500 entries',
  'calendar.entries.tooManyIcs': 'a calendar holds at most 5 imported .ics files',
  'calendar.tooLarge': 'the calendar would take {size} bytes, more than the {max} a calendar may store: split it into several calendars',
  'calendar.entry.kind': 'each entry is one of { date }, { from, to }, { annual }, { holidays } or { ics }',
  'calendar.entry.shape': 'this entry has a field it does not take, or lacks one: {fields}',
  'calendar.date.format': 'a date is written YYYY-MM-DD and must exist, e.g. 2026-12-24 (got \'{value}\')',
  'calendar.annual.format': 'a yearly date is written MM-DD and must exist in some year, e.g. 12-31 (got \'{value}\')',
  'calendar.label.tooLong': 'a label must be at most 100 characters',
  'calendar.range.order': 'the range ends ({to}) before it starts ({from})',
  'calendar.holidays.country': 'no public-holiday data for the country \'{value}\': use an ISO 3166-1 code such as DE, US or CN',
  'calendar.holidays.region': '\'{value}\' is not a region of {country} with holiday data (known: {known})',
  'calendar.holidays.noRegions': '{country} has no regions with holiday data of their own: leave region out',
  'calendar.holidays.types': 'holiday types are public, bank, school, optional and observance',
  'calendar.ics.empty': 'the .ics file is empty',
  'calendar.ics.tooLarge': 'the .ics file is {size} bytes, more than the limit of {max} bytes (1 MB)',
  'calendar.ics.notCalendar': 'this is not an iCalendar file: it must start with BEGIN:VCALENDAR (RFC 5545)',
  'calendar.ics.parse': 'the .ics file does not parse as iCalendar: {message}',
  'calendar.ics.tooManyDays': 'the .ics file expands to more than {max} days within 3 years',
  'calendar.ics.file': 'file must be a file name of 1-255 characters, without / or \\',
  'calendar.window.order': 'to ({to}) is before from ({from})',
  'calendar.window.tooLong': 'the window from {from} to {to} is longer than 3 years: ask for at most 3 years at a time',

  // The schedule of many rules over a window, and a rule's preview (shared/schemas/schedule.ts).
  'window.instant': 'write an instant in ISO 8601 with its offset, e.g. 2026-12-01T00:00:00Z, or a date such as 2026-12-01 (got \'{value}\')',
  'window.order': 'to ({to}) must be after from ({from})',
  'window.tooLong': 'the window from {from} to {to} is longer than {max} days: ask for at most {max} days at a time',
  'window.rules.tooMany': 'rules names at most 200 rules: leave it out for every rule',
  'window.rules.unknown': 'there is no rule named \'{name}\'',
  'window.count': 'count must be a whole number from 1 to 20',

  // The filter language (shared/filters.ts).
  'filter.syntax.empty': 'empty filter between commas: write key=value pairs separated by commas, e.g. tag:Name=web,vpc-id=vpc-4085e027',
  'filter.syntax.pair': '\'{pair}\' is not key=value: write e.g. tag:Name=web',
  'filter.key.tag': '\'{key}\' needs a tag key of 1-128 characters after \'tag:\', e.g. tag:Name',
  'filter.key.unknown': 'unknown filter key \'{key}\': use one of {keys}',
  'filter.key.wrongType': '\'{key}\' is not a filter of {type} resources: use one of {keys}',
  'filter.key.sharedOnly': 'a rule of several resource types ({types}) may only use the tag filters tag:KEY and tag-key, not \'{key}\'',
  'filter.value.instanceId': 'instance-id must be an instance id, e.g. instance-id=i-0123456789abcdef0 (got \'{value}\')',
  'filter.value.vpcId': 'vpc-id must be a VPC id, e.g. vpc-id=vpc-4085e027 (got \'{value}\')',
  'filter.value.subnetId': 'subnet-id must be a subnet id, e.g. subnet-id=subnet-0a1b2c3d (got \'{value}\')',
  'filter.value.privateIp': 'private-ip-address must be an IPv4 address, e.g. private-ip-address=10.0.1.25 (got \'{value}\')',
  'filter.value.instanceType': 'instance-type must be an instance type, e.g. instance-type=t3.micro (got \'{value}\')',
  'filter.value.availabilityZone': 'availability-zone must be an availability zone, e.g. availability-zone=us-east-1a (got \'{value}\')',
  'filter.value.tagKey': 'tag-key must be a tag key of 1-128 characters, e.g. tag-key=Environment (got \'{value}\')',
  'filter.value.dbInstanceId': 'db-instance-id must be a DB instance identifier: a letter, then letters, digits or hyphens, e.g. db-instance-id=orders-dev (got \'{value}\')',
  'filter.value.dbClusterId': 'db-cluster-id must be a DB cluster identifier: a letter, then letters, digits or hyphens, e.g. db-cluster-id=orders-aurora (got \'{value}\')',
  'filter.value.engine': 'engine must be an RDS engine name, e.g. engine=postgres or engine=aurora-mysql (got \'{value}\')',
  'filter.value.asgName': 'asg-name must be an Auto Scaling group name of 1-255 characters, e.g. asg-name=web-dev (got \'{value}\')',
  'filter.value.tag': '{key} must be a tag value of at most 256 characters, e.g. {key}=web (got \'{value}\')',

  // Schedule expressions (shared/schedule).
  'schedule.empty': `The schedule expression is empty; ${EXPRESSION_FORMS}`,
  'schedule.whitespace': 'Remove the whitespace before or after the schedule expression',
  'schedule.unknown': `"{expression}" is not a schedule expression; ${EXPRESSION_FORMS}`,
  'schedule.emptyBody': `{kind}() is empty; ${EXPRESSION_FORMS}`,
  'schedule.spaces': '{kind}(): separate the parts with plain spaces (no tabs or line breaks)',
  'schedule.padding': '{kind}(): remove the spaces just inside the parentheses',
  'schedule.rate.parts': 'rate() needs a value and a unit, e.g. rate(5 minutes) or rate(1 hour)',
  'schedule.rate.value': 'rate(): the value "{value}" must be a positive whole number without sign or leading zeros, e.g. rate(5 minutes)',
  'schedule.rate.unit': 'rate(): the unit "{unit}" must be minute(s), hour(s) or day(s), e.g. rate(5 minutes)',
  'schedule.rate.singular': 'rate(): a value of 1 takes the singular unit; use rate(1 {unit})',
  'schedule.rate.plural': 'rate(): a value above 1 takes the plural unit; use rate({value} {unit}s)',
  'schedule.rate.tooLarge': 'rate(): the value {value} is too large',
  'schedule.at.format': 'at() needs a date and time written exactly as yyyy-mm-ddThh:mm:ss, e.g. at(2026-12-01T08:00:00)',
  'schedule.at.year': 'at(): the year {year} is before 1970',
  'schedule.at.month': 'at(): the month {month} must be between 01 and 12',
  'schedule.at.day': 'at(): {year}-{month} has no day {day} (it has {days} days)',
  'schedule.at.hour': 'at(): the hour {hour} must be between 00 and 23',
  'schedule.at.minute': 'at(): the minute {minute} must be between 00 and 59',
  'schedule.at.second': 'at(): the second {second} must be between 00 and 59',
  'schedule.cron.fields': 'cron() needs exactly six fields (minutes hours day-of-month month day-of-week year) but got {count}, e.g. cron(0 8 ? * MON-FRI *)',
  'schedule.cron.dayFields': 'Day-of-month and day-of-week: exactly one of them must be \'?\' (e.g. cron(0 8 ? * MON-FRI *) or cron(0 8 1 * ? *))',
  // One cron field's problem: `field` is its English label (Minutes ... Year), `allowed` its values.
  'schedule.cron.range': '{field}: {value} is out of range (allowed: {allowed})',
  'schedule.cron.rangeIn': '{field}: {value} in "{item}" is out of range (allowed: {allowed})',
  'schedule.cron.value': '{field}: "{value}" is not a valid value (allowed: {allowed} with the wildcards {wildcards})',
  'schedule.cron.valueIn': '{field}: "{value}" in "{item}" is not a valid value (allowed: {allowed} with the wildcards {wildcards})',
  'schedule.cron.emptyEntry': '{field}: a list has an empty entry (e.g. "1,,2" or a trailing comma)',
  'schedule.cron.questionMark': '{field}: "?" must stand alone, and only in day-of-month or day-of-week',
  'schedule.cron.slashes': '{field}: "{item}" has more than one "/"',
  'schedule.cron.noStep': '{field}: "/" is not allowed in this field (allowed wildcards: {wildcards})',
  'schedule.cron.stepStart': '{field}: "{item}" needs a start before "/" (e.g. */{step} or 0/{step})',
  'schedule.cron.stepWhole': '{field}: the step in "{item}" must be a whole number',
  'schedule.cron.stepRange': '{field}: the step in "{item}" must be between 1 and {max}',
  'schedule.cron.rangeShape': '{field}: "{item}" is not a valid range (e.g. {example})',
  'schedule.cron.rangeWraps': '{field}: the range "{range}" wraps around; its start must not be after its end (split it into a list instead, e.g. {example})',
  'schedule.cron.lw': '{field}: "{value}" is not valid: L and W must stand alone as L (last day), LW (last weekday) or nW such as 15W (weekday nearest the 15th); they can\'t be combined with lists, ranges or steps',
  'schedule.cron.nth': '{field}: in "{value}" the number after "#" must be between 1 and 5',
  'schedule.cron.lHash': '{field}: "{value}" is not valid: L and # must stand alone as L (Saturday), nL such as 6L (last Friday of the month) or n#k such as 2#1 (first Monday); they can\'t be combined with lists or ranges',
  'schedule.cron.wildcard': '{field}: "{value}" uses a wildcard this field does not allow (allowed: {wildcards})',

  // An API key.
  'key.name.required': 'name is required',
  'key.name.tooLong': 'name must be at most 64 characters',
  'key.name.chars': 'name may contain letters, digits, spaces and . _ @ : / ( ) + -',
  'key.scope.choice': 'scope must be "read" or "admin"',
  'key.rateLimit.number': 'rateLimit must be a number of requests per second',
  'key.rateLimit.min': 'rateLimit must be at least 0.01 requests per second',
  'key.rateLimit.max': 'rateLimit must be at most 10000 requests per second',
  'key.burst.integer': 'burst must be a whole number',
  'key.burst.min': 'burst must be at least 1',
  'key.burst.max': 'burst must be at most 100000',
  'key.quota.text': 'quota must be N/day or N/month, e.g. 1000/day',
  'key.quota.shape': 'quota must be N/day, N/month, { limit, period } or null',
  'key.quota.limit.number': 'quota.limit must be a number',
  'key.quota.limit.integer': 'quota.limit must be a whole number',
  'key.quota.limit.min': 'quota.limit must be at least 1',
  'key.quota.period': 'quota.period must be "day" or "month"',

  // A per-instance override (POST /api/overrides).
  'override.instanceId.format': 'instanceId must be an EC2 instance id, e.g. i-0123456789abcdef0',
  'override.instanceId.required': 'instanceId is required: the resource to keep as is',
  'override.instanceId.rds': 'instanceId \'{value}\' is not an RDS DB instance identifier: 1-63 letters, digits and hyphens, starting with a letter, e.g. orders-db',
  'override.instanceId.aurora': 'instanceId \'{value}\' is not an Aurora DB cluster identifier: 1-63 letters, digits and hyphens, starting with a letter, e.g. orders-cluster',
  'override.instanceId.asg': 'instanceId \'{value}\' is not an Auto Scaling group name: 1-255 characters, without # or control characters',
  'override.resourceType.choice': 'resourceType must be one of ec2, rds, aurora and asg (leave it out for ec2)',
  'override.until.iso': 'until must be an ISO 8601 instant with its offset, e.g. 2026-12-24T18:00:00Z',
  'override.until.past': 'until ({value}) is in the past: an override must end later than now',
  'override.reason.tooLong': 'reason must be at most 256 characters',
  'override.id.format': 'an override id is the id POST /api/overrides answered',

  // A notification channel (shared/schemas/channel.ts, server/utils/notifications).
  'channel.name.required': 'a channel name is required: 1-64 characters of letters, digits, . _ or -',
  'channel.name.tooLong': 'a channel name must be at most 64 characters',
  'channel.name.chars': 'a channel name may only contain letters, digits, . _ and -',
  'channel.name.rename': 'a channel cannot be renamed: create a new one and delete this one',
  'channel.description.tooLong': 'a channel description must be at most 256 characters',
  'channel.type.choice': 'type must be one of webhook, slack, teams, sns or eventbridge',
  'channel.url.required': 'url is required for a {type} channel: the receiver\'s https URL',
  'channel.url.invalid': 'url must be a full URL, e.g. https://hooks.example.com/ouroboros',
  'channel.url.https': 'url must use https (got {scheme}:): the receiver\'s URL and what it carries are secret',
  'channel.url.private': 'url must reach a public address: {host} is {kind} ({address}), which notifications never call',
  'channel.url.resolve': 'the host {host} of url does not resolve: check its spelling',
  'channel.url.notFor': 'url is only for webhook, slack and teams channels',
  'channel.secret.length': 'secret must be 16-256 characters, or left out for a generated one',
  'channel.secret.notFor': 'secret is only for webhook channels',
  'channel.topicArn.required': 'topicArn is required for an sns channel, e.g. arn:aws:sns:us-east-1:123456789012:ops-alerts',
  'channel.topicArn.format': 'topicArn must be an SNS topic ARN, e.g. arn:aws:sns:us-east-1:123456789012:ops-alerts',
  'channel.topicArn.notFor': 'topicArn is only for sns channels',
  'channel.busName.format': 'busName must be an event bus name or ARN, e.g. default',
  'channel.busName.notFor': 'busName is only for eventbridge channels',
  'channel.events.empty': 'choose at least one event',
  'channel.events.unknown': '\'{value}\' is not an event: use run.failed, run.partial, run.succeeded, run.skipped, run.nothing-to-do, instance.failed, schedule.drift, override.created or override.ended',
  'channel.rules.shape': 'rules must be "all" or a list of rule names',
  'channel.rules.tooMany': 'rules names at most 100 rules: use "all" for every rule',
  'channel.rules.unknown': 'there is no rule named \'{name}\': create it first, or leave it out of the channel\'s rules',
  'channel.version.required': 'version is required: send the version of the channel you last read',

  // A run: the task's payload, and POST /api/rules/:name/run.
  'run.executionId.empty': 'executionId must not be empty',
  'run.executionId.tooLong': 'executionId must be at most 256 characters',
  'run.scheduledTime.iso': 'scheduledTime must be an ISO 8601 time',
  'run.trigger.choice': 'trigger must be "schedule" or "manual"',
  'run.dryRun.boolean': 'dryRun must be true or false',

  // A page of a list, and the member-role setup's query.
  'list.limit.number': 'limit must be a number from 1 to 100',
  'list.limit.integer': 'limit must be a whole number from 1 to 100',
  'list.limit.min': 'limit must be at least 1',
  'list.limit.max': 'limit must be at most 100',
  'list.cursor.tooLong': 'cursor is too long: pass back the cursor a list answered',
  'setup.accountId.required': 'accountId is required',
  'setup.accountId.digits': 'accountId must be a 12-digit AWS account id',

  // GET /api/logs/:eventId/targets (shared/schemas/log-targets.ts).
  'log.outcome.choice': 'outcome must be one of started, stopped, hibernated, stopping, starting, skipped or failed',
  'log.account.digits': 'account must be a 12-digit AWS account id',
  'log.type.choice': 'type must be one of ec2, rds, aurora or asg',

  // GET /api/savings (shared/schemas/savings.ts).
  'savings.when.format': '{field} must be a date (YYYY-MM-DD, a UTC day) or an ISO 8601 instant with its offset (got \'{value}\')',
  'savings.range.order': 'to ({to}) must not be before from ({from}): the range would be empty',
  'savings.range.tooLong': 'from {from} to {to} is longer than {max} days: ask for at most {max} days at a time',
  'savings.groupBy.choice': 'groupBy must be one of rule, account, region, type or day',
} as const satisfies Record<string, string>

export type IssueCode = keyof typeof ISSUE_MESSAGES

/** The code of an issue the catalog does not know (a zod default message, such as a wrong type). */
export const INVALID = 'invalid'

export type IssueParams = Record<string, string | number>

/** One problem: its code, its parameters, and its English message. */
export interface Issue {
  /** A code of ISSUE_MESSAGES, or `invalid`. */
  code: string
  params?: IssueParams
  message: string
}

/** One field's problem in a 400 answer, as `data.issues` carries it; the UI puts it next to its field. */
export interface FieldIssue extends Issue {
  /** The field, dotted: `quota.limit`, `filters.0.key`; empty for the whole input. */
  path: string
}

const PLACEHOLDER = /\{(\w+)\}/g

/** The English message of `code`, its placeholders filled from `params`. */
export function issueMessage(code: IssueCode, params: IssueParams = {}): string {
  return ISSUE_MESSAGES[code].replace(PLACEHOLDER, (whole, name: string) => (name in params ? String(params[name]) : whole))
}

/** An issue of the catalog, with its English message. */
export function issue(code: IssueCode, params: IssueParams = {}): Issue {
  return { code, params, message: issueMessage(code, params) }
}

/**
 * What `ctx.addIssue` takes for `problem`: a custom zod issue with the English message, and the code and parameters
 * kept in zod's `params`, where {@link issueOf} finds them.
 */
export function zodIssue(problem: Issue, path?: PropertyKey[]): z.core.$ZodSuperRefineIssue<z.core.$ZodIssueCustom> {
  return { code: 'custom', message: problem.message, params: { issue: { code: problem.code, params: problem.params ?? {} } }, ...(path ? { path } : {}) }
}

// Built-in checks (`.min`, `.regex`, an enum's message) keep only their message: a template without placeholders is
// its own message, so the code is found from it.
const CODE_OF_MESSAGE = new Map<string, IssueCode>(
  (Object.entries(ISSUE_MESSAGES) as [IssueCode, string][]).filter(([, text]) => !text.match(PLACEHOLDER)).map(([code, text]) => [text, code]),
)

/** The issue a message of the catalog stands for; `invalid` with that message for any other text. */
export function issueOfMessage(message: string): Issue {
  const code = CODE_OF_MESSAGE.get(message)
  return { code: code ?? INVALID, params: {}, message }
}

function isTagged(value: unknown): value is { code: string, params: IssueParams } {
  return typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'string'
}

/** The code and parameters of a zod issue: those a custom issue carries (see zodIssue), else found from its message. */
export function issueOf(raised: z.core.$ZodIssue): Issue {
  const tagged = raised.code === 'custom' ? raised.params?.issue : undefined
  if (isTagged(tagged)) return { code: tagged.code, params: tagged.params, message: raised.message }
  return issueOfMessage(raised.message)
}

/** zod's issues as `[{ path, code, params, message }]`, the shape the API answers and the UI reads. */
export function fieldIssuesOf(error: z.ZodError): FieldIssue[] {
  return error.issues.map(i => ({ path: i.path.map(String).join('.'), ...issueOf(i) }))
}
