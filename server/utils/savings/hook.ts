// Savings follow the run logs: each run, once its log is written, is added to the savings (record.ts), and so is a
// follow-up check that completes a run's log (its databases confirmed stopped open their intervals then). Never fails
// the run: a failed record is said in the log output, what it left half-done is finished by the next record that
// meets one of its instances, and a run never noted recorded is replayed by the reconcile (replay.ts).
import type { LogEntry } from '#shared/schemas/log'
import type { LogsRepository } from '../logs'
import { followUpRecord } from './intervals'
import { recordRun } from './record'
import type { SavingsRepository } from './repository'
import { RECORDED_TTL_SECONDS } from './replay'

/** The logs, with every run written (or completed by its follow-up check) also recorded in the savings. */
export function withSavings<L extends Pick<LogsRepository, 'put'> & Partial<Pick<LogsRepository, 'complete'>>>(logs: L, savings: SavingsRepository, logger: Pick<Console, 'warn'> = console): L {
  // Noted recorded once its record is whole: a run left unnoted is replayed by the reconcile (replay.ts).
  const record = (entry: Parameters<typeof recordRun>[1], what: string) =>
    recordRun(savings, entry).then(() => savings.markRecorded(entry.eventId, RECORDED_TTL_SECONDS))
      .catch(error => logger.warn(`[savings] ${what} ${entry.eventId} of '${entry.ruleName}' could not be recorded (the reconcile replays it): ${(error as Error).message}`))
  const complete = logs.complete
  return {
    ...logs,
    async put(entry: LogEntry) {
      await logs.put(entry)
      await record(entry, 'run')
    },
    ...(complete
      ? {
          async complete(entry: LogEntry) {
            await complete(entry)
            const followUp = followUpRecord(entry)
            if (followUp) await record(followUp, 'the follow-up check of run')
          },
        }
      : {}),
  }
}
