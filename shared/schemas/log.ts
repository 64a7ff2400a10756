// A run log entry: one per execution of a rule, with one target per instance.
import type { Filter } from '../filters'

export const LOG_STATUSES = ['succeeded', 'partial', 'failed', 'nothing-to-do'] as const
export type LogStatus = typeof LOG_STATUSES[number]

export const TRIGGERS = ['schedule', 'manual'] as const
export type Trigger = typeof TRIGGERS[number]

export interface LogTarget {
  instanceId: string
  region: string
  name?: string
  stateBefore?: string
  stateAfter?: string
  outcome: 'started' | 'stopped' | 'hibernated' | 'skipped' | 'failed'
  reason?: string
  error?: string
}

export interface LogCounts {
  total: number
  acted: number
  skipped: number
  failed: number
}

export interface LogEntry {
  eventId: string
  ruleName: string
  trigger: Trigger
  scheduledTime: string | null
  startedAt: string
  finishedAt: string
  action: 'start' | 'stop'
  accountId: string
  regions: string[]
  filters: Filter[]
  status: LogStatus
  message?: string
  targets: LogTarget[]
  counts: LogCounts
}

/** A log entry in a list: the targets are left out (fetch one run for them). */
export type LogSummary = Omit<LogEntry, 'targets'>
