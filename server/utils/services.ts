// The process's services, built in this one place and opened on first use: the store and the repositories over it,
// the schedule backend, the access services (keys, limits, audit) and the executor's dependencies.
// No file under server/utils imports this one: each takes what it needs as arguments, so there is no cycle.
import { useSchedulerClient } from './aws/scheduler'
import { useServerConfig } from './config'
import { createLogsRepository } from './logs'
import type { LogsRepository } from './logs'
import { createRunJournal } from './run-journal'
import type { RunJournal } from './run-journal'
import { createRulesRepository } from './rules/repository'
import { createCalendarsRepository } from './calendars/repository'
import { createOverridesRepository } from './overrides/repository'
import { createRevertsRepository } from './overrides/reverts'
import { createEventBridgeRevertTimers, createLocalRevertTimers, localRevertExecutionId } from './schedules/reverts'
import type { RevertTimers } from './schedules/reverts'
import type { RevertDeps } from './executor/revert-record'
import type { OverridesRepository } from './overrides/repository'
import type { CalendarDeps } from './calendars/service'
import type { RulesRepository } from './rules/repository'
import type { ScheduleBackend } from './schedules/backend'
import { createEventBridgeBackend } from './schedules/eventbridge'
import type { ReconcileReport, ScheduleDeps } from './schedules/sync'
import { createSavingsRepository } from './savings/repository'
import type { SavingsRepository } from './savings/repository'
import type { PriceSource } from './savings/prices'
import { openStore } from './store'
import type { Store } from './store'
import { ensureTables } from './tables'
import { bootstrapAdminKey, describeBootstrap } from './access/admin-key'
import { createAccess } from './access/access'
import type { Access } from './access/access'
import { createLimiter } from './concurrency'
import type { Limiter } from './concurrency'
import type { CredentialsResolver } from './executor/credentials'
import type { OrganizationsResolver } from './organizations/resolver'
import type { OrganizationTree } from './organizations/tree'
import { OrganizationRoleMissing } from './organizations/errors'
import { createUnitStore } from './organizations/unit-store'
import type { UnitStore } from './organizations/unit-store'
import type { ExecutorDeps } from './executor/run'
import type { NotificationsRepository } from './notifications/repository'
import type { ChannelDeps } from './notifications/service'
import type { NotifyDeps } from './notifications/deliver'
import type { RevertReconcileReport } from './executor/revert'
import type { LogEntry } from '#shared/schemas/log'
import type { Override, OverrideSource } from '#shared/schemas/override'

export interface Services {
  store: Store
  rules: RulesRepository
  logs: LogsRepository
  /** The journals of runs over several accounts while they run (run-journal.ts). */
  journal: RunJournal
  /** What rule changes need to keep schedules in step. */
  schedules: ScheduleDeps
  /** What calendar changes and reads need: the calendars, and the rules that use them. */
  calendars: CalendarDeps
  /** The per-instance overrides made through the API. */
  overrides: OverridesRepository
  /** The reverts waiting for overrides' ends, and their timers (one-time schedules in AWS). */
  reverts: RevertDeps & { timers: RevertTimers }
  /** The hours avoided (daily aggregates, intervals still open) and where their prices come from. */
  savings: { repository: SavingsRepository, prices: () => Promise<PriceSource> }
  /** Each organizational unit's last resolution (its accounts, and when), shared by every process. */
  units: UnitStore
}

/** The notification channels and what delivering to them needs; loaded on first use only (see useNotifications). */
export interface NotificationServices {
  repository: NotificationsRepository
  channels: ChannelDeps
  delivery: NotifyDeps
}

let services: Promise<Services> | undefined
let prices: Promise<PriceSource> | undefined
let access: Promise<Access> | undefined
let notifications: Promise<NotificationServices> | undefined
// One resolver and one limiter per process: credentials are cached across runs, and concurrent runs
// (many schedules firing at the same minute) share the bound on account-regions in flight.
let resolver: CredentialsResolver | undefined
let limiter: Limiter | undefined
let organizations: OrganizationsResolver | undefined
let organizationTree: OrganizationTree | undefined

/** Opens `open()` once; a failed open is not cached, so the next caller tries again. */
function once<T>(current: Promise<T> | undefined, open: () => Promise<T>, forget: () => void): Promise<T> {
  if (current) return current
  const opened = open()
  opened.catch(forget)
  return opened
}

