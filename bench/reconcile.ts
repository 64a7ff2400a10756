// Reconcile benchmark (issue 3, section 5): our reconciler against a naive one, on 5,000 rules (in the embedded
// store's dynalite) and their schedules (in moto's EventBridge Scheduler), after 50 schedules drifted in four ways.
// Asserted: ours lists the group in ceil(n/100) pages, writes only the drifted schedules, reads in full only those the
// list shows as modified, leaves nothing to do for a second pass, and is faster than the naive one.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler'
import type { UpdateScheduleCommandInput } from '@aws-sdk/client-scheduler'
import { RuleInputSchema } from '../shared/schemas/rule'
import type { Rule, RuleDraft } from '../shared/schemas/rule'
import { MOTO_VERSION, startMoto } from '../scripts/with-moto.mjs'
import { mapWithConcurrency } from '../server/utils/concurrency'
import { parseServerConfig } from '../server/utils/config'
import { createRulesRepository } from '../server/utils/rules/repository'
import { createEventBridgeBackend } from '../server/utils/schedules/eventbridge'
import { desiredSchedule, scheduleHash } from '../server/utils/schedules/spec'
import type { SchedulerSettings } from '../server/utils/schedules/spec'
import { reconcileSchedules, syncRuleSchedule } from '../server/utils/schedules/sync'
import type { ReconcileReport, ScheduleDeps } from '../server/utils/schedules/sync'
import { documentClient } from '../server/utils/store'
import { ensureTables } from '../server/utils/tables'
import type { TableNames } from '../server/utils/tables'
import { countCalls } from './lib/calls'
import { startDynalite } from '../test/helpers/dynalite'
import type { CallCounter } from './lib/calls'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { batchWriteAll, itemBuilders } from './lib/seed'
import { ms } from './lib/stats'

const COMMAND = 'npm run bench -- reconcile'
const RULES = 5_000
/** The drift injected before each measured run: 50 schedules in all. */
const DRIFT = { behind: 15, deleted: 10, orphans: 10, pending: 15 } as const
const DRIFT_TOTAL = DRIFT.behind + DRIFT.deleted + DRIFT.orphans + DRIFT.pending
/** reconcileSchedules' default, which the reconcile task and the admin route use; the naive one gets the same. */
const CONCURRENCY = 4
/** Seeding only: calls in flight while the schedules are first created. */
const SEED_CONCURRENCY = 16
/** Added before every Scheduler call in the simulated runs, as a stand-in for AWS's round trip. */
const LATENCY_MS = 30

const GROUP = 'ouroboros-bench'
const TABLES: TableNames = { rules: 'bench-reconcile-rules', logs: 'bench-reconcile-logs', calendars: 'bench-reconcile-calendars', overrides: 'bench-reconcile-overrides', notifications: 'bench-reconcile-notifications', savings: 'bench-reconcile-savings' }
const TARGET = 'arn:aws:lambda:us-east-1:123456789012:function:ouroboros'
const ROLE = 'arn:aws:iam::123456789012:role/ouroboros-scheduler'
const DLQ = 'arn:aws:sqs:us-east-1:123456789012:ouroboros-dlq'
// Static dummy keys: moto accepts any, and the SDK must never look for real ones.
const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' }

const WRITES = ['CreateSchedule', 'UpdateSchedule', 'DeleteSchedule']

const log = (line: string) => console.log(`[reconcile] ${line}`)
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
const sorted = (names: Iterable<string>) => [...names].sort()
const sameSet = (a: Iterable<string>, b: Iterable<string>) => sorted(a).join() === sorted(b).join()
const seconds = (msValue: number) => `${(msValue / 1000).toFixed(1)} s`

// The rules: a spread of teams, expressions and zones; one in ten disabled.
const TEAMS = ['web', 'db', 'batch', 'ci', 'ml', 'etl', 'api', 'cache']
const EXPRESSIONS = ['cron(0 7 ? * MON-FRI *)', 'cron(0 19 ? * MON-FRI *)', 'cron(30 22 * * ? *)', 'rate(6 hours)', 'cron(0 8 ? * SAT *)']
const ZONES = ['Europe/Berlin', 'America/New_York', 'UTC', 'Asia/Tokyo', 'Australia/Sydney']

