// What the executor is given (its dependencies, injectable) and what it runs (a rule's settings, or a preview's).
import type { LogEntry } from '#shared/schemas/log'
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { RDSClient } from '@aws-sdk/client-rds'
import type { AutoScalingClient } from '@aws-sdk/client-auto-scaling'
import type { Filter } from '#shared/filters'
import type { ResourceType } from '#shared/resource-types'
import type { ServerConfig } from '../config'
import type { LogsRepository } from '../logs'
import type { RunJournal } from '../run-journal'
import type { RulesRepository } from '../rules/repository'
import type { AwsCredentials } from '../aws/credentials'
import type { BackoffOptions } from '../aws/retry'
import type { Limiter } from '../concurrency'
import type { CredentialsResolver } from './credentials'
import type { OrganizationsResolver } from '../organizations/resolver'
import type { RevertDeps, TagOverrideNotifier } from './revert-record'
import type { OverridesRepository } from '../overrides/repository'
import type { InstanceAction } from './find'
import type { CalendarSkipDeps } from './calendar-skip'

/** Makes (or reuses) the EC2 client for an account and region; no credentials means the app's own. */
export type Ec2ClientFactory = (accountId: string, region: string, credentials?: AwsCredentials) => EC2Client

/** Makes (or reuses) the RDS client for an account and region; may load the SDK first, so a run without databases never does. */
export type RdsClientFactory = (accountId: string, region: string, credentials?: AwsCredentials) => RDSClient | Promise<RDSClient>

/** Makes (or reuses) the Auto Scaling client for an account and region, loading the SDK on first use. */
export type AutoScalingClientFactory = (accountId: string, region: string, credentials?: AwsCredentials) => AutoScalingClient | Promise<AutoScalingClient>

/** What arms a follow-up check: its timers (the reverts' kind, keyed `followup#<eventId>`). */
export interface FollowUpTimers {
  put: (item: { key: string, at: string }) => Promise<void>
  /** Whether its timer or schedule is there as `put` would write it (the reconciler's question); without it, the reconciler puts again. */
  check?: (item: { key: string, at: string }) => Promise<'in-sync' | 'drift' | 'missing'>
}

/** The settings of the other resource types, each with its default (the config's NUXT_* variables set them in the app). */
export interface ResourceSettings {
  /** NUXT_SAVED_CAPACITY_TAG: the tag key in which a stopped Auto Scaling group keeps `min,desired,max`; default ouroboros:saved-capacity. */
  savedCapacityTag?: string
  /** NUXT_DB_VERIFY_TIMEOUT_SECONDS: how long a run waits for databases to stop or start before logging them in progress; default 60. */
  dbVerifyTimeoutSeconds?: number
}

/** Everything the executor needs, injectable: the app wires the real ones in services.ts, tests their own. */
export interface ExecutorDeps extends CalendarSkipDeps {
  rules: Pick<RulesRepository, 'get'>
  /** With `markFollowUp` and the others, the follow-up checks waiting are recorded, so the reconciler re-arms a lost one. */
  logs: Pick<LogsRepository, 'get' | 'put' | 'claim' | 'release'> & Partial<Pick<LogsRepository, 'complete' | 'markFollowUp' | 'clearFollowUp' | 'followUpsWaiting' | 'heartbeat'>>
  /** The journal of runs over several accounts (run-journal.ts): without it, a killed run is redone from its start. */
  journal?: Pick<RunJournal, 'open' | 'head' | 'record' | 'recorded' | 'close' | 'chunkDone'>
  /**
   * Starts chunk `chunk` of a run that fans out, in an invocation of its own (Lambda, asynchronously); without it, a
   * run works all its accounts itself. With it, a run over more than `execution.runChunkAccounts` accounts fans out.
   */
  dispatch?: (event: { eventId: string, chunk: number }) => Promise<void>
  /** The per-instance overrides made through the API; without them, only the override tag is read. */
  overrides?: Pick<OverridesRepository, 'activeIn'>
  /** The reverts of overridden instances: recorded and armed when a run skips one; without them, none is. */
  reverts?: RevertDeps
  /** Without `overrideTag`, no instance tag is read as an override. */
  execution: Omit<ServerConfig['execution'], 'overrideTag' | 'organizationRoleArn' | 'runChunkAccounts' | keyof ResourceSettings> & { overrideTag?: string, runChunkAccounts?: number } & ResourceSettings
  /** The app's region: the preview's default region. */
  region: string
  credentials: CredentialsResolver
  /** Reads the accounts beneath rules' organizational units; without it (no NUXT_ORGANIZATION_ROLE_ARN), OUs reach no account and the log says so. */
  organizations?: OrganizationsResolver
  ec2: Ec2ClientFactory
  /** For rules of rds or aurora; a run that needs it without it fails that region, saying so. */
  rds?: RdsClientFactory
  /** For rules of asg. */
  autoScaling?: AutoScalingClientFactory
  /** The follow-up checks of databases still stopping or starting when a run ends; without them, none is armed. */
  followUps?: FollowUpTimers
  /** How long after the run a follow-up looks again; default 15 minutes. */
  followUpDelayMs?: number
  /** Bounds account-regions in flight; share one across runs to bound the process. Default: one per run of `execution.concurrency`. */
  limiter?: Limiter
  now?: () => Date
  sleep?: (ms: number) => Promise<void>
  /** The pause between two verification reads; default 5 s. */
  verifyIntervalMs?: number
  /** Backoff of throttled calls (sleep and random injectable). */
  backoff?: Partial<BackoffOptions>
  newId?: () => string
  logger?: Pick<Console, 'info' | 'warn'>
  /** How often a run's claim is renewed (once.ts); default 20 s. */
  heartbeatMs?: number
  /** Called once the run's log entry is written, a redelivery's too (notifications/deliver.ts); its failure is its own. */
  notify?: (entry: LogEntry) => Promise<unknown>
  /** Called when a run records the revert of a skip-until tag's override: `override.created` (revert-record.ts). */
  notifyTagOverride?: TagOverrideNotifier
  /** Called once a follow-up check completed a run's log (`before` as it was): what it changed is notified. */
  notifyFollowUp?: (before: LogEntry, after: LogEntry) => Promise<unknown>
}

/** What is run: a rule's settings (or a preview's). */
export interface RunSpec {
  /** Empty for a preview of settings that are not a stored rule. */
  ruleName: string
  accountId: string
  regions: string[]
  action: InstanceAction
  hibernate: boolean
  filters: Filter[]
  /** The kinds of resource the rule acts on; EC2 instances when absent. */
  resourceTypes?: readonly ResourceType[]
  /** The rule's time zone, in which an override tag's date ends; UTC for a preview of settings. */
  timezone?: string
  /** A run (not a preview): when its rule's firing asked for the action; an overridden instance's revert gets it. */
  askedAt?: string
}
