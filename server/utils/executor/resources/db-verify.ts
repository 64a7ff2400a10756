// Verifying databases (RDS instances, Aurora clusters): they take minutes to stop or start, so a run reads their states
// until each is `stopped` (stop) or `available` (start), or a bounded wait (NUXT_DB_VERIFY_TIMEOUT_SECONDS) is over.
// One still on its way is logged `stopping`/`starting`, in progress, not done and not failed; the follow-up check
// completes it. One that went back (AWS accepted, then undid it) is failed.
import type { ExecutorDeps, RunSpec } from '../deps'
import { defaultSleep } from './wait'
import type { Verdict } from './types'

/** Reads the states of databases by id; an id missing from the answer no longer exists. */
export type ReadDbStates = (ids: string[]) => Promise<Record<string, string>>

export const DEFAULT_DB_VERIFY_TIMEOUT_SECONDS = 60

// The states a database passes through on its way: it has not got there yet, and has not gone back either.
const ON_THE_WAY: Record<RunSpec['action'], Set<string>> = {
  stop: new Set(['stopping', 'available', 'backing-up', 'modifying']),
  start: new Set(['starting', 'stopped', 'configuring-enhanced-monitoring', 'configuring-iam-database-auth', 'configuring-log-exports', 'upgrading', 'backing-up', 'modifying', 'rebooting']),
}
const TARGET: Record<RunSpec['action'], string> = { stop: 'stopped', start: 'available' }
const IN_PROGRESS: Record<RunSpec['action'], Verdict['outcome']> = { stop: 'stopping', start: 'starting' }

/**
 * Polls until every database has reached the action's state or the wait is over. A stop read `available` again after
 * `stopping` went back (AWS refused it after accepting, e.g. for storage problems); so did a start read `stopped`
 * after `starting`. Answers one verdict per id, in order.
 */
export async function verifyDatabases(deps: ExecutorDeps, action: RunSpec['action'], initial: Record<string, string | undefined>, read: ReadDbStates): Promise<Verdict[]> {
  const ids = Object.keys(initial)
  const target = TARGET[action]
  const timeoutMs = (deps.execution.dbVerifyTimeoutSeconds ?? DEFAULT_DB_VERIFY_TIMEOUT_SECONDS) * 1000
  const now = () => (deps.now?.() ?? new Date()).getTime()
  const sleep = deps.sleep ?? defaultSleep
  const deadline = now() + timeoutMs
  const last = new Map(ids.map(id => [id, initial[id]]))
  const moving = new Set(ids.filter(id => initial[id] === IN_PROGRESS[action]))
  // A Stop/Start answer that already says the target state needs no read (moto's are instant, and so is a stop of
  // an instance AWS had stopped meanwhile): only the others are read, all in one batched Describe per poll.
  const done = new Map<string, Verdict>(ids.filter(id => initial[id] === target).map(id => [id, { instanceId: id, state: target, reached: true }]))
  let readError: string | undefined
  const open = () => ids.filter(id => !done.has(id))
  while (open().length > 0) {
    let states: Record<string, string>
    try {
      states = await read(open())
    }
    catch (error) {
      readError = (error as Error)?.message ?? String(error)
      break
    }
    for (const id of open()) {
      const state = states[id]
      last.set(id, state)
      if (state === target) done.set(id, { instanceId: id, state, reached: true })
      else if (state === undefined || state === 'deleting' || state === 'failed') {
        done.set(id, { instanceId: id, state, reached: false, reason: state ? `was ${state} meanwhile` : 'no longer exists' })
      }
      else if (state === IN_PROGRESS[action]) moving.add(id)
      else if (moving.has(id) && state === (action === 'stop' ? 'available' : 'stopped')) {
        done.set(id, { instanceId: id, state, reached: false, reason: `went back to ${state} after ${IN_PROGRESS[action]}: AWS did not complete the ${action}` })
      }
    }
    const left = deadline - now()
    if (open().length === 0 || left <= 0) break
    await sleep(Math.min(deps.verifyIntervalMs ?? 5000, left))
  }
  const why = readError ? `the states could not be read (${readError})` : `the wait of ${Math.round(timeoutMs / 1000)}s was over`
  for (const id of open()) {
    const state = last.get(id)
    if (state !== undefined && ON_THE_WAY[action].has(state)) {
      done.set(id, { instanceId: id, state, reached: true, outcome: IN_PROGRESS[action], reason: `still ${state} when ${why}: AWS accepted the ${action}, and the follow-up check records how it ends` })
    }
    else done.set(id, { instanceId: id, state, reached: false, reason: `not ${target} when ${why} (last seen ${state ?? 'unknown'})` })
  }
  return ids.map(id => done.get(id)!)
}