const ruleName = (i: number) => `${TEAMS[i % TEAMS.length]}-${String(i).padStart(5, '0')}-${i % 2 ? 'start' : 'stop'}`

function ruleDraft(i: number): RuleDraft & { regions: string[] } {
  const parsed = RuleInputSchema.parse({
    name: ruleName(i),
    description: `Reconcile benchmark rule ${i}`,
    accountId: String(100_000_000_000 + (i % 50)),
    regions: ['us-east-1'],
    action: i % 2 ? 'start' : 'stop',
    filters: `tag:team=${TEAMS[i % TEAMS.length]}`,
    scheduleExpression: EXPRESSIONS[i % EXPRESSIONS.length],
    timezone: ZONES[i % ZONES.length],
    enabled: i % 10 !== 0,
  })
  return { ...parsed, regions: parsed.regions ?? ['us-east-1'] }
}

/** A stored rule back as the draft rules.replace takes. */
function draftOf(rule: Rule): RuleDraft & { regions: string[] } {
  const { createdAt: _c, updatedAt: _u, version: _v, schedule: _s, ...draft } = rule
  return { ...draft, skipCalendars: draft.skipCalendars ?? [] }
}

function schedulerClient(endpoint: string): SchedulerClient {
  // As the app builds it (server/utils/aws/scheduler.ts), pointed at moto.
  return new SchedulerClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS, retryMode: 'adaptive', maxAttempts: 6 })
}

function dynamoClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ region: 'us-east-1', endpoint, credentials: CREDENTIALS })
}

interface Endpoints {
  scheduler: string
  dynamodb: string
}

/** Schedule deps over fresh, counted clients: a measured run starts as a new process would. */
function countedDeps(endpoints: Endpoints, settings: SchedulerSettings, label: string) {
  const scheduler = schedulerClient(endpoints.scheduler)
  const dynamo = dynamoClient(endpoints.dynamodb)
  const calls = countCalls(scheduler, `${label}-scheduler`)
  const dbCalls = countCalls(dynamo, `${label}-dynamodb`)
  const deps: ScheduleDeps = {
    rules: createRulesRepository(documentClient(dynamo), TABLES.rules),
    backend: createEventBridgeBackend(scheduler, GROUP),
    settings,
  }
  const close = () => {
    scheduler.destroy()
    dynamo.destroy()
  }
  return { deps, calls, dbCalls, close }
}

interface Drift {
  round: number
  behind: string[]
  /** The schedules changed behind our back in a way the list itself shows (their state). */
  visibleInList: string[]
  deleted: string[]
  orphans: string[]
  pending: string[]
  /** Names whose schedule moto lists with a later modification time than the one recorded on the rule. */
  modified: string[]
}

/** What a reconciler must do after the drift: the names it must create, update and delete. */
function expected(drift: Drift) {
  return {
    created: sorted(drift.deleted),
    updated: sorted([...drift.behind, ...drift.pending]),
    deleted: sorted(drift.orphans),
    written: sorted([...drift.behind, ...drift.pending, ...drift.deleted, ...drift.orphans]),
    // Read in full: modified since our write, and not already shown different by the list.
    reads: sorted(drift.modified.filter(n => !drift.visibleInList.includes(n))),
  }
}

/** The rules the drift touches: 40 of them, spread through the name order. */
function driftTargets() {
  const step = Math.floor(RULES / (DRIFT.behind + DRIFT.deleted + DRIFT.pending))
  const names = Array.from({ length: DRIFT.behind + DRIFT.deleted + DRIFT.pending }, (_, k) => ruleName(k * step + 37))
  return {
    behind: names.slice(0, DRIFT.behind),
    deleted: names.slice(DRIFT.behind, DRIFT.behind + DRIFT.deleted),
    pending: names.slice(DRIFT.behind + DRIFT.deleted),
  }
}

/**
 * Makes 50 schedules drift, with uncounted clients, as people and failures would:
 * 15 changed behind our back (a third each: expression, zone, state), 10 deleted, 10 orphans created by hand,
 * and 15 rules changed whose schedule write "failed" (rules.replace without a sync: they stay pending).
 */
