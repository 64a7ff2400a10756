// Savings follow the run logs: each run, once its log is written, is added to the savings (record.ts), and so is a
// follow-up check that completes a run's log (its databases confirmed stopped open their intervals then). Never fails
// the run: a failed record is said in the log output, and what it left half-done is finished by the next record that
// meets one of its instances.
import type { LogEntry } from '#shared/schemas/log'
import type { LogsRepository } from '../logs'
import { followUpRecord } from './intervals'
import { recordRun } from './record'
import type { SavingsRepository } from './repository'

/** The logs, with every run written (or completed by its follow-up check) also recorded in the savings. */
export function withSavings<L extends Pick<LogsRepository, 'put'> & Partial<Pick<LogsRepository, 'complete'>>>(logs: L, savings: SavingsRepository, logger: Pick<Console, 'warn'> = console): L {
  const record = (entry: Parameters<typeof recordRun>[1], what: string) =>
    recordRun(savings, entry).catch(error => logger.warn(`[savings] ${what} ${entry.eventId} of '${entry.ruleName}' could not be recorded: ${(error as Error).message}`))
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
