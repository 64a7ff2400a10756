// What a schedule backend does, whichever it is: EventBridge Scheduler in AWS, or timers in this process.
import type { DesiredSchedule } from './spec'

/** A schedule as a list shows it: enough to spot most drift without reading each one. */
export interface LiveSchedule {
  name: string
  state?: string
  targetArn?: string
  /** ISO 8601; a change behind our back shows as a later time than the one we recorded. */
  modifiedAt?: string
}

export interface ScheduleBackend {
  readonly kind: 'local' | 'eventbridge'
  /**
   * Creates or fully replaces a schedule; answers its modification time when the backend has one and the
   * schedule read back is the one written. `exists: false` says it is known to be missing (skip the update).
   */
  put: (schedule: DesiredSchedule, hint?: { exists?: boolean }) => Promise<{ modifiedAt?: string }>
  /** Deletes a schedule; a schedule that is already gone is not an error. */
  remove: (name: string) => Promise<void>
  /** Every schedule of the app's group, page by page. */
  list: () => AsyncIterable<LiveSchedule>
  /** One schedule in full, or null when there is none. */
  get: (name: string) => Promise<DesiredSchedule | null>
  close: () => Promise<void>
}