async function injectDrift(round: number, admin: SchedulerClient, adminDeps: ScheduleDeps): Promise<Drift> {
  const targets = driftTargets()
  const visibleInList: string[] = []
  await mapWithConcurrency(targets.behind, 8, async (name, k) => {
    const s = await admin.send(new GetScheduleCommand({ Name: name, GroupName: GROUP }))
    const input: UpdateScheduleCommandInput = {
      Name: name,
      GroupName: GROUP,
      ScheduleExpression: s.ScheduleExpression!,
      ScheduleExpressionTimezone: s.ScheduleExpressionTimezone,
      FlexibleTimeWindow: s.FlexibleTimeWindow!,
      State: s.State,
      ActionAfterCompletion: s.ActionAfterCompletion,
      Target: s.Target!,
    }
    if (k % 3 === 0) input.ScheduleExpression = `rate(${7 + round} minutes)`
    else if (k % 3 === 1) input.ScheduleExpressionTimezone = 'Pacific/Chatham'
    else {
      input.State = s.State === 'ENABLED' ? 'DISABLED' : 'ENABLED'
      visibleInList.push(name)
    }
    await admin.send(new UpdateScheduleCommand(input))
  })
  await mapWithConcurrency(targets.deleted, 8, name => admin.send(new DeleteScheduleCommand({ Name: name, GroupName: GROUP })))
  const orphans = Array.from({ length: DRIFT.orphans }, (_, k) => `orphan-r${round}-${String(k).padStart(2, '0')}`)
  await mapWithConcurrency(orphans, 8, name => admin.send(new CreateScheduleCommand({
    Name: name,
    GroupName: GROUP,
    ScheduleExpression: 'rate(1 hour)',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: TARGET, RoleArn: ROLE },
  })))
  await mapWithConcurrency(targets.pending, 8, async (name) => {
    const rule = await adminDeps.rules.get(name)
    // A new expression each round, so the rule differs from its schedule every time.
    await adminDeps.rules.replace({ ...draftOf(rule), scheduleExpression: `cron(${round * 7} 6 ? * MON-FRI *)` }, rule.version)
  })

  // What moto reports as modified since our last write: the list's time against the one recorded on the rule.
  const recorded = new Map<string, string | undefined>()
  for await (const rule of adminDeps.rules.all()) {
    if (rule.schedule?.status === 'in-sync') recorded.set(rule.name, rule.schedule.modifiedAt)
  }
  const modified: string[] = []
  for await (const s of adminDeps.backend.list()) {
    if (recorded.has(s.name) && recorded.get(s.name) !== s.modifiedAt) modified.push(s.name)
  }
  return { round, ...targets, visibleInList, orphans, modified: sorted(modified) }
}

interface NaiveReport {
  rules: number
  created: string[]
  updated: string[]
  deleted: string[]
  durationMs: number
}

/**
 * The baseline: list every rule, read every rule's schedule in full (one GetSchedule each), write those that differ
 * (through the same syncRuleSchedule as ours, so only the detection differs), then list the group to delete orphans.
 */
async function naiveReconcile(deps: ScheduleDeps, concurrency: number): Promise<NaiveReport> {
  const started = Date.now()
  const rules: Rule[] = []
  for await (const r of deps.rules.all()) rules.push(r)
  const report: NaiveReport = { rules: rules.length, created: [], updated: [], deleted: [], durationMs: 0 }
  await mapWithConcurrency(rules, concurrency, async (rule) => {
    const live = await deps.backend.get(rule.name)
    if (live && scheduleHash(live) === scheduleHash(desiredSchedule(rule, deps.settings))) return
    await syncRuleSchedule(deps, rule)
    report[live ? 'updated' : 'created'].push(rule.name)
  })
  const names = new Set(rules.map(r => r.name))
  const orphans: string[] = []
  for await (const s of deps.backend.list()) if (!names.has(s.name)) orphans.push(s.name)
  await mapWithConcurrency(orphans, concurrency, async (name) => {
    await deps.backend.remove(name)
    report.deleted.push(name)
  })
  for (const list of [report.created, report.updated, report.deleted]) list.sort()
  report.durationMs = Date.now() - started
  return report
}

