// Executor benchmark (issue 4, section 6): our executor against a naive one, on 10,000 instances in moto
// (10 accounts × 2 regions × 500), then our executor alone on 500 accounts × 5 instances.
// Ours is what the local scheduler does when 10 rules (one per account) fire at the same minute: runRule for each,
// concurrently, sharing one credentials resolver and one limiter, with the real EC2 client factory.
// Both run twice over the whole fleet: on moto as it is (loopback), and with a modelled AWS round trip added to every call.
// Asserted: ours makes ≤ 0.02 API calls per instance, its wall time is ≤ 1/10 of the naive one's with the round trip
// (on bare loopback it is reported, and bound by moto's own CPU), every instance ends stopped in every run, and the
// 500-account run finishes in under 5 minutes (Lambda's limit is 15).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DescribeInstancesCommand, StopInstancesCommand } from '@aws-sdk/client-ec2'
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import type { LogEntry } from '../shared/schemas/log'
import { RuleInputSchema } from '../shared/schemas/rule'
import type { Filter } from '../shared/filters'
import { MOTO_VERSION, startMoto } from '../scripts/with-moto.mjs'
import { useEc2Client } from '../server/utils/aws/ec2'
import { createStsClient } from '../server/utils/aws/sts'
import { createLimiter } from '../server/utils/concurrency'
import { parseServerConfig } from '../server/utils/config'
import type { ServerConfig } from '../server/utils/config'
import { createCredentialsResolver } from '../server/utils/executor/credentials'
import { runRule } from '../server/utils/executor/run'
import type { ExecutorDeps } from '../server/utils/executor/run'
import { createLogsRepository } from '../server/utils/logs'
import { createRulesRepository } from '../server/utils/rules/repository'
import type { RulesRepository } from '../server/utils/rules/repository'
import { openStore } from '../server/utils/store'
import { createMeter } from './lib/aws-meter'
import type { Meter, OperationStats } from './lib/aws-meter'
import { MEMBER_ROLE, motoFleet } from './lib/ec2-fleet'
import type { FleetSlice, MotoFleet } from './lib/ec2-fleet'
import { mib, sampleMemory } from './lib/memory'
import type { MemoryPeak } from './lib/memory'
import { naiveStop } from './lib/naive-executor'
import type { NaiveResult, NaiveRule } from './lib/naive-executor'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { ms, time } from './lib/stats'

const COMMAND = 'npm run bench -- executor'

const REGIONS = ['us-east-1', 'eu-west-1']
/** The 10,000-instance fleet: 10 accounts × 2 regions × 500, all tagged Fleet=bench. */
const FLEET = { accounts: 10, perSlice: 500, base: 100_000_000_000 }
/** The wide run: 500 accounts × 1 region × 5 instances, one rule per account. */
const WIDE = { accounts: 500, perSlice: 5, base: 200_000_000_000, region: 'us-east-1' }
const TAGS = { Fleet: 'bench' }
const FILTERS = 'tag:Fleet=bench'

/** The pause between two verification reads (the app's default is 5 s; moto's changes are instant, so none is taken). */
const VERIFY_INTERVAL_MS = 200
/** Added before every AWS call (STS and EC2) in the round-trip runs, as a stand-in for AWS's network round trip. */
const LATENCY_MS = 30

const TARGET = {
  callsPerInstance: 0.02,
  wallRatio: 1 / 10,
  wideMs: 5 * 60_000,
}
const LAMBDA_LIMIT_MS = 15 * 60_000

/** EC2's token buckets (EC2 API throttling documentation): capacity and refill per second, per account and region. */
const BUCKETS = { mutating: { size: 50, refill: 5 }, nonMutating: { size: 100, refill: 20 }, stopResource: { size: 1000, refill: 20 } }

const log = (line: string) => console.log(`[executor] ${line}`)
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const quiet = { info: () => {}, warn: (line: string) => log(`executor warning: ${line}`) }

interface Check {
  figure: string
  detail: string
  ok: boolean
}

/** One measured phase: wall time, AWS calls by operation, store calls, memory. */
interface Phase {
  label: string
  instances: number
  wallMs: number
  calls: Record<string, OperationStats>
  totalCalls: number
  storeCalls: Record<string, number>
  memory?: MemoryPeak
  /** CPU time of this process (user + system) during the phase, in ms: the rest of the wall time is waiting on moto. */
  cpuMs: number
  /** The machine's 1-minute load average when the phase ended. */
  load: number
  /** State counts read back from moto afterwards. */
  states: Record<string, number>
  latencyMs: number
}

