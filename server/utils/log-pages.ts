// A run's outcomes in as many items as it takes: the header (the run, its exact counts by outcome, account, region
// and resource type, the first page of outcomes inline when it fits, and the list of its other pages) and pages of
// outcomes, one account-region each, every item well under DynamoDB's 400 KB. Pure: logs.ts stores and reads them.
import type { LogCountsBy, LogEntry, LogTarget, OutcomeCounts, TargetOutcome } from '#shared/schemas/log'
import { InvalidCursor } from './errors'

// DynamoDB's item limit is 400 KB, counted as attribute names plus values. A page stores its outcomes as one JSON
// string, so its size is that text's bytes: it stays at a quarter of the limit (a read of at most 25 read units). The
// header holds its page as a list, about as large as its JSON text: under 350 KB, leaving room for the keys.
export const PAGE_MAX_BYTES = 100_000
export const PAGE_MAX_TARGETS = 200
export const MAX_HEADER_BYTES = 350_000

/**
 * A page of outcomes beyond the header's: its account-region, its number there, and what it holds. A page shared by
 * account-regions too small for a page of their own says SHARED as its account and region, and lists its accounts.
 */
export interface TargetPageRef {
  account: string
  region: string
  page: number
  count: number
  outcomes: OutcomeCounts
  accounts?: string[]
}

/** The account and region of a page that small account-regions share. */
export const SHARED = '*'

/** The header's targets (inline) and the pages to write beside it. */
export interface SplitTargets {
  inline: LogTarget[]
  pages: { ref: TargetPageRef, targets: LogTarget[] }[]
}

/** Bytes of a value as JSON text: what a page or header is measured by. */
export const jsonBytes = (value: unknown): number => Buffer.byteLength(JSON.stringify(value))

/** A target's account: its own (a rule over several accounts), else the run's. */
export const targetAccount = (target: LogTarget, entry: Pick<LogEntry, 'accountId'>): string => target.accountId ?? entry.accountId

function add(counts: OutcomeCounts, outcome: TargetOutcome) {
  counts[outcome] = (counts[outcome] ?? 0) + 1
}

/** Counts of outcomes in `targets`. */
export function outcomeCounts(targets: readonly LogTarget[]): OutcomeCounts {
  const counts: OutcomeCounts = {}
  for (const t of targets) add(counts, t.outcome)
  return counts
}

/** The exact counts of a run's outcomes: in all, and by account, by region and by resource type. */
export function countsBy(entry: Pick<LogEntry, 'accountId' | 'targets'>): LogCountsBy {
  const by: LogCountsBy = { outcome: {}, account: {}, region: {}, resourceType: {} }
  for (const t of entry.targets) {
    add(by.outcome, t.outcome)
    add(by.account[targetAccount(t, entry)] ??= {}, t.outcome)
    add(by.region[t.region] ??= {}, t.outcome)
    add(by.resourceType[t.resourceType ?? 'ec2'] ??= {}, t.outcome)
  }
  return by
}

/** Cuts `targets` into runs of at most PAGE_MAX_TARGETS and PAGE_MAX_BYTES (one target alone may be larger). */
export function chunkTargets(targets: readonly LogTarget[], maxBytes = PAGE_MAX_BYTES, maxTargets = PAGE_MAX_TARGETS): LogTarget[][] {
  const chunks: LogTarget[][] = []
  let current: LogTarget[] = []
  // A JSON array is 2 bytes of brackets and a comma between two items: 1, and each item's bytes plus one.
  let bytes = 1
  for (const t of targets) {
    const size = jsonBytes(t) + 1
    if (current.length > 0 && (current.length >= maxTargets || bytes + size > maxBytes)) {
      chunks.push(current)
      current = []
      bytes = 1
    }
    current.push(t)
    bytes += size
  }
  if (current.length > 0) chunks.push(current)
  return chunks
}

/**
 * Splits a run's targets: all inline when they fit one page; otherwise one account-region at a time (in the order
 * they first appear), cut into pages, the first page inline when the header still fits, the others as page items.
 * Account-regions that each fit a page share pages, in their order (1,000 accounts × 2 regions × 5 instances are 50
 * pages, not 2,000, and their references stay small in the header).
 */