/** What one run did: its report, wall time and calls. */
interface Run {
  label: string
  wallMs: number
  latencyMs: number
  created: string[]
  updated: string[]
  deleted: string[]
  errors: { name: string, message: string }[]
  scheduler: Record<string, number>
  dynamodb: Record<string, number>
  /** Time in calls by operation, summed (concurrent calls overlap), in ms. */
  schedulerMs: Record<string, number>
  dynamodbMs: Record<string, number>
  total: number
  dbTotal: number
  attempts: number
  lists: number
  /** GetSchedule calls to compare (before any write to that schedule), and their names. */
  compareReads: string[]
  /** GetSchedule calls right after a write, to record its modification time. */
  readBacks: number
  /** Write calls that succeeded, the names written, and write calls that failed (UpdateSchedule of a missing schedule). */
  writesOk: number
  written: string[]
  writesFailed: number
}

/** Splits a run's calls: which GetSchedule calls compared, which read back a write, which writes succeeded. */
function summarise(label: string, wallMs: number, calls: CallCounter, dbCalls: CallCounter, r: Pick<Run, 'created' | 'updated' | 'deleted' | 'errors'>): Run {
  const writtenSoFar = new Set<string>()
  const compareReads: string[] = []
  let readBacks = 0
  for (const c of calls.records) {
    if (WRITES.includes(c.op) && c.ok && c.name) writtenSoFar.add(c.name)
    if (c.op === 'GetSchedule' && c.name) {
      if (writtenSoFar.has(c.name)) readBacks++
      else compareReads.push(c.name)
    }
  }
  const okWrites = calls.records.filter(c => WRITES.includes(c.op) && c.ok)
  return {
    label,
    wallMs,
    latencyMs: calls.latencyMs,
    ...r,
    scheduler: Object.fromEntries(calls.byOp()),
    dynamodb: Object.fromEntries(dbCalls.byOp()),
    schedulerMs: Object.fromEntries([...calls.msByOp()].map(([op, t]) => [op, Math.round(t)])),
    dynamodbMs: Object.fromEntries([...dbCalls.msByOp()].map(([op, t]) => [op, Math.round(t)])),
    total: calls.total(),
    dbTotal: dbCalls.total(),
    attempts: calls.attempts(),
    lists: calls.count('ListSchedules'),
    compareReads: sorted(compareReads),
    readBacks,
    writesOk: okWrites.length,
    written: sorted(new Set(okWrites.map(c => c.name ?? ''))),
    writesFailed: calls.records.filter(c => WRITES.includes(c.op) && !c.ok).length,
  }
}

async function runOurs(endpoints: Endpoints, settings: SchedulerSettings, label: string, latencyMs = 0): Promise<{ run: Run, report: ReconcileReport }> {
  const { deps, calls, dbCalls, close } = countedDeps(endpoints, settings, label)
  calls.latencyMs = latencyMs
  try {
    const t0 = performance.now()
    const report = await reconcileSchedules(deps, CONCURRENCY)
    const wallMs = performance.now() - t0
    return { run: summarise(label, wallMs, calls, dbCalls, report), report }
  }
  finally {
    close()
  }
}

async function runNaive(endpoints: Endpoints, settings: SchedulerSettings, label: string, latencyMs = 0): Promise<Run> {
  const { deps, calls, dbCalls, close } = countedDeps(endpoints, settings, label)
  calls.latencyMs = latencyMs
  try {
    const t0 = performance.now()
    const report = await naiveReconcile(deps, CONCURRENCY)
    const wallMs = performance.now() - t0
    return summarise(label, wallMs, calls, dbCalls, { ...report, errors: [] })
  }
  finally {
    close()
  }
}

/** The rules as the repository builds them, ready for BatchWriteItem. */
async function* ruleItems(now: Date) {
  const builders = itemBuilders(TABLES, 90)
  for (let i = 0; i < RULES; i++) yield await builders.rule(ruleDraft(i), now)
}