interface OursPhase extends Phase {
  statuses: Record<string, number>
  acted: number
  failed: number
}

interface NaivePhase extends Phase {
  result: NaiveResult
}

/** A document client that counts the store calls the repositories make, by command. */
function countedDoc(doc: DynamoDBDocumentClient) {
  let counts: Record<string, number> = {}
  const client = {
    send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
      const name = command.constructor.name.replace(/Command$/, '')
      counts[name] = (counts[name] ?? 0) + 1
      return doc.send(command)
    },
  } as unknown as DynamoDBDocumentClient
  const take = () => {
    const out = counts
    counts = {}
    return out
  }
  return { client, take }
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(start)
  return (d.user + d.system) / 1000
}

interface Context {
  endpoint: string
  config: ServerConfig
  rules: RulesRepository
  logs: ReturnType<typeof createLogsRepository>
  store: ReturnType<typeof countedDoc>
  fleet: MotoFleet
}

const accountId = (base: number, i: number) => String(base + i)

/** Creates one stop rule per account, all with the same filter. */
async function createRules(ctx: Context, prefix: string, accounts: string[], regions: string[]): Promise<string[]> {
  const names: string[] = []
  for (const account of accounts) {
    const draft = RuleInputSchema.parse({
      name: `${prefix}-${account}`,
      accountId: account,
      regions,
      action: 'stop',
      filters: FILTERS,
      scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
      timezone: 'UTC',
      enabled: true,
    })
    await ctx.rules.create({ ...draft, regions: draft.regions ?? regions })
    names.push(draft.name)
  }
  ctx.store.take()
  return names
}

/**
 * The executor's dependencies as useExecutorDeps wires them in a fresh process: one credentials resolver and one
 * limiter (execution.concurrency) shared by every run, the app's cached EC2 client factory; only the endpoints
 * point at moto. Every STS and EC2 client is metered.
 */
function executorDeps(ctx: Context, meter: Meter): ExecutorDeps {
  const sts = meter.attach(createStsClient({ region: ctx.config.region, endpoint: ctx.endpoint }))
  return {
    rules: ctx.rules,
    logs: ctx.logs,
    execution: ctx.config.execution,
    region: ctx.config.region,
    credentials: createCredentialsResolver({
      sts,
      memberRoleName: ctx.config.execution.memberRoleName,
      externalId: ctx.config.execution.externalId,
      region: ctx.config.region,
    }),
    // The app's factory: its endpoint comes from AWS_ENDPOINT_URL, set to moto for this process.
    ec2: (account, region, credentials) => meter.attach(useEc2Client(account, region, credentials)),
    limiter: createLimiter(ctx.config.execution.concurrency),
    verifyIntervalMs: VERIFY_INTERVAL_MS,
    logger: quiet,
  }
}

/** Fires every rule at once, as the scheduler does when they share a minute; answers the phase's figures. */
async function runOurs(ctx: Context, label: string, ruleNames: string[], slices: FleetSlice[], latencyMs = 0): Promise<OursPhase> {
  const meter = createMeter(latencyMs)
  const deps = executorDeps(ctx, meter)
  const scheduledTime = new Date().toISOString()
  ctx.store.take()
  const memory = sampleMemory(50)
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const entries: LogEntry[] = await Promise.all(ruleNames.map(rule => runRule(deps, {
    rule,
    executionId: randomUUID(),
    scheduledTime,
    trigger: 'schedule',
    dryRun: false,
  })))
  const wallMs = performance.now() - t0
  const cpuMs = cpuMsSince(cpu)
  const peak = memory.stop()
  const storeCalls = ctx.store.take()
  const statuses: Record<string, number> = {}
  for (const e of entries) statuses[e.status] = (statuses[e.status] ?? 0) + 1
  const instances = slices.reduce((n, s) => n + s.ids.length, 0)
  const phase: OursPhase = {
    label,
    instances,
    wallMs,
    calls: meter.byOperation(),
    totalCalls: meter.total(),
    storeCalls,
    memory: peak,
    cpuMs,
    load: loadavg()[0]!,
    states: await ctx.fleet.stateCounts(slices),
    latencyMs,
    statuses,
    acted: entries.reduce((n, e) => n + e.counts.acted, 0),
    failed: entries.reduce((n, e) => n + e.counts.failed, 0),
  }
  log(`${label}: ${seconds(wallMs)}, ${phase.totalCalls} AWS calls, ${phase.acted} acted, statuses ${JSON.stringify(statuses)}, states ${JSON.stringify(phase.states)}, peak RSS ${mib(peak.rssPeak)} MiB`)
  return phase
}

