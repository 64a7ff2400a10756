// The verdict of a run: counts, status and its one-line message, and an entry that fits one DynamoDB item.
import type { LogCounts, LogEntry, LogStatus, LogTarget, RegionError } from '#shared/schemas/log'

// A database still stopping or starting was acted on: AWS accepted it, and the follow-up check records how it ended.
const ACTED = new Set<LogTarget['outcome']>(['started', 'stopped', 'hibernated', 'stopping', 'starting'])

/** Counts of a run's targets. */
export function countTargets(targets: readonly LogTarget[]): LogCounts {
  let acted = 0
  let skipped = 0
  let failed = 0
  for (const t of targets) {
    if (ACTED.has(t.outcome)) acted++
    else if (t.outcome === 'skipped') skipped++
    else failed++
  }
  return { total: targets.length, acted, skipped, failed }
}

/** Region errors with the same message in one phrase: "us-east-1, eu-west-1: could not assume ..."; one of the whole run (no region) as it is. */
function groupErrors(errors: readonly RegionError[]): string[] {
  const byMessage = new Map<string, string[]>()
  for (const e of errors) byMessage.set(e.message, [...(byMessage.get(e.message) ?? []), ...(e.region ? [e.region] : [])])
  // Accounts are named by the messages themselves (could not assume ... (account N)); the regions only repeat.
  return [...byMessage].map(([message, regions]) => (regions.length ? `${[...new Set(regions)].join(', ')}: ${message}` : message))
}

/**
 * The run's status: `succeeded` when every needed action was done, `nothing-to-do` when none was needed,
 * `partial` when some were done and something failed (an instance or a region), `failed` when something
 * failed and nothing was done. The message says what failed, for `partial` and `failed` only.
 */
export function runStatus(counts: LogCounts, errors: readonly RegionError[]): { status: LogStatus, message?: string } {
  const problems: string[] = []
  if (counts.failed > 0) problems.push(`${counts.failed} of ${counts.total - counts.skipped} instances could not be acted on (see their errors)`)
  problems.push(...groupErrors(errors))
  if (problems.length === 0) return { status: counts.acted > 0 ? 'succeeded' : 'nothing-to-do' }
  return { status: counts.acted > 0 ? 'partial' : 'failed', message: problems.join('; ') }
}

// DynamoDB items are limited to 400 KB; keep a margin for the storage attributes and the encoding.
export const MAX_LOG_BYTES = 350_000

// Which targets to keep first when a run is too big to log whole: failures, then actions, then skips.
const KEEP_ORDER: Record<LogTarget['outcome'], number> = { failed: 0, started: 1, stopped: 1, hibernated: 1, stopping: 1, starting: 1, skipped: 2 }

/** The entry itself, or with its least useful targets left out (and counted in `targetsOmitted`) so it fits. */
export function fitLogEntry(entry: LogEntry, maxBytes = MAX_LOG_BYTES): LogEntry {
  const size = (value: unknown) => Buffer.byteLength(JSON.stringify(value))
  const total = size(entry)
  if (total <= maxBytes) return entry
  const ranked = entry.targets.map((t, i) => ({ t, i, bytes: size(t) + 1 }))
    .sort((a, b) => KEEP_ORDER[a.t.outcome] - KEEP_ORDER[b.t.outcome] || a.i - b.i)
  // Room for the entry without targets, plus the targetsOmitted attribute.
  let room = maxBytes - size({ ...entry, targets: [], targetsOmitted: entry.targets.length })
  const kept: typeof ranked = []
  for (const r of ranked) {
    if (r.bytes > room) break
    room -= r.bytes
    kept.push(r)
  }
  kept.sort((a, b) => a.i - b.i)
  return { ...entry, targets: kept.map(k => k.t), targetsOmitted: entry.targets.length - kept.length }
}
