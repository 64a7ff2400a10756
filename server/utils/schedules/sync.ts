// Keeps each rule's schedule equal to the rule: one rule at a time (after an API change)
// or all of them (the reconciler), repairing missing, orphan and drifted schedules.
import type { Rule, ScheduleStatus } from '#shared/schemas/rule'
import { RuleNotFound } from '../errors'
import { mapWithConcurrency } from '../concurrency'
import type { RulesRepository } from '../rules/repository'
import type { LiveSchedule, ScheduleBackend } from './backend'
import { desiredSchedule, scheduleHash } from './spec'
import type { DesiredSchedule, SchedulerSettings } from './spec'

export interface ScheduleDeps {
  rules: RulesRepository
  backend: ScheduleBackend
  settings: SchedulerSettings
}

/**
 * Writes the rule's schedule, then records it on the rule (only if the rule is still that version).
 * If the rule was deleted meanwhile, removes the schedule again. Throws ScheduleBackendError.
 */
export async function syncRuleSchedule(deps: ScheduleDeps, rule: Rule, hint?: { exists?: boolean }): Promise<void> {
  const desired = desiredSchedule(rule, deps.settings)
  const hash = scheduleHash(desired)
  const { modifiedAt } = await deps.backend.put(desired, hint)
  // Already recorded (the local scheduler reloading at start): skip the write.
  const sync = rule.schedule
  if (sync?.status === 'in-sync' && sync.hash === hash && sync.modifiedAt === modifiedAt) return
  const recorded = await deps.rules.markScheduleSynced(rule.name, rule.version, { status: 'in-sync', hash, modifiedAt })
  if (recorded) return
  try {
    await deps.rules.get(rule.name)
  }
  catch (e) {
    if (e instanceof RuleNotFound) await deps.backend.remove(rule.name)
    else throw e
  }
}

/** The state of one rule's schedule, reading the live schedule (one call) to detect drift. */
export async function scheduleStatusOf(deps: ScheduleDeps, rule: Rule): Promise<ScheduleStatus> {
  if (rule.schedule?.status !== 'in-sync') return 'pending'
  const live = await deps.backend.get(rule.name)
  if (!live) return 'drift'
  return scheduleHash(live) === scheduleHash(desiredSchedule(rule, deps.settings)) ? 'in-sync' : 'drift'
}

export interface ReconcileReport {
  rules: number
  schedules: number
  created: string[]
  updated: string[]
  deleted: string[]
  unchanged: number
  errors: { name: string, message: string }[]
  durationMs: number
}

type Repair = { kind: 'create' | 'update', rule: Rule } | { kind: 'delete', name: string } | { kind: 'record', rule: Rule, live: LiveSchedule }

/** Decides, from the list alone where it can, whether a rule's schedule needs a write. */
async function needsWrite(deps: ScheduleDeps, rule: Rule, desired: DesiredSchedule, live: LiveSchedule): Promise<'write' | 'record' | 'ok'> {
  const sync = rule.schedule
  if (sync?.status !== 'in-sync' || sync.hash !== scheduleHash(desired)) return 'write'
  if (live.state !== desired.state || (live.targetArn !== undefined && live.targetArn !== desired.targetArn)) return 'write'
  if (live.modifiedAt === sync.modifiedAt) return 'ok'
  // Changed since our write: read it in full and compare.
  const full = await deps.backend.get(rule.name)
  if (!full || scheduleHash(full) !== sync.hash) return 'write'
  return 'record'
}

/**
 * Compares every rule with every schedule in the group and repairs each difference.
 * Schedules are listed before rules, so a rule created during the run is never taken for an orphan.
 */
export async function reconcileSchedules(deps: ScheduleDeps, concurrency = 4): Promise<ReconcileReport> {
  const started = Date.now()
  const live = new Map<string, LiveSchedule>()
  for await (const s of deps.backend.list()) live.set(s.name, s)
  const rules: Rule[] = []
  for await (const r of deps.rules.all()) rules.push(r)

  const report: ReconcileReport = { rules: rules.length, schedules: live.size, created: [], updated: [], deleted: [], unchanged: 0, errors: [], durationMs: 0 }
  const repairs: Repair[] = []
  const ruleNames = new Set(rules.map(r => r.name))
  await mapWithConcurrency(rules, concurrency, async (rule) => {
    const schedule = live.get(rule.name)
    if (!schedule) {
      repairs.push({ kind: 'create', rule })
      return
    }
    try {
      const verdict = await needsWrite(deps, rule, desiredSchedule(rule, deps.settings), schedule)
      if (verdict === 'write') repairs.push({ kind: 'update', rule })
      else if (verdict === 'record') repairs.push({ kind: 'record', rule, live: schedule })
      else report.unchanged++
    }
    catch (e) {
      report.errors.push({ name: rule.name, message: (e as Error).message })
    }
  })
  for (const name of live.keys()) if (!ruleNames.has(name)) repairs.push({ kind: 'delete', name })

  await mapWithConcurrency(repairs, concurrency, async (repair) => {
    const name = repair.kind === 'delete' ? repair.name : repair.rule.name
    try {
      if (repair.kind === 'delete') {
        // Check once more with a consistent read before deleting what looks like an orphan.
        const exists = await deps.rules.get(name).then(() => true, (e) => {
          if (e instanceof RuleNotFound) return false
          throw e
        })
        if (exists) return
        await deps.backend.remove(name)
        report.deleted.push(name)
      }
      else if (repair.kind === 'record') {
        await deps.rules.markScheduleSynced(name, repair.rule.version, { ...repair.rule.schedule!, modifiedAt: repair.live.modifiedAt })
        report.unchanged++
      }
      else {
        // A schedule missing from the list is created straight away, without trying an update first.
        await syncRuleSchedule(deps, repair.rule, repair.kind === 'create' ? { exists: false } : undefined)
        report[repair.kind === 'create' ? 'created' : 'updated'].push(name)
      }
    }
    catch (e) {
      report.errors.push({ name, message: (e as Error).message })
    }
  })
  for (const list of [report.created, report.updated, report.deleted]) list.sort()
  report.durationMs = Date.now() - started
  return report
}