/** The naive executor over the same rules (started from every instance running). */
async function runNaive(ctx: Context, label: string, rules: NaiveRule[], slices: FleetSlice[], latencyMs = 0): Promise<NaivePhase> {
  const meter = createMeter(latencyMs)
  const sts = createStsClient({ region: ctx.config.region, endpoint: ctx.endpoint })
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const result = await naiveStop(rules, {
    sts,
    endpoint: ctx.endpoint,
    memberRoleName: ctx.config.execution.memberRoleName,
    meter,
    verifyIntervalMs: VERIFY_INTERVAL_MS,
    verifyTimeoutMs: ctx.config.execution.verifyTimeoutSeconds * 1000,
  })
  const wallMs = performance.now() - t0
  const cpuMs = cpuMsSince(cpu)
  sts.destroy()
  const phase: NaivePhase = {
    label,
    instances: slices.reduce((n, s) => n + s.ids.length, 0),
    wallMs,
    calls: meter.byOperation(),
    totalCalls: meter.total(),
    storeCalls: {},
    cpuMs,
    load: loadavg()[0]!,
    states: await ctx.fleet.stateCounts(slices),
    latencyMs,
    result,
  }
  log(`${label}: ${seconds(wallMs)}, ${phase.totalCalls} AWS calls, ${result.acted} acted, ${result.verified} verified, states ${JSON.stringify(phase.states)}`)
  return phase
}

/** Starts the slices' instances again and checks they all run, so the next phase starts from the same world. */
async function restart(ctx: Context, slices: FleetSlice[]): Promise<void> {
  await ctx.fleet.startAll(slices)
  const states = await ctx.fleet.stateCounts(slices)
  const expected = slices.reduce((n, s) => n + s.ids.length, 0)
  if (states.running !== expected) throw new Error(`restart: expected ${expected} running, moto has ${JSON.stringify(states)}`)
}

/** moto's own cost per call, one call at a time, on one account-region whose instances are all stopped: the medians, in ms. */
async function probeMoto(fleet: MotoFleet, slice: FleetSlice) {
  const ec2 = await fleet.ec2(slice.accountId, slice.region)
  let i = 0
  const one = () => slice.ids[i++ % slice.ids.length]!
  const p50 = async (reps: number, fn: () => Promise<unknown>) => (await time(fn, { warmup: 1, reps })).p50
  return {
    describeAll: await p50(3, () => ec2.send(new DescribeInstancesCommand({ InstanceIds: slice.ids }))),
    describeOne: await p50(20, () => ec2.send(new DescribeInstancesCommand({ InstanceIds: [one()] }))),
    stopOne: await p50(20, () => ec2.send(new StopInstancesCommand({ InstanceIds: [one()] }))),
    stopBatch: await p50(3, () => ec2.send(new StopInstancesCommand({ InstanceIds: slice.ids.slice(0, 100) }))),
  }
}

type Probe = Awaited<ReturnType<typeof probeMoto>>

const allStopped = (p: Phase) => p.states.stopped === p.instances && Object.keys(p.states).length === 1
const callsOf = (p: Phase, op: string) => p.calls[op]?.calls ?? 0
const perInstance = (p: Phase) => p.totalCalls / p.instances
const fraction = (r: number) => (r > 0 ? `1/${(1 / r).toFixed(1)}` : 'n/a')

/**
 * A lower bound of the naive executor's time on AWS from EC2's token buckets alone (a model, not measured):
 * its StopInstances calls in one account and region drain the mutating bucket, then go at its refill rate,
 * and its one-id DescribeInstances calls do the same with the non-mutating bucket. It works one account-region
 * after another, so each starts with full buckets, and the bounds add up.
 */