async function openBackend(): Promise<ScheduleBackend> {
  const { scheduler, region } = useServerConfig()
  if (scheduler.backend === 'eventbridge') return createEventBridgeBackend(useSchedulerClient(region), scheduler.group)
  // Loaded only here: the deployed Lambda (EventBridge) never needs the local timers, and loads the executor
  // only for a run, so neither is parsed on its cold starts.
  const [{ createLocalBackend }, { executeRule }] = await Promise.all([import('./schedules/local'), import('./executor/run')])
  // Locally a schedule runs what the rules:execute task runs for EventBridge Scheduler. Not through runTask:
  // Nitro runs one instance of a task at a time and hands concurrent callers the running one's result,
  // which would skip every other rule firing in the same minute.
  return createLocalBackend({ fire: async request => executeRule(await useExecutorDeps(), { ...request, dryRun: false }) })
}

// Loaded on first use: the CSV parser's schema and the Price List client cost a cold start that answers no savings.
async function openPrices(pricing: ReturnType<typeof useServerConfig>['pricing'], savings: SavingsRepository): Promise<PriceSource> {
  const { awsPrices, csvPrices, noPrices } = await import('./savings/prices')
  if (pricing.source === 'csv') return csvPrices(pricing.file)
  if (pricing.source === 'none') return noPrices
  const { usePricingClient } = await import('./aws/pricing')
  return awsPrices(savings, usePricingClient)
}

function openRevertTimers(): RevertTimers {
  const { scheduler, region } = useServerConfig()
  if (scheduler.backend === 'eventbridge') return createEventBridgeRevertTimers(useSchedulerClient(region), scheduler)
  // Locally a revert's timer runs what the overrides:revert task runs for EventBridge Scheduler.
  return createLocalRevertTimers({
    fire: async (request) => {
      const { runRevert } = await import('./executor/revert')
      return runRevert(await useExecutorDeps(), request)
    },
    executionId: localRevertExecutionId,
  })
}

let followUps: RevertTimers | undefined

/**
 * The follow-up checks of databases still stopping or starting when a run ended: one-time schedules in the reverts'
 * group in AWS, timers in this process locally (the same kinds of timer as the reverts').
 */
