// Savings follow the run logs: each run, once its log is written, is added to the savings (record.ts). Never fails
// the run: a failed record is said in the log output, and what it left half-done is finished by the next record that
// meets one of its instances.
import type { LogEntry } from '#shared/schemas/log'
import type { LogsRepository } from '../logs'
import { recordRun } from './record'
import type { SavingsRepository } from './repository'

/** The logs, with every run written also recorded in the savings. */
export function withSavings<L extends Pick<LogsRepository, 'put'>>(logs: L, savings: SavingsRepository, logger: Pick<Console, 'warn'> = console): L {
  return {
    ...logs,
    async put(entry: LogEntry) {
      await logs.put(entry)
      await recordRun(savings, entry).catch(error => logger.warn(`[savings] run ${entry.eventId} of '${entry.ruleName}' could not be recorded: ${(error as Error).message}`))
    },
  }
}