function throttleModel(slices: FleetSlice[]) {
  let naiveS = 0
  let oursStopsMax = 0
  for (const s of slices) {
    const n = s.ids.length
    const stops = Math.max(0, (n - BUCKETS.mutating.size) / BUCKETS.mutating.refill)
    const reads = Math.max(0, (n + 1 - BUCKETS.nonMutating.size) / BUCKETS.nonMutating.refill)
    naiveS += Math.max(stops, reads)
    oursStopsMax = Math.max(oursStopsMax, n)
  }
  return { naiveS, oursStopsMax }
}

interface Results {
  /** 1-minute load average when the benchmark started. */
  loadAtStart: number
  settings: ServerConfig['execution']
  seedMs: { fleet: number, wide: number }
  ours: OursPhase
  naive: NaivePhase
  oursRtt: OursPhase
  naiveRtt: NaivePhase
  wide: OursPhase
  probe: Probe
}

function callsTable(r: Results): string {
  const phases: Phase[] = [r.ours, r.naive]
  const ops = [...new Set(phases.flatMap(p => Object.keys(p.calls)))].sort()
  const cell = (p: Phase, op: string) => {
    const s = p.calls[op]
    return s ? `${s.calls.toLocaleString('en')} (${seconds(s.ms)})` : '0'
  }
  const rows = ops.map(op => [op, cell(r.ours, op), cell(r.naive, op)])
  rows.push(['**all AWS calls**', `**${r.ours.totalCalls.toLocaleString('en')}**`, `**${r.naive.totalCalls.toLocaleString('en')}**`])
  rows.push(['**calls per instance**', `**${perInstance(r.ours).toFixed(4)}**`, `**${perInstance(r.naive).toFixed(2)}**`])
  const store = (p: Phase) => Object.entries(p.storeCalls).map(([k, v]) => `${v} ${k}`).join(', ') || 'none'
  rows.push(['store calls (embedded DynamoDB, not AWS API)', store(r.ours), store(r.naive)])
  return markdownTable(['operation', `ours: ${FLEET.accounts} rules at once`, 'naive: sequential, one instance per call'], rows)
}

function figuresTable(r: Results, checks: Check[]): string {
  const m = r.ours.memory!
  const rows = [
    ['instances stopped (read back from moto)', `${r.ours.states.stopped ?? 0} of ${r.ours.instances}`, `${r.naive.states.stopped ?? 0} of ${r.naive.instances}`],
    ['acted / verified, as each executor reported', `${r.ours.acted} stopped, ${r.ours.failed} failed; runs: ${JSON.stringify(r.ours.statuses)}`, `${r.naive.result.acted} stopped, ${r.naive.result.verified} verified, ${r.naive.result.failures.length} failed`],
    ['**wall time, measured on moto (loopback)**', `**${seconds(r.ours.wallMs)}**`, `**${seconds(r.naive.wallMs)}**`],
    ['wall-time ratio ours / naive on loopback (the target is judged with the round trip: next section)', `**${fraction(r.ours.wallMs / r.naive.wallMs)}** (${(r.ours.wallMs / r.naive.wallMs).toFixed(3)})`, ''],
    ['CPU time of the bench process (user + system) during the run', seconds(r.ours.cpuMs), seconds(r.naive.cpuMs)],
    ['machine load average (1 min) at the end of the run', r.ours.load.toFixed(1), r.naive.load.toFixed(1)],
    ['peak RSS of the bench process (sampled every 50 ms)', `${mib(m.rssPeak)} MiB (${mib(m.rssStart)} MiB at the start: +${mib(m.rssPeak - m.rssStart)})`, 'not sampled'],
    ['peak V8 heap used (same samples)', `${mib(m.heapPeak)} MiB (${mib(m.heapStart)} MiB at the start: +${mib(m.heapPeak - m.heapStart)})`, ''],
  ]
  const table = markdownTable(['figure', 'ours', 'naive'], rows)
  const checkTable = markdownTable(['target', 'figure', 'result'], checks.map(c => [c.figure, c.detail, verdict(c.ok)]))
  return `${table}\n\n${checkTable}`
}

