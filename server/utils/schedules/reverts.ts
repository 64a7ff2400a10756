// When an override ends, its revert runs: in AWS through a one-time EventBridge Scheduler schedule (`at()`, deleted by
// Scheduler once it has fired) that invokes the Lambda with an `ouroboros.revert` payload; locally through a timer in
// this process. One schedule per instance, in a group of its own: the rules' reconciler deletes every schedule of the
// rules' group that no rule owns, and a rule's name could be any schedule name.
import { createHash } from 'node:crypto'
import { CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, GetScheduleCommand, GetScheduleGroupCommand, ListSchedulesCommand, UpdateScheduleCommand } from '@aws-sdk/client-scheduler'
import type { CreateScheduleCommandInput, SchedulerClient } from '@aws-sdk/client-scheduler'
import { ScheduleBackendError } from '../errors'
import type { SchedulerSettings } from './spec'

/** What a revert's firing carries: which revert, for which time (a revert moved since then is not run). */
export interface RevertFire {
  revert: string
  at: string
  executionId: string
}

export interface RevertTimers {
  readonly kind: 'local' | 'eventbridge'
  /** Arms (or moves) the one revert of an instance at `at`. Throws ScheduleBackendError. */
  put: (revert: { key: string, at: string }) => Promise<void>
  /** The names (revertScheduleName) of every revert's schedule or timer armed now, for the reconciler. */
  armed: () => AsyncGenerator<string>
  /** Whether the revert's schedule is there as `put` would write it; drift when it fires at another time or with another Input. */
  check: (revert: { key: string, at: string }) => Promise<'in-sync' | 'drift' | 'missing'>
  /** Deletes the schedule (or timer) of that name: one no revert waits for. A missing one is no error. */
  remove: (name: string) => Promise<void>
  close: () => Promise<void>
}

// What a schedule's name may hold (EventBridge Scheduler: 1-64 of [0-9a-zA-Z-_.]); the name's parts are split at dots.
const NAME_PART = /^[\w-]+$/
const MAX_NAME = 64

/**
 * The schedule of a revert (Scheduler's names take [0-9a-zA-Z-_.], 64 at most): an EC2 instance's is
 * `i-0abc….123456789012.eu-west-1`, another type's `rds.orders.123456789012.eu-west-1`; a DB identifier or group name
 * that does not fit (a group's name may hold spaces, and 255 characters) is `asg.h<40 hex of the key>`.
 */
export function revertScheduleName(key: string): string {
  const [, accountId, region, resource = ''] = key.split('#')
  const typed = /^(rds|aurora|asg):(.*)$/s.exec(resource)
  if (!typed) return `${resource}.${accountId}.${region}`
  const [, type, id] = typed as unknown as [string, string, string]
  const plain = `${type}.${id}.${accountId}.${region}`
  return NAME_PART.test(id) && plain.length <= MAX_NAME ? plain : `${type}.h${createHash('sha256').update(key).digest('hex').slice(0, 40)}`
}

/** The revert key a schedule's name stands for (the inverse of revertScheduleName), or null for another name or a hashed one. */
export function revertKeyOfSchedule(name: string): string | null {
  const parts = name.split('.')
  if (parts.length === 4 && /^(?:rds|aurora|asg)$/.test(parts[0]!) && parts.every(Boolean)) return `revert#${parts[2]}#${parts[3]}#${parts[0]}:${parts[1]}`
  const [instanceId, accountId, region, ...rest] = parts
  return instanceId && accountId && region && rest.length === 0 ? `revert#${accountId}#${region}#${instanceId}` : null
}

/** The payload Scheduler sends the Lambda for a revert; it fills in the execution id. */
export function revertInput(revert: { key: string, at: string }): string {
  return JSON.stringify({ kind: 'ouroboros.revert', revert: revert.key, at: revert.at, executionId: '<aws.scheduler.execution-id>' })
}

/** `at(2026-12-24T18:00:00)` in UTC: Scheduler's one-time expression takes whole seconds. */
export function revertExpression(at: string): string {
  return `at(${new Date(Math.ceil(Date.parse(at) / 1000) * 1000).toISOString().slice(0, 19)})`
}

const notFound = (e: unknown) => (e as Error)?.name === 'ResourceNotFoundException'

/** How a kind of one-time schedule names itself and what it sends the Lambda (the reverts', or the follow-ups'). */
export interface OneTimeNaming {
  name: (key: string) => string
  input: (item: { key: string, at: string }) => string
  /** For a failure's message: "revert", "follow-up". */
  what: string
}

const REVERT_NAMING: OneTimeNaming = { name: revertScheduleName, input: revertInput, what: 'revert' }

/**
 * The one-time schedules of reverts in `settings.revertGroup`, aimed at the app's Lambda; with `naming`, another kind
 * of one-time schedule in the same group (the follow-up checks of databases).
 */
