// The executor's side of a run's journal (run-journal.ts stores it): open it at the run's first delivery, or read
// what a delivery before this one recorded; hand forEachAccount what it needs to skip and record account-regions; and
// build the run's log entry from what the journal holds (a fanned-out run's, or one given up on).
import type { ExecutionPayload } from '#shared/schemas/execution'
import type { LogEntry, LogTarget, RegionError } from '#shared/schemas/log'
import type { JournalHead, JournalSettings, JournalSpec, RegionRecord, RunJournal } from '../run-journal'
import type { RunAccounts } from './accounts'
import type { RegionJournal } from './fan-out'
import { countTargets, runStatus } from './summary'

export interface OpenedJournal {
  head: JournalHead
  /** The run's accounts: those its first delivery resolved, whatever the organization holds now. */
  reach: RunAccounts
  /** What forEachAccount skips and records, for the accounts `accountIds` (all the run's by default). */
  regions: (accountIds?: readonly string[]) => Promise<RegionJournal<LogTarget>>
}

/** What the first delivery fixes: the settings it logs, and whether (and how) the run fans out. */
export interface JournalPlan {
  settings: JournalSettings
  spec: JournalSpec
  /** Accounts per chunk, when the run fans out over more accounts than that. */
  chunkSize?: number
}

/**
 * Opens the journal of run `payload.executionId`: a delivery that takes a run over finds its accounts and what was
 * done; the first resolves the accounts (`resolve`) and opens it. Two first deliveries race on a conditional put.
 */
export async function openJournal(journal: Pick<RunJournal, 'open' | 'head' | 'record' | 'recorded'>, payload: ExecutionPayload & { executionId: string }, startedAt: string, plan: JournalPlan, resolve: () => Promise<RunAccounts>): Promise<OpenedJournal> {
  const eventId = payload.executionId
  let head = await journal.head(eventId)
  if (!head) {
    const reach = await resolve()
    const askedAt = payload.trigger === 'schedule' ? new Date(payload.scheduledTime ?? startedAt).toISOString() : startedAt
    const fansOut = plan.chunkSize !== undefined && reach.accountIds.length > plan.chunkSize
    head = await journal.open({
      eventId,
      payload,
      settings: plan.settings,
      spec: plan.spec,
      startedAt,
      askedAt,
      accountIds: reach.accountIds,
      regions: plan.settings.regions,
      ...(reach.error ? { reachError: reach.error } : {}),
      ...(fansOut ? { chunks: Math.ceil(reach.accountIds.length / plan.chunkSize!), chunkSize: plan.chunkSize } : {}),
    })
  }
  const opened = head
  return {
    head: opened,
    reach: { accountIds: opened.accountIds, organizationalUnits: opened.settings.organizationalUnits ?? [], excluded: 0, ...(opened.reachError ? { error: opened.reachError } : {}) },
    regions: accountIds => regionJournal(journal, opened, accountIds),
  }
}

/** forEachAccount's view of the journal for `accountIds` of a run: what was done (read once) and how to record the rest. */
export async function regionJournal(journal: Pick<RunJournal, 'record' | 'recorded'>, head: JournalHead, accountIds: readonly string[] = head.accountIds): Promise<RegionJournal<LogTarget>> {
  const eventId = head.eventId
  const done = await journal.recorded(head, [...accountIds])
  return {
    done: (accountId, region) => {
      const found = done.get(`${accountId}#${region}`)
      return found && { items: found.targets, ...(found.error !== undefined ? { error: found.error } : {}) }
    },
    record: (accountId, region, { items, error }) => journal.record(eventId, accountId, region, { targets: items, ...(error !== undefined ? { error } : {}) }),
  }
}

/**
 * The log entry of a run from its journal: every account-region's outcomes and errors, in the run's order; an
 * account-region with nothing recorded gets the error `missing` (a run given up on), or is left out.
 */
export function journaledEntry(head: JournalHead, done: Map<string, RegionRecord>, finishedAt: string, missing?: string): LogEntry {
  const targets: LogTarget[] = []
  const errors: RegionError[] = head.reachError ? [{ accountId: '', region: '', message: head.reachError }] : []
  for (const accountId of head.accountIds) {
    for (const region of head.regions) {
      const found = done.get(`${accountId}#${region}`)
      if (found) targets.push(...found.targets.map(t => ({ ...t, accountId })))
      const message = found ? found.error : missing
      if (message !== undefined) errors.push({ accountId, region, message })
    }
  }
  const counts = countTargets(targets)
  return {
    eventId: head.eventId,
    ruleName: head.payload.rule,
    trigger: head.payload.trigger,
    scheduledTime: head.payload.scheduledTime ?? null,
    startedAt: head.startedAt,
    ...head.settings,
    accountIds: head.accountIds,
    finishedAt,
    ...runStatus(counts, errors),
    targets,
    counts,
    ...(errors.length ? { errors } : {}),
  }
}