function roundTripTable(r: Results): string {
  const row = (label: string, ours: Phase, naive: Phase) => [
    label,
    `${seconds(ours.wallMs)}, ${ours.totalCalls} calls`,
    `${seconds(naive.wallMs)}, ${naive.totalCalls.toLocaleString('en')} calls`,
    `**${fraction(ours.wallMs / naive.wallMs)}**`,
  ]
  return markdownTable(['run over all ' + r.ours.instances.toLocaleString('en') + ' instances', 'ours', 'naive', 'ratio ours / naive'], [
    row('moto on loopback, as it is', r.ours, r.naive),
    row(`moto + ${LATENCY_MS} ms per call (AWS round-trip model)`, r.oursRtt, r.naiveRtt),
  ])
}

function wideTable(r: Results, checks: Check[]): string {
  const w = r.wide
  const m = w.memory!
  const rows = [
    ['instances stopped (read back from moto)', `${w.states.stopped ?? 0} of ${w.instances}`],
    ['runs', `${WIDE.accounts} rules at once: ${JSON.stringify(w.statuses)}; ${w.acted} instances stopped, ${w.failed} failed`],
    ['**wall time, measured on moto**', `**${seconds(w.wallMs)}**`],
    ['AWS calls', Object.entries(w.calls).map(([op, s]) => `${op} ${s.calls}`).join(', ') + ` = ${w.totalCalls} (${perInstance(w).toFixed(3)} per instance)`],
    ['CPU time of the bench process / load average at the end', `${seconds(w.cpuMs)} / ${w.load.toFixed(1)}`],
    ['store calls (embedded DynamoDB)', Object.entries(w.storeCalls).map(([k, v]) => `${v} ${k}`).join(', ')],
    ['peak RSS / V8 heap used (sampled every 50 ms)', `${mib(m.rssPeak)} MiB (+${mib(m.rssPeak - m.rssStart)}) / ${mib(m.heapPeak)} MiB (+${mib(m.heapPeak - m.heapStart)})`],
  ]
  const table = markdownTable(['figure', `ours: ${WIDE.accounts} accounts × 1 region × ${WIDE.perSlice} instances`], rows)
  const checkTable = markdownTable(['target', 'figure', 'result'], checks.map(c => [c.figure, c.detail, verdict(c.ok)]))
  return `${table}\n\n${checkTable}`
}