async function useFollowUpTimers(): Promise<RevertTimers> {
  if (followUps) return followUps
  const { scheduler, region } = useServerConfig()
  const { followUpInput, followUpScheduleName } = await import('./executor/follow-up-arm')
  followUps = scheduler.backend === 'eventbridge'
    ? createEventBridgeRevertTimers(useSchedulerClient(region), scheduler, { name: followUpScheduleName, input: followUpInput, what: 'follow-up' })
    : createLocalRevertTimers({
        fire: async ({ revert: key }) => {
          const { runFollowUp } = await import('./executor/follow-up')
          return runFollowUp(await useExecutorDeps(), key.replace(/^followup#/, ''))
        },
        executionId: ({ key }) => key,
      })
  return followUps
}

/** The store, repositories and schedule backend of this process; the first call opens the store. */
export function useServices(): Promise<Services> {
  services = once(services, async () => {
    const config = useServerConfig()
    const store = await openStore(config)
    const rules = createRulesRepository(store.doc, config.tables.rules)
    const savings = createSavingsRepository(store.doc, config.tables.savings)
    const { pricing } = config
    return {
      store,
      rules,
      logs: createLogsRepository(store.doc, config.tables.logs, config.logRetentionDays),
      journal: createRunJournal(store.doc, config.tables.logs),
      schedules: { rules, backend: await openBackend(), settings: config.scheduler },
      calendars: { calendars: createCalendarsRepository(store.doc, config.tables.calendars), rules },
      overrides: createOverridesRepository(store.doc, config.tables.overrides),
      reverts: { repository: createRevertsRepository(store.doc, config.tables.overrides), timers: openRevertTimers() },
      savings: {
        repository: savings,
        prices: () => (prices ??= openPrices(pricing, savings)),
      },
      units: createUnitStore(store.doc, config.tables.logs),
    }
  }, () => {
    services = undefined
  })
  return services
}

/**
 * The process's access services (keys, limits, audit), over the store the app already opened. The first call (the
 * bootstrap plugin's, at start) creates the access tables in embedded mode and the first admin key if there is none,
 * and prints how to get in; every /api request waits for it.
 */
export function useAccess(): Promise<Access> {
  access = once(access, async () => {
    const config = useServerConfig()
    const { store } = await useServices()
    // With DynamoDB the tables come from the templates in infra/, like the rules and logs tables.
    if (config.store === 'embedded') await ensureTables(store.client, config.accessTables)
    const opened = createAccess(store.doc, config)
    for (const line of describeBootstrap(await bootstrapAdminKey(config, opened.keys))) console.info(line)
    return opened
  }, () => {
    access = undefined
  })
  return access
}

/** What every notice of this process needs: the channels' services, the deliverer and the subjects, loaded once on first use. */
const noticeKit = () => Promise.all([useNotifications(), import('./notifications/deliver'), import('./notifications/subjects')])

/**
 * The notification channels over the store the app opened. Its code loads with the first channel route or run, never
 * with the process: a Lambda cold start that answers HTTP parses none of it.
 */
export function useNotifications(): Promise<NotificationServices> {
  notifications = once(notifications, async () => {
    const config = useServerConfig()
    const [{ store, rules }, { createNotificationsRepository }] = await Promise.all([useServices(), import('./notifications/repository')])
    const repository = createNotificationsRepository(store.doc, config.tables.notifications)
    return {
      repository,
      channels: { channels: repository, rules, outbound: { allowPrivate: config.notify.allowPrivate } },
      delivery: { repository, settings: config.notify, retentionDays: config.logRetentionDays, region: config.region, retryLater: retryNotificationsLater, logger: console },
    }
  }, () => {
    notifications = undefined
  })
  return notifications
}

let retryLater: Promise<(eventId: string) => Promise<void>> | undefined

/** Arms the retry of a run's pending notifications: a one-time schedule with EventBridge, a timer locally. */
async function retryNotificationsLater(eventId: string): Promise<void> {
  retryLater ??= (async () => {
    const { scheduler, region } = useServerConfig()
    const { eventBridgeRetryLater, localRetryLater } = await import('./notifications/retry-later')
    if (scheduler.backend === 'eventbridge') return eventBridgeRetryLater(useSchedulerClient(region), scheduler)
    return localRetryLater(async (id) => {
      const [{ delivery }, { logs }, { retryRun }] = await Promise.all([useNotifications(), useServices(), import('./notifications/deliver')])
      return retryRun(delivery, logs, id)
    })
  })()
  return (await retryLater)(eventId)
}

/** Sends a run's notifications (after its log is written): the executor's `notify`. A revert's run also ends its override. */
async function notifyRunNow(entry: Parameters<NonNullable<ExecutorDeps['notify']>>[0]): Promise<unknown> {
  const [{ delivery }, { notifyRun, notifySubject }, { revertEndedSubject }] = await noticeKit()
  const ended = revertEndedSubject(delivery, entry)
  return Promise.all([notifyRun(delivery, entry), ended && notifySubject(delivery, ended)])
}

/** Sends what a follow-up check changed in a run (`instance.failed`, its new status): the executor's `notifyFollowUp`. */
async function notifyFollowUpNow(before: LogEntry, after: LogEntry): Promise<unknown> {
  const [{ delivery }, { notifySubject }, { followUpSubject }] = await noticeKit()
  const subject = followUpSubject(delivery, before, after)
  return subject && notifySubject(delivery, subject)
}

/**
 * Tells the channels of `schedule.drift` what a reconcile pass repaired (the rules' schedules by name, the reverts'
 * by count), once per pass, nothing when nothing was repaired; never throws, so it never fails the reconcile.
 */
export async function notifyReconcile(report: ReconcileReport, reverts: RevertReconcileReport): Promise<void> {
  try {
    const [{ delivery }, { notifySubject }, { driftSubject }] = await noticeKit()
    const drift = { created: report.created, updated: report.updated, deleted: report.deleted, reverts: { armed: reverts.armed, ran: reverts.ran, moved: reverts.moved, removed: reverts.removed } }
    const subject = driftSubject(delivery, drift, report.errors.length + reverts.errors.length)
    if (subject) await notifySubject(delivery, subject)
  }
  catch (error) {
    console.warn(`[notifications] the reconcile's drift notice was not sent: ${(error as Error).message}`)
  }
}

/**
 * The reconcile's part after the rules' schedules (`report`), for the task and the admin route alike: the reverts, the
 * databases' follow-up checks and the savings of runs whose record was lost, then `schedule.drift` of what it repaired and `override.ended` of the overrides whose
 * time ran out; the notices never fail it.
 */
export async function reconcileAfterSchedules(report: ReconcileReport) {
  const [{ reconcileReverts }, { reconcileFollowUps }] = await Promise.all([import('./executor/revert'), import('./executor/follow-up-reconcile')])
  const deps = await useExecutorDeps()
  const reverts = await reconcileReverts(deps)
  const followUps = await reconcileFollowUps(deps)
  const runs = await resumeRuns()
  const savings = { ...await replayLostSavings(), gone: await closeGoneSavings(deps) }
  await notifyReconcile(report, reverts)
  await notifyEndedOverrides()
  return { reverts, followUps, runs, savings }
}

/** Finishes, or logs, the runs over several accounts that no delivery finished (executor/run-resume.ts). */
export async function resumeRuns() {
  const [{ resumeInterruptedRuns }, deps, { journal }] = await Promise.all([import('./executor/run-resume'), useExecutorDeps(), useServices()])
  return resumeInterruptedRuns({ ...deps, journal })
}

/** Closes the savings intervals of EC2 instances terminated while off (savings/gone.ts); never throws. */
async function closeGoneSavings(deps: ExecutorDeps) {
  try {
    const [{ savings }, { closeGoneInstances }] = await Promise.all([useServices(), import('./savings/gone')])
    return await closeGoneInstances({ savings: savings.repository, credentials: deps.credentials, ec2: deps.ec2 }, new Date())
  }
  catch (error) {
    return { examined: 0, closed: 0, errors: [{ accountId: '', region: '', message: (error as Error).message }] }
  }
}

/** Replays into the savings the runs of the last two days whose record was lost (savings/replay.ts); never throws. */
async function replayLostSavings() {
  try {
    const [{ logs, savings }, { replayUnrecorded }] = await Promise.all([useServices(), import('./savings/replay')])
    return await replayUnrecorded({ logs, savings: savings.repository }, new Date())
  }
  catch (error) {
    return { examined: 0, replayed: 0, errors: [{ eventId: '', message: (error as Error).message }] }
  }
}

/** How far back the reconcile looks for overrides whose time ran out: more than its longest interval (a day in AWS). */
const ENDED_OVERRIDES_LOOKBACK_MS = 2 * 86_400_000

/**
 * Tells `override.ended` of the API overrides whose time ran out lately (an override ended early, or by its revert, was
 * told then; the notice's key is the override's, so each end is told once, whichever path comes first). Never throws.
 */
export async function notifyEndedOverrides(now = new Date()): Promise<number> {
  try {
    const { overrides } = await useServices()
    const ended = await overrides.endedSince(new Date(now.getTime() - ENDED_OVERRIDES_LOOKBACK_MS))
    if (ended.length === 0) return 0
    const [{ delivery }, { notifySubject }, { apiOverrideDetail, overrideSubject }] = await noticeKit()
    for (const o of ended) await notifySubject(delivery, overrideSubject(delivery, 'ended', { ...apiOverrideDetail(o), ended: `its time ran out at ${o.until}` }))
    return ended.length
  }
  catch (error) {
    console.warn(`[notifications] the ends of overrides were not told: ${(error as Error).message}`)
    return 0
  }
}

/**
 * Tells the channels of `override.created` or `override.ended` of an API override (made, or ended early by `endedBy`);
 * never throws: the override is made or ended whatever the notice does.
 */
export async function notifyOverride(kind: 'created' | 'ended', override: Override & { revertRule?: string }, endedBy?: string): Promise<void> {
  try {
    const [{ delivery }, { notifySubject }, { apiOverrideDetail, overrideSubject }] = await noticeKit()
    const detail = { ...apiOverrideDetail(override), ...(endedBy ? { ended: `ended early by key '${endedBy}'` } : {}) }
    await notifySubject(delivery, overrideSubject(delivery, kind, detail, override.revertRule))
  }
  catch (error) {
    console.warn(`[notifications] override ${override.id}: its ${kind} notice was not sent: ${(error as Error).message}`)
  }
}

/** Tells the channels of `override.created` of a skip-until tag a run of `rule` found; never throws. */
export async function notifyTagOverride(source: OverrideSource, target: { accountId: string, region: string, instanceId: string }, rule: string): Promise<void> {
  try {
    const [{ delivery }, { notifySubject }, { overrideDetail, overrideSubject }] = await noticeKit()
    await notifySubject(delivery, overrideSubject(delivery, 'created', overrideDetail(source, target), rule))
  }
  catch (error) {
    console.warn(`[notifications] the tag override of ${target.instanceId}: its created notice was not sent: ${(error as Error).message}`)
  }
}

let dispatcher: ExecutorDeps['dispatch']

/** The dispatcher of chunks into asynchronous invocations of `functionName`, made once. */
async function useDispatcher(functionName: string, region: string): Promise<NonNullable<ExecutorDeps['dispatch']>> {
  dispatcher ??= (await import('./aws/lambda-invoke')).lambdaDispatcher(functionName, region)
  return dispatcher
}

/** A client of AWS Organizations through the organization role, with the member roles' ExternalId. */
async function openOrganizationsClient(roleArn: string) {
  const { region, execution } = useServerConfig()
  const [{ organizationsClient }, { useStsClient }] = await Promise.all([import('./aws/organizations'), import('./aws/sts')])
  return organizationsClient({ sts: useStsClient(), roleArn, externalId: execution.externalId, region })
}

/**
 * The organization's tree for the rule dialog's picker, one per process (its cache with it); throws
 * OrganizationRoleMissing when NUXT_ORGANIZATION_ROLE_ARN is not set. Its code and the SDK load on first use.
 */
export async function useOrganizationTree(): Promise<OrganizationTree> {
  const roleArn = useServerConfig().execution.organizationRoleArn
  if (!roleArn) throw new OrganizationRoleMissing()
  if (!organizationTree) {
    const { createOrganizationTree } = await import('./organizations/tree')
    organizationTree ??= createOrganizationTree({ client: () => openOrganizationsClient(roleArn) })
  }
  return organizationTree
}

/** The executor's dependencies in this process, from the configuration and the services. */
export async function useExecutorDeps(): Promise<ExecutorDeps> {
  const config = useServerConfig()
  // STS, EC2 and the credentials cache load with the first run, not with the process.
  const [{ rules, logs, journal, calendars, overrides, reverts, savings, units }, { createCredentialsResolver }, { useStsClient }, { useEc2Client }, { withSavings }] = await Promise.all([
    useServices(),
    import('./executor/credentials'),
    import('./aws/sts'),
    import('./aws/ec2'),
    import('./savings/hook'),
  ])
  resolver ??= createCredentialsResolver({
    sts: useStsClient(),
    memberRoleName: config.execution.memberRoleName,
    externalId: config.execution.externalId,
    region: config.region,
  })
  limiter ??= createLimiter(config.execution.concurrency)
  const roleArn = config.execution.organizationRoleArn
  if (roleArn && !organizations) {
    const { createOrganizationsResolver } = await import('./organizations/resolver')
    // The Organizations SDK loads with the first rule that names an OU, through the role it names.
    organizations = createOrganizationsResolver({ store: units, client: () => openOrganizationsClient(roleArn) })
  }
  return {
    rules,
    // Each run written is added to the savings too (savings/hook.ts).
    logs: withSavings(logs, savings.repository),
    journal,
    calendars: calendars.calendars,
    overrides,
    reverts,
    execution: config.execution,
    region: config.region,
    credentials: resolver,
    organizations,
    ec2: useEc2Client,
    followUps: await useFollowUpTimers(),
    // Loaded with the first rule that names a database or a group, not with every run.
    rds: async (...args) => (await import('./aws/rds')).useRdsClient(...args),
    autoScaling: async (...args) => (await import('./aws/autoscaling')).useAutoScalingClient(...args),
    limiter,
    // In Lambda, a run over many accounts fans out into invocations of this function (executor/chunks.ts).
    ...(process.env.AWS_LAMBDA_FUNCTION_NAME && config.store === 'dynamodb' ? { dispatch: await useDispatcher(process.env.AWS_LAMBDA_FUNCTION_NAME, config.region) } : {}),
    logger: console,
    notify: notifyRunNow,
    notifyTagOverride,
    notifyFollowUp: notifyFollowUpNow,
  }
}

/** Stops the schedule timers and closes the store, for a clean shutdown. */
export async function closeServices(): Promise<void> {
  const current = services
  services = undefined
  access = undefined
  notifications = undefined
  prices = undefined
  if (!current) return
  const opened = await current
  await opened.schedules.backend.close()
  await opened.reverts.timers.close()
  await followUps?.close()
  followUps = undefined
  await opened.store.close()
}