/** Seeds the rules (built by the repository, written in batches) and their schedules (a first reconcile pass). */
async function seed(adminDeps: ScheduleDeps, doc: ReturnType<typeof documentClient>) {
  const t0 = performance.now()
  const written = await batchWriteAll(doc, TABLES.rules, ruleItems(new Date()), 8)
  const rulesMs = performance.now() - t0
  log(`seeded ${written} rules in ${seconds(rulesMs)}; creating their schedules (${SEED_CONCURRENCY} in flight) ...`)
  const report = await reconcileSchedules(adminDeps, SEED_CONCURRENCY)
  const schedulesMs = performance.now() - t0 - rulesMs
  if (report.created.length !== RULES || report.errors.length) {
    throw new Error(`seeding: created ${report.created.length} schedules of ${RULES}, ${report.errors.length} errors: ${report.errors.slice(0, 3).map(e => e.message).join('; ')}`)
  }
  log(`seeded ${report.created.length} schedules in ${seconds(schedulesMs)}`)
  return { rulesMs, schedulesMs }
}

/**
 * Why the rules are not in moto's DynamoDB: the same 5,000 rules there, and one `rules.all()` over them timed against
 * the same in dynalite. moto's by-name Query is far slower, and would dominate both reconcilers' wall times.
 */
async function listingCost(motoUrl: string, dynaliteDoc: ReturnType<typeof documentClient>) {
  const client = dynamoClient(motoUrl)
  try {
    await ensureTables(client, TABLES)
    const doc = documentClient(client)
    await batchWriteAll(doc, TABLES.rules, ruleItems(new Date()), 8)
    const timeAll = async (d: ReturnType<typeof documentClient>) => {
      const t0 = performance.now()
      let n = 0
      for await (const _rule of createRulesRepository(d, TABLES.rules).all()) n++
      if (n !== RULES) throw new Error(`rules.all() answered ${n} rules, not ${RULES}`)
      return performance.now() - t0
    }
    return { motoMs: await timeAll(doc), dynaliteMs: await timeAll(dynaliteDoc) }
  }
  finally {
    client.destroy()
  }
}

interface Check {
  figure: string
  ok: boolean
  detail: string
}

/** The checks every reconciler run must pass against the drift it repaired. */
function repairChecks(name: string, run: Run, drift: Drift): Check[] {
  const want = expected(drift)
  const changes = run.created.length + run.updated.length + run.deleted.length
  return [
    {
      figure: `${name}: created/updated/deleted are exactly the injected drift`,
      ok: sameSet(run.created, want.created) && sameSet(run.updated, want.updated) && sameSet(run.deleted, want.deleted) && run.errors.length === 0,
      detail: `${run.created.length} + ${run.updated.length} + ${run.deleted.length} = ${changes} of ${DRIFT_TOTAL} injected, ${run.errors.length} errors`,
    },
    {
      figure: `${name}: successful writes == injected drift (${DRIFT_TOTAL}), on exactly the drifted schedules`,
      ok: run.writesOk === DRIFT_TOTAL && sameSet(run.written, want.written),
      detail: `${run.writesOk} successful writes on ${run.written.length} schedules`,
    },
  ]
}

function oursChecks(run: Run, report: ReconcileReport, drift: Drift): Check[] {
  const want = expected(drift)
  const maxLists = Math.ceil(report.schedules / 100) + 2
  return [
    ...repairChecks(`ours${run.latencyMs ? ` +${run.latencyMs} ms` : ''}`, run, drift),
    {
      figure: `ours${run.latencyMs ? ` +${run.latencyMs} ms` : ''}: ListSchedules calls ≤ ceil(n/100)+2`,
      ok: run.lists <= maxLists,
      detail: `${run.lists} calls for n = ${report.schedules} schedules (limit ${maxLists})`,
    },
    {
      figure: `ours${run.latencyMs ? ` +${run.latencyMs} ms` : ''}: GetSchedule to compare only for schedules moto lists as modified`,
      ok: sameSet(run.compareReads, want.reads) && run.compareReads.every(n => drift.modified.includes(n)),
      detail: `${run.compareReads.length} reads; moto lists ${drift.modified.length} as modified since our write, ${drift.visibleInList.length} of them with a changed state the list already shows`,
    },
  ]
}

function secondPassChecks(run: Run, label: string): Check[] {
  const changes = run.created.length + run.updated.length + run.deleted.length
  const writes = run.writesOk + run.writesFailed
  return [{
    figure: `${label}: zero drift and zero writes`,
    ok: changes === 0 && writes === 0 && run.errors.length === 0 && run.compareReads.length === 0,
    detail: `${changes} changes, ${writes} write calls, ${run.compareReads.length} GetSchedule, ${run.errors.length} errors`,
  }]
}