function section(r: Results, checks: { fleet: Check[], wide: Check[] }, started: Date, slices: FleetSlice[]): string {
  const ok = [...checks.fleet, ...checks.wide].every(c => c.ok)
  const model = throttleModel(slices)
  const p = r.probe
  const reads = callsOf(r.ours, 'DescribeInstances')
  return `## Executor: ${(FLEET.accounts * REGIONS.length * FLEET.perSlice).toLocaleString('en')} instances, ours against a naive executor

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.
AWS: moto ${MOTO_VERSION} on loopback (single-process Python), one server for the whole run. The machine's load average was ${r.loadAtStart.toFixed(1)} at the start
(other processes share its ${availableParallelism()} CPUs: moto-bound timings, ours most, grow with it; the load at the end of each run is in its table).

**Fleet.** ${FLEET.accounts} member accounts × ${REGIONS.length} regions (${REGIONS.join(', ')}) × ${FLEET.perSlice} running \`t3.micro\` instances tagged \`Fleet=bench\`
= ${(FLEET.accounts * REGIONS.length * FLEET.perSlice).toLocaleString('en')}, launched with one RunInstances of ${FLEET.perSlice} per account-region after AssumeRole into the account
(seeded in ${seconds(r.seedMs.fleet)}; not measured). A rule has one account, so "one rule that matches all of them" is ${FLEET.accounts} rules, one per account,
each \`action: stop\`, \`filters: ${FILTERS}\`, both regions, stored by the rules repository in an embedded store (dynalite in a temp directory).

- **Ours:** what the local scheduler does when the ${FLEET.accounts} rules fire at the same minute: \`runRule\` for each (trigger \`schedule\`, an executionId),
  all ${FLEET.accounts} concurrently, with the dependencies \`useExecutorDeps\` builds in a fresh process: one credentials resolver and one limiter
  (\`execution.concurrency\` = ${r.settings.concurrency} account-regions in flight) shared by every run, the app's cached EC2 client factory (\`useEc2Client\`, endpoint from
  \`AWS_ENDPOINT_URL\` = moto), the default configuration (\`batchSize\` ${r.settings.batchSize}, verification on with \`verifyTimeoutSeconds\` ${r.settings.verifyTimeoutSeconds}) and a verify interval of ${VERIFY_INTERVAL_MS} ms
  (moto's state changes are instant, so the first read confirms every instance and no pause is taken). Each run writes its log entry.
- **Naive** (\`bench/lib/naive-executor.ts\`): strictly sequential. For each account, AssumeRole; for each region, DescribeInstances with the same filters
  (every page), then for each running instance one StopInstances with its one id, then DescribeInstances of that one id until it reads \`stopped\`
  (verification kept for parity with ours, one instance at a time). No batching, no concurrency, no log.
- Calls are counted by a middleware on every STS and EC2 client, once per HTTP request (SDK retries would count; there were none), with the time each took.
  Every instance was started again between the two runs (not measured), and every end state was read back from moto with DescribeInstanceStatus.
- Peak memory: \`process.memoryUsage()\` of the bench process sampled every 50 ms during our run (a peak between two samples can be missed);
  moto's memory is not included. \`process.resourceUsage().maxRSS\` at the end of our run was ${mib(r.ours.memory!.maxRssEnd)} MiB, but it covers the seeding too.

### Measured: ${(r.ours.instances).toLocaleString('en')} instances

API calls by operation (summed time spent in those calls in parentheses; ours overlap, so they add up to more than its wall time):

${callsTable(r)}

${figuresTable(r, checks.fleet)}

Where the time goes, from moto's cost per call timed one call at a time after the runs (medians): DescribeInstances of ${FLEET.perSlice} instances by id
${ms(p.describeAll)} ms, of one instance ${ms(p.describeOne)} ms; StopInstances of one instance ${ms(p.stopOne)} ms, of 100 ${ms(p.stopBatch)} ms. moto writes the XML of every
instance it answers in Python, on request threads that share one interpreter, so a read of ${FLEET.perSlice} instances costs it as much as
${(p.describeAll / p.describeOne).toFixed(0)} one-instance reads, and concurrent requests do not overlap. Ours reads every instance once in full (find); its verification reads by id ask only for the instances not yet \`stopped\`
(an \`instance-state-name\` filter), so moto writes none of those it already stopped. Its ${slices.length} finding reads of
${FLEET.perSlice} instances alone cost moto ${seconds(slices.length * p.describeAll)} one at a time (of ${reads} reads in all), against its wall time of ${seconds(r.ours.wallMs)}, while the bench process itself used ${seconds(r.ours.cpuMs)} of CPU:
ours waits on moto, whose share of the ${availableParallelism()} CPUs shrinks as the machine's load grows. The naive executor pays moto's per-call cost ${r.naive.totalCalls.toLocaleString('en')} times. On loopback a call costs only milliseconds,
so the loopback ratio says how fast moto serializes instances more than how the executors compare on AWS, where every call also pays a network round trip: see the next runs.

### Measured with a round trip: +${LATENCY_MS} ms per AWS call

Both executors again over the whole fleet (every instance running again first), with ${LATENCY_MS} ms added before every STS and EC2 call by the
counting middleware: a stand-in for the network round trip every call pays on AWS (EC2 calls within a region usually take longer).
This is the wall-time target's figure: it keeps moto's own cost, measured, and adds what loopback leaves out. Ours overlaps its calls
(${r.settings.concurrency} account-regions in flight), so it pays the round trip about ${Math.round(r.oursRtt.totalCalls / r.settings.concurrency)} times in a row; the naive executor pays it ${r.naiveRtt.totalCalls.toLocaleString('en')} times.

${roundTripTable(r)}

### Model, not measured: EC2's token buckets

EC2 throttles per account and region: mutating calls (StopInstances) from a bucket of ${BUCKETS.mutating.size} refilled at ${BUCKETS.mutating.refill}/s, non-mutating
(DescribeInstances) ${BUCKETS.nonMutating.size} at ${BUCKETS.nonMutating.refill}/s, and StopInstances also spends one token per instance from a bucket of ${BUCKETS.stopResource.size} refilled at ${BUCKETS.stopResource.refill}/s.
The naive executor sends ${FLEET.perSlice} one-id StopInstances per account-region: after the first ${BUCKETS.mutating.size}, ${BUCKETS.mutating.refill} a second, so at least
${seconds(model.naiveS * 1000)} (${(model.naiveS / 60).toFixed(0)} min) over the ${slices.length} account-regions it works one after another, from throttling alone: beyond Lambda's 15 minutes.
Ours sends ${callsOf(r.ours, 'StopInstances') / slices.length} StopInstances and ${callsOf(r.ours, 'DescribeInstances') / slices.length} DescribeInstances per account-region and
asks to stop ${model.oursStopsMax} instances there: all within the buckets' first capacity, so it is not throttled.

### Measured: ${WIDE.accounts} accounts × 1 region × ${WIDE.perSlice} instances

${WIDE.accounts} rules, one per account (${WIDE.region}, same filter), fired at once through the same dependencies (a fresh resolver and limiter), so
${WIDE.accounts} AssumeRole calls. Seeded in ${seconds(r.seedMs.wide)} (not measured). On AWS each Scheduler firing is its own Lambda invocation running one rule; running
all ${WIDE.accounts} in one process, as the local scheduler would, is the harder case, and bounds what one invocation needs.

${wideTable(r, checks.wide)}

Result: **${verdict(ok)}**${ok ? '' : ` (${[...checks.fleet, ...checks.wide].filter(c => !c.ok).map(c => c.figure).join('; ')})`}.
`
}

