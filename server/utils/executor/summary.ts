// The verdict of a run: counts, status and its one-line message.
import type { LogCounts, LogStatus, LogTarget, RegionError } from '#shared/schemas/log'
import { runReason } from '#shared/run-reasons'

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
  if (counts.failed > 0) problems.push(runReason('someFailed', { failed: counts.failed, total: counts.total - counts.skipped }))
  problems.push(...groupErrors(errors))
  if (problems.length === 0) return { status: counts.acted > 0 ? 'succeeded' : 'nothing-to-do' }
  return { status: counts.acted > 0 ? 'partial' : 'failed', message: problems.join('; ') }
}