const OP_ORDER = ['ListSchedules', 'GetSchedule', 'CreateSchedule', 'UpdateSchedule', 'DeleteSchedule', 'GetScheduleGroup', 'CreateScheduleGroup']
const DB_ORDER = ['Query', 'GetItem', 'UpdateItem', 'PutItem']

function orderedOps(runs: Run[], key: 'scheduler' | 'dynamodb', order: string[]): string[] {
  const seen = new Set(runs.flatMap(r => Object.keys(r[key])))
  return [...order.filter(op => seen.has(op)), ...[...seen].filter(op => !order.includes(op)).sort()]
}

/** ours / naive, with the 1/x form when ours is the smaller. */
function ratioText(ours: number, naive: number): string {
  if (naive <= 0 || ours <= 0) return 'n/a'
  const r = ours / naive
  return r < 1 ? `${r.toFixed(3)} (1/${(1 / r).toFixed(0)})` : r.toFixed(2)
}

function callsTable(ours: Run, second: Run, naive: Run): string {
  const runs = [ours, second, naive]
  const cell = (r: Run, op: string) => {
    const n = r.scheduler[op] ?? 0
    if (op === 'GetSchedule' && n > 0) return `${n} (${r.compareReads.length} to compare, ${r.readBacks} read back after a write)`
    if (op === 'UpdateSchedule') {
      const failed = r.writesFailed
      return failed ? `${n} (${failed} answered ResourceNotFound, then CreateSchedule)` : String(n)
    }
    return String(n)
  }
  const rows = orderedOps(runs, 'scheduler', OP_ORDER).map(op => [`Scheduler ${op}`, ...runs.map(r => cell(r, op))])
  rows.push(['**Scheduler calls, total**', ...runs.map(r => `**${r.total}**`)])
  rows.push(['Scheduler HTTP attempts (SDK retries included)', ...runs.map(r => String(r.attempts))])
  for (const op of orderedOps(runs, 'dynamodb', DB_ORDER)) rows.push([`DynamoDB ${op}`, ...runs.map(r => String(r.dynamodb[op] ?? 0))])
  rows.push(['DynamoDB calls, total', ...runs.map(r => String(r.dbTotal))])
  rows.push(['successful writes (Create + Update + Delete)', ...runs.map(r => String(r.writesOk))])
  return markdownTable(['operation', 'ours (reconcileSchedules)', 'ours, second pass', 'naive (GetSchedule per rule)'], rows)
}

function summaryTable(ours: Run, second: Run, naive: Run, oursSim: Run, naiveSim: Run): string {
  return markdownTable(['figure', 'ours', 'naive', 'ours / naive'], [
    ['Scheduler calls', String(ours.total), String(naive.total), ratioText(ours.total, naive.total)],
    ['DynamoDB calls', String(ours.dbTotal), String(naive.dbTotal), ratioText(ours.dbTotal, naive.dbTotal)],
    ['**wall time, measured (moto and dynalite on loopback)**', `**${ms(ours.wallMs)} ms**`, `**${ms(naive.wallMs)} ms**`, `**${ratioText(ours.wallMs, naive.wallMs)}**`],
    [`wall time, simulated: moto + ${LATENCY_MS} ms added before each Scheduler call`, `${ms(oursSim.wallMs)} ms`, `${ms(naiveSim.wallMs)} ms`, ratioText(oursSim.wallMs, naiveSim.wallMs)],
    [`Scheduler calls in the simulated runs`, String(oursSim.total), String(naiveSim.total), ratioText(oursSim.total, naiveSim.total)],
    ['wall time of a second pass of ours (nothing to repair), measured', `${ms(second.wallMs)} ms`, '', ''],
  ])
}