/** Runs the executor benchmark; answers true when every asserted figure passes. */
export default async function executor(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  const loadAtStart = loadavg()[0]!
  const moto = await startMoto()
  log(`moto ${MOTO_VERSION} at ${moto.url}`)
  // This process's SDK clients go to moto with dummy keys (the app's own identity in moto's default account).
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: moto.url,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
    AWS_EC2_METADATA_DISABLED: 'true',
  })
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
  const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-bench-executor-'))
  const config = parseServerConfig({ store: 'embedded', dataDir, memberRoleName: MEMBER_ROLE }, { AWS_REGION: 'us-east-1' })
  const store = await openStore(config)
  const fleet = motoFleet(moto.url)
  const doc = countedDoc(store.doc)
  const ctx: Context = {
    endpoint: moto.url,
    config,
    rules: createRulesRepository(doc.client, config.tables.rules),
    logs: createLogsRepository(doc.client, config.tables.logs, config.logRetentionDays),
    store: doc,
    fleet,
  }
  try {
    // The 10,000-instance fleet and its rules.
    const accounts = Array.from({ length: FLEET.accounts }, (_, i) => accountId(FLEET.base, i))
    let t = performance.now()
    log(`seeding ${FLEET.accounts} accounts × ${REGIONS.length} regions × ${FLEET.perSlice} instances ...`)
    const slices = await fleet.seedAll(accounts, REGIONS, FLEET.perSlice, TAGS)
    const fleetSeedMs = performance.now() - t
    log(`seeded in ${seconds(fleetSeedMs)}`)
    const ruleNames = await createRules(ctx, 'bench-fleet', accounts, REGIONS)
    const filters: Filter[] = RuleInputSchema.parse({ name: 'f', accountId: accounts[0], action: 'stop', scheduleExpression: 'rate(1 hour)', filters: FILTERS }).filters
    const naiveRules: NaiveRule[] = ruleNames.map((name, i) => ({ name, accountId: accounts[i]!, regions: REGIONS, filters }))

    // Measured: ours, then (every instance running again) the naive one.
    const ours = await runOurs(ctx, 'ours', ruleNames, slices)
    await restart(ctx, slices)
    log('naive over the whole fleet (a few minutes) ...')
    const naive = await runNaive(ctx, 'naive', naiveRules, slices)

    // With the round trip: ours, then the naive one, each from every instance running.
    await restart(ctx, slices)
    const oursRtt = await runOurs(ctx, `ours +${LATENCY_MS} ms`, ruleNames, slices, LATENCY_MS)
    await restart(ctx, slices)
    log(`naive over the whole fleet, +${LATENCY_MS} ms per call (about ${Math.round((naive.wallMs + naive.totalCalls * LATENCY_MS) / 60_000)} minutes) ...`)
    const naiveRtt = await runNaive(ctx, `naive +${LATENCY_MS} ms`, naiveRules, slices, LATENCY_MS)
    const probe = await probeMoto(fleet, slices[0]!)
    log(`moto per call: ${JSON.stringify(probe)}`)

    // The wide run: 500 accounts, 5 instances each.
    const wideAccounts = Array.from({ length: WIDE.accounts }, (_, i) => accountId(WIDE.base, i))
    t = performance.now()
    log(`seeding ${WIDE.accounts} accounts × ${WIDE.perSlice} instances ...`)
    const wideSlices = await fleet.seedAll(wideAccounts, [WIDE.region], WIDE.perSlice, TAGS, 8)
    const wideSeedMs = performance.now() - t
    log(`seeded in ${seconds(wideSeedMs)}`)
    const wideRules = await createRules(ctx, 'bench-wide', wideAccounts, [WIDE.region])
    const wide = await runOurs(ctx, 'wide', wideRules, wideSlices)

    const results: Results = { loadAtStart, settings: config.execution, seedMs: { fleet: fleetSeedMs, wide: wideSeedMs }, ours, naive, oursRtt, naiveRtt, wide, probe }
    const rttRatio = oursRtt.wallMs / naiveRtt.wallMs
    const fleetChecks: Check[] = [
      { figure: `ours: AWS calls per instance ≤ ${TARGET.callsPerInstance}`, detail: `${ours.totalCalls} / ${ours.instances} = ${perInstance(ours).toFixed(4)}`, ok: perInstance(ours) <= TARGET.callsPerInstance },
      { figure: `wall time ours / naive ≤ 1/${1 / TARGET.wallRatio}, measured on moto + ${LATENCY_MS} ms per call (AWS round-trip model)`, detail: `${seconds(oursRtt.wallMs)} / ${seconds(naiveRtt.wallMs)} = ${fraction(rttRatio)}`, ok: rttRatio <= TARGET.wallRatio },
      { figure: 'ours: every instance ended stopped', detail: `${JSON.stringify(ours.states)}; runs ${JSON.stringify(ours.statuses)}`, ok: allStopped(ours) && ours.acted === ours.instances && ours.failed === 0 },
      { figure: 'naive: every instance ended stopped', detail: `${JSON.stringify(naive.states)}; ${naive.result.verified} verified`, ok: allStopped(naive) && naive.result.verified === naive.instances },
      { figure: `+${LATENCY_MS} ms runs: every instance ended stopped`, detail: [oursRtt, naiveRtt].map(p => `${p.label}: ${p.states.stopped ?? 0}/${p.instances}`).join('; '), ok: [oursRtt, naiveRtt].every(allStopped) && oursRtt.acted === oursRtt.instances },
    ]
    const wideChecks: Check[] = [
      { figure: `${WIDE.accounts} accounts: wall time < ${TARGET.wideMs / 60_000} min (Lambda's limit: ${LAMBDA_LIMIT_MS / 60_000} min)`, detail: seconds(wide.wallMs), ok: wide.wallMs < TARGET.wideMs },
      { figure: `${WIDE.accounts} accounts: every instance ended stopped`, detail: `${JSON.stringify(wide.states)}; runs ${JSON.stringify(wide.statuses)}`, ok: allStopped(wide) && wide.acted === wide.instances },
      { figure: `${WIDE.accounts} accounts: one AssumeRole per account`, detail: `${callsOf(wide, 'AssumeRole')} AssumeRole`, ok: callsOf(wide, 'AssumeRole') === WIDE.accounts },
    ]
    const ok = [...fleetChecks, ...wideChecks].every(c => c.ok)
    for (const c of [...fleetChecks, ...wideChecks]) console.log(`${verdict(c.ok)}  ${c.figure}: ${c.detail}`)
    const markdown = section(results, { fleet: fleetChecks, wide: wideChecks }, started, slices)
    console.log(`\n${callsTable(results)}\n\n${roundTripTable(results)}\n`)
    const docFile = writeSectionAtomically('executor', markdown)
    const raw = writeResults('executor', { started, machine: machine(), moto: MOTO_VERSION, results, checks: { fleet: fleetChecks, wide: wideChecks } })
    log(`figures written to ${docFile} (raw: ${raw}); took ${seconds(performance.now() - t0)}: ${verdict(ok)}`)
    return ok
  }
  finally {
    fleet.destroy()
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
    await moto.stop()
  }
}
