// What the rules routes answer: a rule as the API shows it, and one rule in full with its next runs.
import { z } from 'zod'
import { RESOURCE_TYPES } from '../resource-types'
import { FilterAnswer, InstantText, pageOf } from './common'

export const ScheduleStatusAnswer = z.enum(['in-sync', 'pending', 'drift'])
  .describe('in-sync: the schedule matches the rule; pending: a change is not yet applied; drift: it differs')

/** A rule as the API answers it: filters in both forms, and the state of its schedule. */
export const RuleViewAnswer = z.object({
  name: z.string(),
  description: z.string().optional(),
  accountIds: z.array(z.string()).describe('the explicit accounts (a rule stored with one accountId answers it here)'),
  organizationalUnits: z.array(z.string()).describe('units whose active accounts the rule reaches, resolved when it runs'),
  excludeAccountIds: z.array(z.string()),
  regions: z.array(z.string()),
  action: z.enum(['start', 'stop']),
  hibernate: z.boolean(),
  resourceTypes: z.array(z.enum(RESOURCE_TYPES)).optional().describe('absent: EC2 instances only'),
  filters: z.array(FilterAnswer),
  filterText: z.string().describe('the filters as text: tag:Name=web,vpc-id=vpc-1'),
  allInstances: z.boolean(),
  scheduleExpression: z.string(),
  timezone: z.string(),
  enabled: z.boolean(),
  skipCalendars: z.array(z.string()),
  pausedUntil: InstantText.optional().describe('firings before this instant do nothing'),
  createdAt: InstantText,
  updatedAt: InstantText,
  version: z.number().int(),
  scheduleStatus: ScheduleStatusAnswer,
  nextRun: z.string().nullable().optional().describe('the next run that will act, ISO 8601 in the rule\'s time zone; null when there is none'),
  reach: z.object({
    accounts: z.number().int().describe('the accounts beneath its units and its explicit ones, less the excluded'),
    resolvedAt: InstantText.describe('when the oldest of its units was read from AWS Organizations'),
  }).optional().describe('in the list, for a rule whose units have all been resolved (at a run or a preview)'),
})

export const RulePageAnswer = pageOf(RuleViewAnswer)

/** `GET /api/rules/:name`: the rule, its next runs that will act (or why there is none), and what its calendars skip. */
export const RuleDetailAnswer = RuleViewAnswer.extend({
  nextRuns: z.array(z.string()).describe('the next 5 runs that will act, ISO 8601 in the rule\'s time zone'),
  nextSkips: z.array(z.object({ at: z.string(), reason: z.string() })),
  nextRunsNote: z.string().optional().describe('why there is no next run'),
  missingCalendars: z.array(z.string()).optional().describe('calendars the rule names that no longer exist'),
  completed: z.boolean().describe('a one-time at() rule that has run or was skipped'),
})

/** `POST /api/admin/reconcile`: what the reconcile found and repaired. */
export const ReconcileAnswer = z.object({
  rules: z.number().int(),
  schedules: z.number().int(),
  created: z.array(z.string()),
  updated: z.array(z.string()),
  deleted: z.array(z.string()),
  unchanged: z.number().int(),
  errors: z.array(z.object({ name: z.string(), message: z.string() })),
  durationMs: z.number(),
  reverts: z.object({
    inSync: z.number().int().describe('reverts whose one-time schedule was as it should be'),
    armed: z.number().int().describe('armed again: the schedule was missing or fired at another time'),
    removed: z.number().int().describe('schedules no revert waits for, removed'),
    ran: z.number().int().describe('reverts run now: their time had come, or their skip-until tag is gone'),
    moved: z.number().int().describe('moved to the new end of their skip-until tag'),
    errors: z.array(z.object({ revert: z.string(), message: z.string() })),
  }).optional().describe('the reverts waiting for overrides\' ends, repaired too'),
  followUps: z.object({
    inSync: z.number().int().describe('follow-up checks ahead whose timer or schedule was there'),
    armed: z.number().int().describe('armed again: the timer or schedule was missing, or fired at another time'),
    ran: z.number().int().describe('checks run now: their time had come and they had not run'),
    errors: z.array(z.object({ eventId: z.string(), message: z.string() })),
  }).optional().describe('the follow-up checks of databases still stopping or starting, repaired too'),
  runs: z.object({
    resumed: z.array(z.string()).describe('runs over several accounts that were interrupted, taken over and finished'),
    dispatched: z.array(z.string()).describe('interrupted runs that fanned out: their chunks not done, started again'),
    abandoned: z.array(z.string()).describe('interrupted runs over an hour old: logged with the account-regions they did not reach'),
    running: z.array(z.string()).describe('runs still held by a live delivery'),
    closed: z.array(z.string()).describe('journals of runs already logged, deleted'),
  }).optional().describe('the runs over several accounts that no delivery finished'),
  savings: z.object({
    examined: z.number().int().describe('the runs of the last two days looked at'),
    replayed: z.number().int().describe('runs whose savings record was lost, recorded now (once: a run never counts twice)'),
    errors: z.array(z.object({ eventId: z.string(), message: z.string() })),
    gone: z.object({
      examined: z.number().int().describe('EC2 instances off because of a rule, looked up by id'),
      closed: z.number().int().describe('of them, found terminated or gone: their hours stop now'),
      errors: z.array(z.object({ accountId: z.string(), region: z.string(), message: z.string() })),
    }),
  }).optional().describe('the savings of runs whose record was lost, replayed from their logs, and of instances terminated while off, closed'),
})

export type RuleViewAnswerType = z.output<typeof RuleViewAnswer>
export type RuleDetail = z.output<typeof RuleDetailAnswer>