/** Runs the reconcile benchmark; answers true when every asserted figure passes. */
export default async function reconcile(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  log('starting moto and dynalite ...')
  const moto = await startMoto()
  const store = await startDynalite('ouroboros-bench-reconcile-')
  const endpoints: Endpoints = { scheduler: moto.url, dynamodb: store.endpoint }
  log(`moto on ${moto.url}, dynalite on ${store.endpoint} (data in ${store.dataDir})`)
  const admin = schedulerClient(endpoints.scheduler)
  const dynamo = dynamoClient(endpoints.dynamodb)
  const settings = parseServerConfig({
    schedulerGroup: GROUP,
    schedulerTargetArn: TARGET,
    schedulerRoleArn: ROLE,
    schedulerDlqArn: DLQ,
  }, { AWS_REGION: 'us-east-1' }).scheduler
  const doc = documentClient(dynamo)
  // Uncounted deps for seeding, injecting drift and reading expectations.
  const adminDeps: ScheduleDeps = { rules: createRulesRepository(doc, TABLES.rules), backend: createEventBridgeBackend(admin, GROUP), settings }
  const checks: Check[] = []
  try {
    await ensureTables(dynamo, TABLES)
    const seedMs = await seed(adminDeps, doc)
    const listing = await listingCost(moto.url, doc)
    log(`rules.all() over ${RULES} rules: ${ms(listing.motoMs)} ms in moto's DynamoDB, ${ms(listing.dynaliteMs)} ms in dynalite`)

    // 1. Ours on the first drift, then a second pass that must find nothing.
    const drift1 = await injectDrift(1, admin, adminDeps)
    log(`drift 1 injected: ${drift1.behind.length} changed behind our back, ${drift1.deleted.length} deleted, ${drift1.orphans.length} orphans, ${drift1.pending.length} pending; moto lists ${drift1.modified.length} as modified`)
    if (!sameSet(drift1.modified, drift1.behind)) throw new Error(`injected drift: moto lists ${drift1.modified.join(', ')} as modified, expected ${drift1.behind.join(', ')}`)
    const ours = await runOurs(endpoints, settings, 'ours')
    log(`ours: ${ms(ours.run.wallMs)} ms, ${ours.run.total} Scheduler calls, ${ours.run.writesOk} writes; ms in calls: ${JSON.stringify({ ...ours.run.schedulerMs, ...ours.run.dynamodbMs })}`)
    checks.push(...oursChecks(ours.run, ours.report, drift1))
    const second = await runOurs(endpoints, settings, 'ours-second')
    log(`ours, second pass: ${ms(second.run.wallMs)} ms, ${second.run.total} Scheduler calls`)
    checks.push(...secondPassChecks(second.run, 'ours, second pass'))

    // 2. The same drift again, repaired by the naive reconciler; then ours must find nothing left.
    const drift2 = await injectDrift(2, admin, adminDeps)
    log('drift 2 injected; naive reconciler ...')
    const naive = await runNaive(endpoints, settings, 'naive')
    log(`naive: ${ms(naive.wallMs)} ms, ${naive.total} Scheduler calls, ${naive.writesOk} writes; ms in calls: ${JSON.stringify({ ...naive.schedulerMs, ...naive.dynamodbMs })}`)
    checks.push(...repairChecks('naive', naive, drift2))
    checks.push(...secondPassChecks((await runOurs(endpoints, settings, 'after-naive')).run, 'ours after naive'))

    // 3. Both again with a fixed delay before each Scheduler call: a simulation of AWS's latency, not a measurement of it.
    const drift3 = await injectDrift(3, admin, adminDeps)
    log(`drift 3 injected; ours with ${LATENCY_MS} ms per Scheduler call ...`)
    const oursSim = await runOurs(endpoints, settings, 'ours-sim', LATENCY_MS)
    log(`ours +${LATENCY_MS} ms: ${ms(oursSim.run.wallMs)} ms`)
    checks.push(...oursChecks(oursSim.run, oursSim.report, drift3))
    const drift4 = await injectDrift(4, admin, adminDeps)
    log(`drift 4 injected; naive with ${LATENCY_MS} ms per Scheduler call ...`)
    const naiveSim = await runNaive(endpoints, settings, 'naive-sim', LATENCY_MS)
    log(`naive +${LATENCY_MS} ms: ${ms(naiveSim.wallMs)} ms`)
    checks.push(...repairChecks(`naive +${LATENCY_MS} ms`, naiveSim, drift4))
    checks.push(...secondPassChecks((await runOurs(endpoints, settings, 'after-naive-sim')).run, `ours after naive +${LATENCY_MS} ms`))

    checks.push({
      figure: 'ours faster than naive (wall time measured)',
      ok: ours.run.wallMs < naive.wallMs,
      detail: `${ms(ours.run.wallMs)} ms against ${ms(naive.wallMs)} ms`,
    })
    checks.push({
      figure: `ours faster than naive (simulated, +${LATENCY_MS} ms per Scheduler call)`,
      ok: oursSim.run.wallMs < naiveSim.wallMs,
      detail: `${ms(oursSim.run.wallMs)} ms against ${ms(naiveSim.wallMs)} ms`,
    })

    const ok = checks.every(c => c.ok)
    const calls = callsTable(ours.run, second.run, naive)
    const summary = summaryTable(ours.run, second.run, naive, oursSim.run, naiveSim)
    const checkTable = markdownTable(['check', 'figure', 'result'], checks.map(c => [c.figure, c.detail, verdict(c.ok)]))
    for (const c of checks) console.log(`${verdict(c.ok)}  ${c.figure}: ${c.detail}`)
    console.log(`\n${calls}\n\n${summary}\n`)

    const section = `## Reconcile: list-based drift detection against a GetSchedule per rule

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.

Data, all on loopback and started by the bench: EventBridge Scheduler in moto ${MOTO_VERSION}; the rules table in dynalite (the embedded
store's engine, on disk in a temporary directory). ${RULES.toLocaleString('en')} rules, built by the rules repository and written with BatchWriteItem
(${seconds(seedMs.rulesMs)}); their ${RULES.toLocaleString('en')} schedules in one group \`${GROUP}\`, created through the EventBridge backend by a first
\`reconcileSchedules\` pass (${SEED_CONCURRENCY} in flight, ${seconds(seedMs.schedulesMs)}; seeding is not measured). Not moto's DynamoDB: one \`rules.all()\` over
the same ${RULES.toLocaleString('en')} rules took ${seconds(listing.motoMs)} there (a Query of 100 rules a page on the by-name index) against ${ms(listing.dynaliteMs)} ms in dynalite,
and would have dominated both wall times.

Drift, injected before each measured run with uncounted clients, ${DRIFT_TOTAL} schedules: ${DRIFT.behind} changed behind our back with UpdateSchedule
(a third each: another expression, another zone, another state), ${DRIFT.deleted} deleted, ${DRIFT.orphans} orphans created by hand in the group, and ${DRIFT.pending}
rules changed with \`rules.replace\` and no schedule write, as when the write failed (they stay \`pending\`).

- **Ours:** \`reconcileSchedules(deps)\` at its default concurrency (${CONCURRENCY}), on fresh clients built as the app builds them
  (adaptive retries, 6 attempts), with a middleware that counts every call by operation. It lists the group (ListSchedules,
  MaxResults 100) and the rules, and reads a schedule in full only when the list shows it modified since our last write.
- **Naive (baseline, in the bench):** lists the rules, reads every rule's schedule with GetSchedule (concurrency ${CONCURRENCY}), compares each
  in full, writes those that differ through the same \`syncRuleSchedule\`, then lists the group to delete orphans. The same drift
  was injected again before it ran. Both write the same way, so the difference is in finding the drift.
- After each run a pass of ours must find zero drift and make zero writes. "Read back after a write" is the GetSchedule
  the EventBridge backend makes after every write to record the schedule's modification time.

${calls}

The measured wall times come first. moto answers a call in a millisecond or two on loopback, so they understate what AWS's
tens of milliseconds per call would cost the naive reconciler. The simulated row is a model, not AWS: the same runs (on a fresh
injection of the same drift) with ${LATENCY_MS} ms added before each Scheduler call by the counting middleware; DynamoDB calls get no added delay.

${summary}

${checkTable}

Result: **${verdict(ok)}**${ok ? '' : ` (${checks.filter(c => !c.ok).map(c => c.figure).join('; ')})`}.
`
    const file = writeSectionAtomically('reconcile', section)
    const raw = writeResults('reconcile', { started, machine: machine(), seedMs, listing, drift: [drift1, drift2, drift3, drift4], runs: { ours: ours.run, second: second.run, naive, oursSim: oursSim.run, naiveSim } })
    log(`figures written to ${file} (raw: ${raw}); took ${seconds(performance.now() - t0)}: ${verdict(ok)}`)
    return ok
  }
  finally {
    admin.destroy()
    dynamo.destroy()
    await moto.stop()
    await store.close()
  }
}
