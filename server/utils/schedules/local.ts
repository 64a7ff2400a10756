// The local backend: the rules' schedules as timers in this process. The shared parser decides
// when a rule fires (AWS cron semantics, time zones, DST); a plain timer waits until then.
import { randomUUID } from 'node:crypto'
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
  timer?: ReturnType<typeof setTimeout>
  next?: Date
}

export type LocalBackend = ScheduleBackend & {
  /** The next time a schedule fires, or null (disabled, finished or unknown). */
  nextFire: (name: string) => Date | null
}

// setTimeout's longest delay (about 24.8 days); a later run waits in several steps.
const MAX_TIMER_MS = 2 ** 31 - 1

/** Creates the in-process backend. */
export function createLocalBackend(options: LocalBackendOptions): LocalBackend {
  const entries = new Map<string, Entry>()
  const now = options.now ?? (() => new Date())
  let closed = false

  function disarm(entry: Entry) {
    clearTimeout(entry.timer)
    entry.timer = undefined
    entry.next = undefined
  }

  // Why not croner: it re-reads the clock when a timer wakes a few ms early (Node counts timers from the
  // event loop's cached time) and can then arm nothing, silently dropping the firing (about 1 in 500-1000
  // under load, measured by bench/local-firing.ts). Here a timer that wakes early simply waits the rest.
  function wait(entry: Entry, due: Date, onDue: () => void) {
    const remaining = due.getTime() - now().getTime()
    if (remaining <= 0) return onDue()
    entry.timer = setTimeout(() => wait(entry, due, onDue), Math.min(remaining, MAX_TIMER_MS))
    entry.timer.unref?.()
  }

  function arm(entry: Entry, from: Date) {
    disarm(entry)
    if (closed || entry.schedule.state !== 'ENABLED') return
    const [next] = nextRuns(entry.schedule.expression, entry.schedule.timezone, { from, count: 1, anchor: entry.anchor })
    if (!next) return
    entry.next = next
    wait(entry, next, () => {
      // Only the current schedule fires: an edited or removed rule never fires on its old timer.
      if (entries.get(entry.schedule.name) !== entry || entry.next !== next) return
      const request: LocalFire = { rule: entry.schedule.name, executionId: randomUUID(), scheduledTime: next.toISOString(), trigger: 'schedule' }
      // The next run counts from this scheduled time, not from the clock, so no run can fire twice.
      arm(entry, next)
      Promise.resolve()
        .then(() => options.fire(request))
        .catch(error => (options.onError ?? defaultOnError)(error, request))
    })
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
