// The executor's side of a run's journal (run-journal.ts stores it): open it at the run's first delivery, or read
// what a delivery before this one recorded, and hand forEachAccount what it needs to skip and record account-regions.
import type { ExecutionPayload } from '#shared/schemas/execution'
import type { LogTarget } from '#shared/schemas/log'
import type { JournalHead, RunJournal } from '../run-journal'
import type { RunAccounts } from './accounts'
import type { RegionJournal } from './fan-out'

export interface OpenedJournal {
  head: JournalHead
  /** The run's accounts: those its first delivery resolved, whatever the organization holds now. */
  reach: RunAccounts
  regions: RegionJournal<LogTarget>
  /** Account-regions a delivery before this one finished. */
  resumed: number
}

/**
 * Opens the journal of run `payload.executionId`: a delivery that takes a run over finds its accounts and what was
 * done; the first resolves the accounts (`resolve`) and opens it. Two first deliveries race on a conditional put.
 */
export async function openJournal(journal: Pick<RunJournal, 'open' | 'head' | 'record' | 'recorded'>, payload: ExecutionPayload & { executionId: string }, regions: string[], startedAt: string, resolve: () => Promise<RunAccounts>): Promise<OpenedJournal> {
  const eventId = payload.executionId
  let head = await journal.head(eventId)
  let reach: RunAccounts
  if (head) {
    reach = { accountIds: head.accountIds, organizationalUnits: [], excluded: 0 }
  }
  else {
    reach = await resolve()
    const askedAt = payload.trigger === 'schedule' ? new Date(payload.scheduledTime ?? startedAt).toISOString() : startedAt
    head = await journal.open({ eventId, payload, startedAt, askedAt, accountIds: reach.accountIds, regions })
    if (head.accountIds !== reach.accountIds) reach = { accountIds: head.accountIds, organizationalUnits: [], excluded: 0 }
  }
  const done = await journal.recorded(head)
  const opened = head
  return {
    head: opened,
    reach,
    resumed: done.size,
    regions: {
      done: (accountId, region) => done.get(`${accountId}#${region}`),
      record: (accountId, region, items) => journal.record(opened.eventId, accountId, region, items),
    },
  }
}
