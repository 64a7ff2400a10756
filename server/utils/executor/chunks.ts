// The fan-out of a run over many accounts (in Lambda): the delivery that opens its journal splits the accounts into
// chunks and starts one invocation per chunk (deps.dispatch: an asynchronous Lambda invoke). Each chunk claims itself,
// works its accounts through the journal (a chunk taken over after a kill acts only where nothing is recorded), and
// marks itself done; the chunk that finds every chunk done writes the run's log from the journal. A redelivery of the
// run, or the sweeper, starts again the chunks not done, or writes the log when they all are.
import type { LogEntry, LogTarget } from '#shared/schemas/log'
import type { RunDispatched } from '#shared/answers/log'
import type { JournalHead } from '../run-journal'
import type { ExecutorDeps, RunSpec } from './deps'
import { forEachAccount } from './fan-out'
import { journaledEntry, regionJournal } from './journal'
import { withClaim, writeOnce } from './once'
import { armFollowUp } from './follow-up-arm'
import type { RegionScope } from './resources/types'

// The answer of a delivery that fanned its run out (the chunks are running; the log comes when they are done).
export type { RunDispatched }

/** What one chunk's invocation did. */
export interface ChunkResult {
  eventId: string
  chunk: number
  /** `worked`: it ran; `finished`: it ran, was the last, and logged the run; the others ran nothing. */
  status: 'worked' | 'finished' | 'done-already' | 'held' | 'no-run'
}

type ChunkDeps = ExecutorDeps & { journal: NonNullable<ExecutorDeps['journal']> }
type RegionWork = (accountSpec: RunSpec, scope: RegionScope) => Promise<LogTarget[]>

/** The accounts of chunk `chunk`. */
export function chunkAccounts(head: Pick<JournalHead, 'accountIds' | 'chunkSize'>, chunk: number): string[] {
  const size = head.chunkSize ?? head.accountIds.length
  return head.accountIds.slice(chunk * size, (chunk + 1) * size)
}

/** Starts every chunk not done yet (one whose invocation is alive ignores the second); logs the run when all are. */
export async function dispatchChunks(deps: ChunkDeps, head: JournalHead): Promise<LogEntry | RunDispatched> {
  const done = new Set(head.doneChunks ?? [])
  const chunks = head.chunks ?? 1
  if (done.size >= chunks) return finishRun(deps, head)
  const waiting = Array.from({ length: chunks }, (_, i) => i).filter(i => !done.has(i))
  // One invoke per chunk; a failed one throws, and the redelivery of the run starts it again.
  await Promise.all(waiting.map(chunk => deps.dispatch!({ eventId: head.eventId, chunk })))
  deps.logger?.info(`[executor] run ${head.eventId} of '${head.payload.rule}': ${head.accountIds.length} accounts fanned out in ${chunks} chunks (${waiting.length} started)`)
  return { eventId: head.eventId, status: 'running', accounts: head.accountIds.length, chunks, dispatched: waiting.length }
}

/** Runs chunk `chunk` of run `eventId` in this invocation; `work` is what a run does in one account-region. */
export async function workChunk(deps: ChunkDeps, event: { eventId: string, chunk: number }, work: RegionWork): Promise<ChunkResult> {
  const { eventId, chunk } = event
  const result = (status: ChunkResult['status']): ChunkResult => ({ eventId, chunk, status })
  const head = await deps.journal.head(eventId)
  // Logged and closed, or never opened: nothing is left to do.
  if (!head || chunk >= (head.chunks ?? 0)) return result('no-run')
  if (head.doneChunks?.includes(chunk)) return result('done-already')
  const ran = await withClaim(deps, `${eventId}/chunk/${chunk}`, async () => {
    const accounts = chunkAccounts(head, chunk)
    await forEachAccount(deps, head.spec, accounts, true, work, await regionJournal(deps.journal, head, accounts))
    const done = await deps.journal.chunkDone(eventId, chunk)
    if (done.length < (head.chunks ?? 1)) return result('worked')
    await finishRun(deps, head)
    return result('finished')
  })
  return ran ?? result('held')
}

/** Writes the log of a fanned-out run from its journal, once; then closes the journal and does what follows a log. */
export async function finishRun(deps: ChunkDeps, head: JournalHead): Promise<LogEntry> {
  const entry = journaledEntry(head, await deps.journal.recorded(head), (deps.now?.() ?? new Date()).toISOString())
  const logged = await writeOnce(deps, entry)
  deps.logger?.info(`[executor] run ${head.eventId} of '${head.payload.rule}': ${logged.status} (${head.accountIds.length} accounts in ${head.chunks} chunks, ${logged.counts.acted} acted, ${logged.counts.skipped} skipped, ${logged.counts.failed} failed)`)
  await deps.journal.close(head).catch(error => deps.logger?.warn(`[executor] run ${head.eventId}: its journal was not deleted (it expires): ${(error as Error).message}`))
  await deps.notify?.(logged).catch(error => deps.logger?.warn(`[executor] run ${head.eventId}: notifications failed: ${(error as Error).message}`))
  return armFollowUp(deps, logged)
}
