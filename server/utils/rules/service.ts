// Rule changes that keep the schedule in step: the repository write, then the schedule write,
// and what to do when the schedule service fails in between.
import type { Rule, RuleDraft } from '#shared/schemas/rule'
import { ScheduleBackendError } from '../errors'
import { syncRuleSchedule } from '../schedules/sync'
import type { ScheduleDeps } from '../schedules/sync'
import type { RuleChange } from './repository'

const RECONCILER = 'the reconciler (every 10 minutes locally, daily in AWS, or now with POST /api/admin/reconcile)'

/** Creates a rule and its schedule; if the schedule cannot be created, the rule is taken back out. */
export async function createRule(deps: ScheduleDeps, draft: RuleDraft & { regions: string[] }): Promise<Rule> {
  const rule = await deps.rules.create(draft)
  try {
    await syncRuleSchedule(deps, rule)
  }
  catch (e) {
    if (!(e instanceof ScheduleBackendError)) throw e
    // Put things back as they were. Should even this fail, the rule stays 'pending' and the reconciler creates its schedule.
    const undone = await deps.rules.remove(rule.name, rule.version).then(() => true, () => false)
    throw new ScheduleBackendError(undone
      ? `${e.message}. The rule was not created: try again.`
      : `${e.message}. The rule was saved as 'pending' until ${RECONCILER} creates its schedule.`, e)
  }
  return deps.rules.get(rule.name)
}

/** Applies a saved change to the rule's schedule; on failure the rule stays 'pending' for the reconciler. */
async function followSchedule(deps: ScheduleDeps, rule: Rule): Promise<Rule> {
  try {
    await syncRuleSchedule(deps, rule)
  }
  catch (e) {
    if (!(e instanceof ScheduleBackendError)) throw e
    throw new ScheduleBackendError(`${e.message}. The change to the rule was saved; its schedule is 'pending' until ${RECONCILER} applies it.`, e)
  }
  return deps.rules.get(rule.name)
}

/** Replaces a rule (optimistic locking on `version`) and then its schedule. */
export async function replaceRule(deps: ScheduleDeps, draft: RuleDraft & { regions: string[] }, version: number): Promise<Rule> {
  return followSchedule(deps, await deps.rules.replace(draft, version))
}

/** Enables or disables a rule and its schedule. */
export async function setRuleEnabled(deps: ScheduleDeps, name: string, enabled: boolean, version?: number): Promise<Rule> {
  return followSchedule(deps, await deps.rules.setEnabled(name, enabled, version))
}

/** Turns a rule on or off and/or pauses it; only turning it on or off writes its schedule (a pause is judged when it fires). */
export async function patchRule(deps: ScheduleDeps, name: string, change: RuleChange, version?: number): Promise<Rule> {
  const rule = await deps.rules.patch(name, change, version)
  return change.enabled === undefined ? rule : followSchedule(deps, rule)
}

/** Deletes a rule, then its schedule; a schedule left behind is an orphan the reconciler removes. */
export async function deleteRule(deps: ScheduleDeps, name: string, version?: number): Promise<Rule> {
  const rule = await deps.rules.remove(name, version)
  try {
    await deps.backend.remove(name)
  }
  catch (e) {
    if (!(e instanceof ScheduleBackendError)) throw e
    throw new ScheduleBackendError(`${e.message}. The rule was deleted; ${RECONCILER} removes the schedule left behind.`, e)
  }
  return rule
}
