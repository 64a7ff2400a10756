// Why a run left a resource as it was, or what it noted on one: the English text a log keeps (API clients and the
// notifications read it), built from the templates below, and a code with parameters that the UI translates
// (i18n/locales: `reason.<code>`), found back from the text. Logs written before there were codes read the same way,
// and a text no template matches (an AWS error's own words) is shown as it is.

/** Every reason's English template; `{name}` stands for the parameter `name`. */
export const RUN_REASONS = {
  // Left alone, whatever the resource type.
  optedOut: 'opted out with the tag {tag}',
  apiOverride: 'override until {until} by key \'{key}\'',
  apiOverrideWhy: 'override until {until} by key \'{key}\': {note}',
  tagOverride: 'tag {tag}',
  tagOverrideDay: 'tag {tag} (until the end of that day in {zone}, {until})',
  tagNotOverride: 'the tag {tag}=\'{value}\' is neither an ISO 8601 instant (2026-12-24T18:00:00Z) nor a date (2026-12-24): not an override',
  // Already where the rule would take it.
  alreadyStartingPending: 'already starting (pending)',
  alreadyAvailable: 'already available (running)',
  alreadyZero: 'already at capacity 0: nothing to save',
  alreadyStoppedSaved: 'already stopped (capacity 0, {capacity} saved in {tag})',
  already: 'already {state}',
  // Not this rule's to act on.
  asgMember: 'member of Auto Scaling group \'{group}\': the group manages its instances (schedule the group with resourceTypes: ["asg"])',
  auroraMember: 'member of Aurora cluster \'{cluster}\': the cluster is stopped and started as one (schedule it with resourceTypes: ["aurora"])',
  readReplica: 'read replica of \'{source}\': AWS cannot stop a read replica',
  hasReplicas: 'has read replicas ({replicas}): AWS cannot stop an instance that has read replicas',
  refusesStop: 'in state \'{state}\', in which AWS refuses to stop it',
  refusesStart: 'in state \'{state}\', in which AWS refuses to start it',
  notAurora: 'engine {engine} is not Aurora: aurora rules stop and start Aurora clusters only',
  serverlessV1: 'Aurora Serverless v1: AWS cannot stop or start it (it scales to zero by itself)',
  engineMode: 'engine mode {mode}: AWS cannot stop or start such a cluster',
  globalReplica: 'replica of \'{source}\' (a secondary cluster of a global database, or a cross-region replica): AWS cannot stop it',
  capacityTagStop: 'the tag {tag}=\'{value}\' is not min,desired,max: fix or remove it, so that a stop can save the capacity',
  capacityTagStart: 'the tag {tag}=\'{value}\' is not min,desired,max: nothing can be restored from it',
  noSavedCapacity: 'no saved capacity (tag {tag}): nothing to restore; a stop rule of this type saves it',
  // Acted on, with a note.
  noHibernation: 'hibernation is not configured on this instance: stopped without hibernating',
  keepsSavedCapacity: 'keeps the capacity saved earlier ({tag}={value})',
  refused: '{service} refused to {action} it',
  // What the check after the call saw.
  goneMeanwhile: 'was {state} meanwhile',
  gone: 'no longer exists',
  kms: 'went back to stopped after the start: EC2 does this when an EBS volume is encrypted with a customer-managed KMS key the role cannot use (grant kms:CreateGrant on that key to the role)',
  stillStopping: 'still stopping when {why}: EC2 accepted the stop, not yet confirmed',
  notReached: 'not {target} when {why} (last seen {state})',
  waitOver: 'the wait of {seconds}s is over',
  statesUnreadable: 'the states could not be read ({error})',
  // The follow-up check of databases still stopping or starting.
  confirmedLater: '{outcome}, confirmed by the follow-up check at {at}',
  goneLater: 'no longer exists at the follow-up check at {at}',
  backLater: 'back to {state} at the follow-up check at {at}: AWS did not complete the {action}',
  stillLater: 'still {state} at the follow-up check at {at}',
  // A run's own message (its alert in the UI).
  someFailed: '{failed} of {total} instances could not be acted on (see their errors)',
  ruleGone: 'rule \'{rule}\' no longer exists: it was deleted after this run was scheduled',
  ruleDisabled: 'the rule is disabled: its schedule fired before the change took effect, so nothing was done',
  calendarsGone: 'the rule skips the days of {calendars}, which no longer exists: nothing was done; create it again or remove it from the rule\'s skipCalendars',
  notResumed: 'not reached: the run was interrupted and no delivery took it over within {minutes} minutes, so it was not finished late (it could undo a later rule); run the rule again to act here',
} as const

