// The local backend: the rules' schedules as timers in this process. The shared parser decides
// when a rule fires (AWS cron semantics, time zones, DST); croner holds the timer until then.
import { randomUUID } from 'node:crypto'
import { Cron } from 'croner'
import { nextRuns } from '#shared/schedule'
import type { LiveSchedule, ScheduleBackend } from './backend'
import type { DesiredSchedule } from './spec'

export interface LocalFire {
  rule: string
  executionId: string
  scheduledTime: string
  trigger: 'schedule'
}

export interface LocalBackendOptions {
  /** Runs a rule; errors are reported to onError and never stop the scheduler. */
  fire: (request: LocalFire) => Promise<unknown> | unknown
  onError?: (error: unknown, request: LocalFire) => void
  now?: () => Date
}

interface Entry {
  schedule: DesiredSchedule
  /** rate() counts from when the schedule was saved, as in EventBridge Scheduler. */
  anchor: Date
  job?: Cron
  next?: Date
}

export type LocalBackend = ScheduleBackend & {
  /** The next time a schedule fires, or null (disabled, finished or unknown). */
  nextFire: (name: string) => Date | null
}

/** Creates the in-process backend. */
export function createLocalBackend(options: LocalBackendOptions): LocalBackend {
  const entries = new Map<string, Entry>()
  const now = options.now ?? (() => new Date())
  let closed = false

  function disarm(entry: Entry) {
    entry.job?.stop()
    entry.job = undefined
    entry.next = undefined
  }

  function arm(entry: Entry, from: Date) {
    disarm(entry)
    if (closed || entry.schedule.state !== 'ENABLED') return
    const [next] = nextRuns(entry.schedule.expression, entry.schedule.timezone, { from, count: 1, anchor: entry.anchor })
    if (!next) return
    entry.next = next
    const job = new Cron(next, { maxRuns: 1, unref: true }, () => {
      // Only the current timer of the current schedule fires: an edited rule never fires twice.
      if (entries.get(entry.schedule.name) !== entry || entry.job !== job) return
      const request: LocalFire = { rule: entry.schedule.name, executionId: randomUUID(), scheduledTime: next.toISOString(), trigger: 'schedule' }
      // The next run counts from this scheduled time, not from the clock, so a timer that fires a little early cannot fire twice.
      arm(entry, next)
      Promise.resolve()
        .then(() => options.fire(request))
        .catch(error => (options.onError ?? defaultOnError)(error, request))
    })
    entry.job = job
  }

  return {
    kind: 'local',

    async put(schedule) {
      const previous = entries.get(schedule.name)
      if (previous) disarm(previous)
      const at = now()
      const entry: Entry = { schedule, anchor: at }
      entries.set(schedule.name, entry)
      arm(entry, at)
      // No modification time: nothing but this process changes these schedules, so there is no drift to detect.
      return {}
    },

    async remove(name) {
      const entry = entries.get(name)
      if (entry) disarm(entry)
      entries.delete(name)
    },

    async* list(): AsyncGenerator<LiveSchedule> {
      for (const entry of [...entries.values()]) {
        yield { name: entry.schedule.name, state: entry.schedule.state, targetArn: entry.schedule.targetArn }
      }
    },

    async get(name) {
      return entries.get(name)?.schedule ?? null
    },

    nextFire(name) {
      return entries.get(name)?.next ?? null
    },

    async close() {
      closed = true
      for (const entry of entries.values()) disarm(entry)
      entries.clear()
    },
  }
}

function defaultOnError(error: unknown, request: LocalFire) {
  console.error(`[ouroboros] local schedule of rule '${request.rule}' failed to run:`, error)
}