export function createEventBridgeRevertTimers(client: SchedulerClient, settings: SchedulerSettings, naming: OneTimeNaming = REVERT_NAMING): RevertTimers {
  const group = settings.revertGroup
  let groupReady: Promise<void> | undefined
  // Look before creating: moto's CreateScheduleGroup replaces an existing group with an empty one.
  const ensureGroup = () => {
    groupReady ??= (async () => {
      try {
        await client.send(new GetScheduleGroupCommand({ Name: group }))
      }
      catch (e) {
        if (!notFound(e)) throw e
        await client.send(new CreateScheduleGroupCommand({ Name: group })).catch((err) => {
          if ((err as Error)?.name !== 'ConflictException') throw err
        })
      }
    })()
    groupReady.catch(() => {
      groupReady = undefined
    })
    return groupReady
  }
  const input = (revert: { key: string, at: string }): CreateScheduleCommandInput => ({
    Name: naming.name(revert.key),
    GroupName: group,
    ScheduleExpression: revertExpression(revert.at),
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    State: 'ENABLED',
    // Fired once, then gone: nothing is left to clean up.
    ActionAfterCompletion: 'DELETE',
    Target: {
      Arn: settings.targetArn,
      RoleArn: settings.roleArn,
      Input: naming.input(revert),
      RetryPolicy: { MaximumRetryAttempts: settings.retryAttempts, MaximumEventAgeInSeconds: settings.maxEventAgeSeconds },
      ...(settings.dlqArn ? { DeadLetterConfig: { Arn: settings.dlqArn } } : {}),
    },
  })
  const failure = (what: string, name: string, e: unknown) => {
    const err = e as Error
    return new ScheduleBackendError(`EventBridge Scheduler could not ${what} the ${naming.what} schedule '${name}': ${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`, e)
  }
  return {
    kind: 'eventbridge',
    async* armed() {
      let NextToken: string | undefined
      do {
        let out
        try {
          out = await client.send(new ListSchedulesCommand({ GroupName: group, MaxResults: 100, NextToken }))
        }
        catch (e) {
          // No group yet: no revert was ever armed.
          if (notFound(e)) return
          throw failure('list', group, e)
        }
        for (const s of out.Schedules ?? []) if (s.Name) yield s.Name
        NextToken = out.NextToken
      } while (NextToken)
    },
    async check(revert) {
      const want = input(revert)
      try {
        const out = await client.send(new GetScheduleCommand({ Name: want.Name, GroupName: group }))
        return out.ScheduleExpression === want.ScheduleExpression && out.Target?.Input === want.Target?.Input && out.Target?.Arn === want.Target?.Arn ? 'in-sync' : 'drift'
      }
      catch (e) {
        if (notFound(e)) return 'missing'
        throw failure('read', want.Name!, e)
      }
    },
    async remove(name) {
      try {
        await client.send(new DeleteScheduleCommand({ Name: name, GroupName: group }))
      }
      catch (e) {
        if (!notFound(e)) throw failure('delete', name, e)
      }
    },
    async put(revert) {
      const schedule = input(revert)
      try {
        try {
          await client.send(new UpdateScheduleCommand(schedule))
        }
        catch (e) {
          if (!notFound(e)) throw e
          await ensureGroup()
          await client.send(new CreateScheduleCommand(schedule))
        }
      }
      catch (e) {
        throw failure('save', schedule.Name!, e)
      }
    },
    async close() {},
  }
}

/**
 * The execution id of a revert fired in this process (its timer, or the reconciler for one overdue): the same for both,
 * so that the claim lets one of them act, and the same log answers the other.
 */
export function localRevertExecutionId(revert: { key: string, at: string }): string {
  return `${revert.key.replaceAll('#', '-')}-${Date.parse(revert.at)}`
}

// setTimeout's longest delay (about 24.8 days); a later revert waits in several steps.
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Reverts as timers in this process; `fire` runs one (its errors go to onError). `executionId` names a firing (the
 * reconciler names an overdue revert's run the same, so the two act once).
 */
export function createLocalRevertTimers(options: {
  fire: (request: RevertFire) => Promise<unknown>
  executionId: (revert: { key: string, at: string }) => string
  onError?: (e: unknown, request: RevertFire) => void
  now?: () => Date
}): RevertTimers {
  const now = options.now ?? (() => new Date())
  const timers = new Map<string, ReturnType<typeof setTimeout>>()
  // The time each armed timer waits for, by key.
  const dueAt = new Map<string, string>()
  let closed = false
  return {
    kind: 'local',
    async* armed() {
      for (const key of [...dueAt.keys()]) yield revertScheduleName(key)
    },
    async check({ key, at }) {
      const armedAt = dueAt.get(key)
      return armedAt === undefined ? 'missing' : armedAt === at ? 'in-sync' : 'drift'
    },
    async remove(name) {
      // By the names armed here: a hashed name has no inverse.
      const key = [...dueAt.keys()].find(k => revertScheduleName(k) === name)
      if (!key) return
      clearTimeout(timers.get(key))
      timers.delete(key)
      dueAt.delete(key)
    },
    async put({ key, at }) {
      clearTimeout(timers.get(key))
      if (closed) return
      dueAt.set(key, at)
      const due = Date.parse(at)
      // A timer that wakes early (Node counts from the loop's cached time) waits the rest, as the rules' timers do.
      const wait = () => {
        const remaining = due - now().getTime()
        if (remaining > 0) {
          const timer = setTimeout(wait, Math.min(remaining, MAX_TIMER_MS))
          timer.unref?.()
          timers.set(key, timer)
          return
        }
        timers.delete(key)
        dueAt.delete(key)
        const request = { revert: key, at, executionId: options.executionId({ key, at }) }
        Promise.resolve().then(() => options.fire(request)).catch(e => (options.onError ?? ((error: unknown) => console.error(`[ouroboros] revert ${key} failed:`, error)))(e, request))
      }
      wait()
    },
    async close() {
      closed = true
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
      dueAt.clear()
    },
  }
}