export type RunReasonCode = keyof typeof RUN_REASONS
export type RunReasonParams = Record<string, string | number>

/** One reason of a text: its code and parameters. */
export interface RunReasonPart {
  code: RunReasonCode
  params: Record<string, string>
}

const PLACEHOLDER = /\{(\w+)\}/g

/** The English text of reason `code` with `params` filled in. */
export function runReason(code: RunReasonCode, params: RunReasonParams = {}): string {
  return RUN_REASONS[code].replace(PLACEHOLDER, (_, name: string) => String(params[name] ?? `{${name}}`))
}

/** The reasons of one resource, each a text of its own, as a log keeps them: "; " between. */
export function joinReasons(...reasons: (string | undefined)[]): string | undefined {
  return reasons.filter(Boolean).join('; ') || undefined
}

// Each template as a pattern, the most specific first (the most words of its own, placeholders left out): "already
// {state}" must not take "already starting (pending)", nor "tag {tag}" a day's tag override.
const PATTERNS = (Object.entries(RUN_REASONS) as [RunReasonCode, string][])
  .map(([code, template]) => {
    const pieces = template.split(PLACEHOLDER)
    const names = pieces.filter((_, i) => i % 2 === 1)
    const literal = pieces.filter((_, i) => i % 2 === 0)
    const source = pieces.map((piece, i) => (i % 2 ? '(.+?)' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')
    return { code, names, specificity: literal.join('').length, pattern: new RegExp(`^${source}$`) }
  })
  .sort((a, b) => b.specificity - a.specificity)

function partOf(text: string): RunReasonPart | undefined {
  for (const { code, names, pattern } of PATTERNS) {
    const m = pattern.exec(text)
    if (m) return { code, params: Object.fromEntries(names.map((n, i) => [n, m[i + 1]!])) }
  }
  return undefined
}

/**
 * A log's text as its reasons, in order, each the catalog's part or (not the catalog's: an AWS error's words) the text
 * itself. Part by part when every part is one, else the whole text as one: a template's own words or a parameter (an
 * override's note) may hold "; ", and a parameter would otherwise take in the reasons joined before it.
 */
function piecesOf(text: string): (RunReasonPart | string)[] {
  const pieces = text.split('; ').map(piece => partOf(piece) ?? piece)
  if (pieces.every(p => typeof p !== 'string')) return pieces
  const whole = partOf(text)
  return whole ? [whole] : pieces
}

/** The reasons a log's text holds, in order; undefined when any of it is no reason of the catalog. */
export function runReasonParts(text: string): RunReasonPart[] | undefined {
  const pieces = piecesOf(text)
  return pieces.every(p => typeof p !== 'string') ? pieces as RunReasonPart[] : undefined
}

/** What saying a reason in a language takes: vue-i18n's t and te, and what goes between two reasons. */
export interface ReasonLanguage {
  t: (key: string, params: Record<string, string>) => string
  te: (key: string) => boolean
  separator: string
}

const STATE_PARAMS = new Set(['state', 'target', 'outcome'])

/**
 * A log's reason text in a language (i18n/locales: `reason.<code>`, `reasonState.<state>`, `reasonAction.<action>`):
 * each part said by its code, its states and actions translated, and a check's `why`, itself a reason, said too. A part
 * the catalog does not hold (an AWS error's own words) comes back as it is.
 */
export function sayRunReason(text: string, language: ReasonLanguage): string {
  const { t, te } = language
  const word = (name: string, value: string): string => {
    if (STATE_PARAMS.has(name) && te(`reasonState.${value}`)) return t(`reasonState.${value}`, {})
    if (name === 'action' && te(`reasonAction.${value}`)) return t(`reasonAction.${value}`, {})
    const nested = name === 'why' ? partOf(value) : undefined
    return nested ? say(nested) : value
  }
  const say = (part: RunReasonPart): string =>
    t(`reason.${part.code}`, Object.fromEntries(Object.entries(part.params).map(([name, value]) => [name, word(name, value)])))
  // Some parts may be the catalog's (a run's count of failures) and others not (an AWS error's words, kept as they are).
  const pieces = piecesOf(text)
  return pieces.some(p => typeof p !== 'string') ? pieces.map(p => (typeof p === 'string' ? p : say(p))).join(language.separator) : text
}