export function splitTargets(entry: LogEntry, header: (inline: LogTarget[], pages: TargetPageRef[]) => unknown): SplitTargets {
  if (chunkTargets(entry.targets).length <= 1) return { inline: entry.targets, pages: [] }
  const groups = new Map<string, { account: string, region: string, targets: LogTarget[] }>()
  for (const t of entry.targets) {
    const account = targetAccount(t, entry)
    const key = `${account}#${t.region}`
    let group = groups.get(key)
    if (!group) groups.set(key, group = { account, region: t.region, targets: [] })
    group.targets.push(t)
  }
  const pages: SplitTargets['pages'] = []
  let shared: { targets: LogTarget[], accounts: Set<string>, bytes: number } | undefined
  let sharedPages = 0
  const closeShared = () => {
    if (!shared) return
    const { targets, accounts } = shared
    pages.push({ ref: { account: SHARED, region: SHARED, page: sharedPages++, count: targets.length, outcomes: outcomeCounts(targets), accounts: [...accounts] }, targets })
    shared = undefined
  }
  for (const g of groups.values()) {
    const chunks = chunkTargets(g.targets)
    if (chunks.length > 1) {
      closeShared()
      pages.push(...chunks.map((targets, page) => ({ ref: { account: g.account, region: g.region, page, count: targets.length, outcomes: outcomeCounts(targets) }, targets })))
      continue
    }
    // A group that fits a page joins the shared page while the page stays within its bounds (sizes as chunkTargets counts them).
    const bytes = g.targets.reduce((n, t) => n + jsonBytes(t) + 1, 0)
    if (shared && (shared.targets.length + g.targets.length > PAGE_MAX_TARGETS || shared.bytes + bytes > PAGE_MAX_BYTES)) closeShared()
    shared ??= { targets: [], accounts: new Set(), bytes: 1 }
    shared.targets.push(...g.targets)
    shared.accounts.add(g.account)
    shared.bytes += bytes
  }
  closeShared()
  const [first, ...rest] = pages
  const refs = rest.map(p => p.ref)
  if (jsonBytes(header(first!.targets, refs)) <= MAX_HEADER_BYTES) return { inline: first!.targets, pages: rest }
  return { inline: [], pages }
}

// Page items are keyed apart from runs and claims, and carry no index attribute, so no list shows them.
export const PAGE_PREFIX = 'targets#'

/** The key of a page item: its run, the write it belongs to, its account-region and number. */
export function targetPageKey(eventId: string, writeId: string, ref: Pick<TargetPageRef, 'account' | 'region' | 'page'>): string {
  return `${PAGE_PREFIX}${eventId}#${writeId}#${ref.account}#${ref.region}#${ref.page}`
}

// A position in a run's outcomes: the chunk (0 the header's own, then each page) and the index in it.
// Checked by hand, not with zod: logs.ts loads this module with the app, on a Lambda cold start too (issue 12).
export interface TargetPosition { c: number, o: number }
const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) <= 100_000
function targetPosition(json: unknown): TargetPosition {
  const at = json as Partial<TargetPosition> | null
  if (typeof at !== 'object' || at === null || Array.isArray(at) || Object.keys(at).length !== 2 || !isIndex(at.c) || !isIndex(at.o)) throw new InvalidCursor()
  return { c: at.c!, o: at.o! }
}

export function encodeTargetCursor(at: TargetPosition | null): string | null {
  return at ? Buffer.from(JSON.stringify(at), 'utf8').toString('base64url') : null
}

/** Decodes a targets cursor; throws InvalidCursor for anything a targets answer did not give. */
export function decodeTargetCursor(cursor: string | undefined): TargetPosition {
  if (cursor === undefined) return { c: 0, o: 0 }
  try {
    if (!/^[\w-]+$/.test(cursor)) throw new InvalidCursor()
    return targetPosition(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')))
  }
  catch {
    throw new InvalidCursor()
  }
}

/** Which outcomes a targets query asks for: any of them may be left out. */
export interface TargetFilter {
  outcome?: TargetOutcome
  account?: string
  resourceType?: string
}

/** Does `target` of the run match the filter. */
export function targetMatches(target: LogTarget, entry: Pick<LogEntry, 'accountId'>, f: TargetFilter): boolean {
  return (!f.outcome || target.outcome === f.outcome)
    && (!f.account || targetAccount(target, entry) === f.account)
    && (!f.resourceType || (target.resourceType ?? 'ec2') === f.resourceType)
}

/** Can a page hold a match, by what its reference says (the type is not in it: a page of another type is read). */
export function pageMayMatch(ref: TargetPageRef, f: TargetFilter): boolean {
  const account = !f.account || (ref.accounts ? ref.accounts.includes(f.account) : ref.account === f.account)
  return account && (!f.outcome || (ref.outcomes[f.outcome] ?? 0) > 0)
}

/** How many of the run's outcomes match, when the counts tell it exactly (not the type and the account together). */
export function matchingTotal(by: LogCountsBy, f: TargetFilter): number | null {
  if (f.account && f.resourceType) return null
  const counts = f.account ? by.account[f.account] ?? {} : f.resourceType ? by.resourceType[f.resourceType] ?? {} : by.outcome
  if (f.outcome) return counts[f.outcome] ?? 0
  return Object.values(counts).reduce((a, b) => a + (b ?? 0), 0)
}
