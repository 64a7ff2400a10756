// A run log entry: one per execution of a rule, with one target per instance.
import type { Filter } from '../filters'
import type { DeliveryRecord } from './channel'
import type { ResourceType } from '../resource-types'
import type { OverrideSource } from './override'

// `skipped`: the rule fired on a day its calendars hold, or while it was paused, and did nothing (no AWS call).
export const LOG_STATUSES = ['succeeded', 'partial', 'failed', 'nothing-to-do', 'skipped'] as const
export type LogStatus = typeof LOG_STATUSES[number]

export const TRIGGERS = ['schedule', 'manual'] as const
export type Trigger = typeof TRIGGERS[number]
/** What started a logged run: a schedule, a person, or the end of an override (a revert, never asked for directly). */
export type LogTrigger = Trigger | 'revert'

/** What became of one resource: `stopping`/`starting` is a database still on its way when the run's wait ended. */
export const TARGET_OUTCOMES = ['started', 'stopped', 'hibernated', 'stopping', 'starting', 'skipped', 'failed'] as const
export type TargetOutcome = typeof TARGET_OUTCOMES[number]

export interface LogTarget {
  /** The resource's id in its service: an EC2 instance id, a DB instance or cluster identifier, a group name. */
  instanceId: string
  region: string
  /** The resource's account; absent in runs logged before rules over several accounts (the entry's accountId). */
  accountId?: string
  /** The kind of resource; absent for an EC2 instance (as in every log written before there were others). */
  resourceType?: ResourceType
  name?: string
  /** The EC2 instance type (t3.micro): what savings are priced by. */
  instanceType?: string
  /** A database's engine, e.g. postgres or aurora-mysql. */
  engine?: string
  /**
   * An Auto Scaling group's capacity that a stop saves (or saved earlier) and a start restores, `min,desired,max` as in
   * its saved-capacity tag: the savings count its hours once per instance of `desired`.
   */
  savedCapacity?: string
  stateBefore?: string
  stateAfter?: string
  outcome: TargetOutcome
  reason?: string
  error?: string
}

/** A region (or the whole account) that could not be worked on, and why. */
export interface RegionError {
  /** The account, in runs over several; '' with region '' when the organization could not be read. */
  accountId?: string
  region: string
  message: string
}

/** How many outcomes of each kind (only those that occur). */
export type OutcomeCounts = Partial<Record<TargetOutcome, number>>

/** A run's exact counts of outcomes: in all, and by account, region and resource type (`ec2` for EC2). */
export interface LogCountsBy {
  outcome: OutcomeCounts
  account: Record<string, OutcomeCounts>
  region: Record<string, OutcomeCounts>
  resourceType: Record<string, OutcomeCounts>
}

export interface LogCounts {
  total: number
  acted: number
  skipped: number
  failed: number
}

/**
 * Why a run that did nothing skipped its firing: the calendar day it fell on (local date in the rule's zone), or the
 * pause of the rule (until when, UTC ISO 8601).
 */
export type LogSkip
  = | { kind: 'calendar', date: string, calendar: string, label: string }
    | { kind: 'pause', until: string }

/** What a revert run did: at the end of `override`, the instance got the state `rule` asked for at `askedAt`. */
export interface LogRevert {
  override: OverrideSource
  rule: string
  askedAt: string
  instanceId: string
}

export interface LogEntry {
  eventId: string
  ruleName: string
  trigger: LogTrigger
  scheduledTime: string | null
  startedAt: string
  finishedAt: string
  /** The rule's action; 'unknown' only when the rule no longer existed when it fired. */
  action: 'start' | 'stop' | 'unknown'
  /**
   * The rule's account when it names exactly one and no organizational unit, as in every run logged before rules over
   * several accounts; empty otherwise (see accountIds), and when the rule no longer existed when it fired.
   */
  accountId: string
  /** The accounts the run worked on: the rule's, and those beneath its units when it ran, less the excluded ones. */
  accountIds?: string[]
  /** The rule's organizational units, when it names some. */
  organizationalUnits?: string[]
  regions: string[]
  filters: Filter[]
  /** The rule's resource types when it named them; absent: EC2 instances. */
  resourceTypes?: ResourceType[]
  status: LogStatus
  /** Why the run failed, was partial or was skipped, in one readable line. */
  message?: string
  /** A skipped run: the calendar day its firing fell on (in the run's detail; lists carry the message only). */
  skip?: LogSkip
  /** Every target's outcome (a run's detail answers its first page, and `targetsCursor` to page on). */
  targets: LogTarget[]
  counts: LogCounts
  /** The counts of the outcomes by kind, account, region and resource type (absent in logs written before them). */
  countsBy?: LogCountsBy
  /** A revert: the override whose end it follows, and the rule's firing whose state the instance gets. */
  revert?: LogRevert
  /** Regions that could not be worked on; their instances are not in `targets`. */
  errors?: RegionError[]
  /** The follow-up check of the databases still stopping or starting when the run ended: when it ran, and when it is due. */
  followUp?: { due: string, checkedAt?: string }
  /** Logs written before outcomes were paged: targets left out to keep the entry in one item; counts include them. */
  targetsOmitted?: number
  /** The run's notifications, one per channel (in the run's detail only; stored beside the run, expiring with it). */
  notifications?: DeliveryRecord[]
}

/** A log entry in a list: the targets are left out (fetch one run for them). */
export type LogSummary = Omit<LogEntry, 'targets' | 'countsBy'>

/** A run's detail: its header, the first page of its outcomes, and the cursor to the next (null: no more). */
export type LogHead = Omit<LogEntry, 'countsBy'> & { countsBy: LogCountsBy, targetsCursor: string | null }

/** A page of a run's outcomes (GET /api/logs/:eventId/targets); `total`: how many match, when the counts say it. */
export interface TargetPage {
  items: LogTarget[]
  cursor: string | null
  total: number | null
}
