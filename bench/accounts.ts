// Accounts benchmark (issue 15 §2): one rule over 1,000 accounts × 2 regions × 5 instances, on moto, with a modelled
// 50 ms round trip before every AWS call, against a naive sequential executor. Four phases over the same fleet:
// - ours in one invocation (runRule, inline through the run's journal, as a process without fan-out runs it);
// - ours fanned out, as in Lambda (startRule with a dispatcher): a chunk of NUXT_RUN_CHUNK_ACCOUNTS accounts per
//   invocation, each chunk run here in this process with dependencies of its own (its limiter, its credentials cache),
//   as a separate Lambda invocation would have; the first chunk alone (as each invocation runs against AWS, whose
//   endpoints do not slow down for the other chunks' calls), then the others at most FAN_OUT_AT_ONCE at a time (the
//   function's reserved concurrency: Lambda holds the other asynchronous invokes in its queue);
// - ours killed at 50%: a child process runs the rule and SIGKILLs itself once half the instances are stopped; the
//   redelivery (here, two minutes later by the clock it is given) takes the run over;
// - the naive executor on a sample of accounts, extrapolated to the 1,000 (it is strictly sequential: linear).
// Asserted: ≤ 4 AWS calls per account-region, one AssumeRole command per account, every instance stopped in every phase,
// a chunk alone within half the function's default timeout, every chunk within that timeout and the fanned-out run
// within half of Lambda's 15 minutes (both on one moto process), and after the kill every instance stopped by exactly
// one StopInstances across both processes.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { EC2Client } from '@aws-sdk/client-ec2'
import type { LogEntry } from '../shared/schemas/log'
import { RuleInputSchema } from '../shared/schemas/rule'
import { MOTO_VERSION, startMoto } from '../scripts/with-moto.mjs'
import { createEc2Client } from '../server/utils/aws/ec2'
import { createStsClient } from '../server/utils/aws/sts'
import { createLimiter, mapWithConcurrency } from '../server/utils/concurrency'
import { createCredentialsResolver } from '../server/utils/executor/credentials'
import { isDispatched, runChunk, runRule, startRule } from '../server/utils/executor/run'
import type { ExecutorDeps } from '../server/utils/executor/run'
import { createLogsRepository } from '../server/utils/logs'
import { createRulesRepository } from '../server/utils/rules/repository'
import { createRunJournal } from '../server/utils/run-journal'
import { documentClient } from '../server/utils/store'
import { ensureTables } from '../server/utils/tables'
import { CONFIG_DEFAULTS } from '../server/config-defaults'
import { createMeter } from './lib/aws-meter'
import type { Meter, OperationStats } from './lib/aws-meter'
import { MEMBER_ROLE, motoFleet } from './lib/ec2-fleet'
import { mib, sampleMemory } from './lib/memory'
import type { MemoryPeak } from './lib/memory'
import { naiveStop } from './lib/naive-executor'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'

const COMMAND = 'npm run bench -- accounts'
// BENCH_ACCOUNTS only for a quick look at the bench itself: the figures of record are of 1,000.
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000)
const REGIONS = ['us-east-1', 'eu-west-1']
const PER_SLICE = 5
const BASE = 300_000_000_000
const LATENCY_MS = 50
const NAIVE_SAMPLE = 20
const CHUNK = CONFIG_DEFAULTS.runChunkAccounts
const CONCURRENCY = CONFIG_DEFAULTS.concurrency
const VERIFY_INTERVAL_MS = 200
// The function's default timeout in infra/hub.yaml (Timeout parameter), and Lambda's longest.
const FUNCTION_TIMEOUT_MS = 300_000
const LAMBDA_LIMIT_MS = 15 * 60_000
// The default ReservedConcurrency of infra/hub.yaml: at most this many invocations of the function run at once.
const FAN_OUT_AT_ONCE = 20
const TARGET = { callsPerAccountRegion: 4, chunkAloneMs: FUNCTION_TIMEOUT_MS / 2, chunkMs: FUNCTION_TIMEOUT_MS, fanOutMs: LAMBDA_LIMIT_MS / 2 }
const TAGS = { Fleet: 'accounts' }

const log = (line: string) => console.log(`[accounts] ${line}`)
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
const quiet = { info: () => {}, warn: (line: string) => log(`executor warning: ${line}`) }

interface Phase {
  label: string
  wallMs: number
  calls: Record<string, OperationStats>
  totalCalls: number
  memory: MemoryPeak
  load: number
  states: Record<string, number>
  entry: Pick<LogEntry, 'status' | 'counts'>
  chunkMs?: number[]
  chunkAloneMs?: number
}

interface Check {
  figure: string
  detail: string
  ok: boolean
}

/** Counts each instance's StopInstances, by id, on every EC2 client it is attached to. */
function stopCounter() {
  const stops = new Map<string, number>()
  return {
    stops,
    attach<C extends EC2Client>(client: C): C {
      client.middlewareStack.add((next, context) => async (args) => {
        const out = await next(args)
        if (context.commandName === 'StopInstancesCommand') for (const id of (args.input as { InstanceIds?: string[] }).InstanceIds ?? []) stops.set(id, (stops.get(id) ?? 0) + 1)
        return out
      }, { step: 'deserialize', name: 'stopCounter' })
      return client
    },
  }
}

export default async function accounts(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  const loadAtStart = loadavg()[0]!
  const moto = await startMoto()
  log(`moto ${MOTO_VERSION} at ${moto.url}`)
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' })
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
  const work = mkdtempSync(join(tmpdir(), 'ouroboros-bench-accounts-'))
  const fleet = motoFleet(moto.url)
  // The store is moto's DynamoDB: the killed child and this process share it, as two Lambda invocations share DynamoDB.
  const dynamo = new DynamoDBClient({ region: 'us-east-1', endpoint: moto.url })
  const doc = documentClient(dynamo)
  // The core tables come as a set (tables.ts): only the rules and logs are used.
  const tables = { rules: 'bench-rules', logs: 'bench-logs', calendars: 'bench-calendars', overrides: 'bench-overrides', notifications: 'bench-notifications' }
  try {
    await ensureTables(dynamo, tables)
    const rules = createRulesRepository(doc, tables.rules)
    const accountIds = Array.from({ length: ACCOUNTS }, (_, i) => String(BASE + i))
    const seedStart = performance.now()
    const slices = await fleet.seedAll(accountIds, REGIONS, PER_SLICE, TAGS, 8)
    const instances = slices.reduce((n, s) => n + s.ids.length, 0)
    log(`seeded ${instances} instances in ${slices.length} account-regions in ${seconds(performance.now() - seedStart)}`)
    const draft = RuleInputSchema.parse({ name: 'accounts-bench', action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', accountIds, regions: REGIONS, filters: 'tag:Fleet=accounts' })
    await rules.create({ ...draft, regions: REGIONS })

    /** The dependencies of one invocation: its own limiter and credentials cache; every AWS call metered. */
    const invocation = (meter: Meter, extra: Partial<ExecutorDeps> = {}, counter = stopCounter()): ExecutorDeps => {
      const sts = meter.attach(createStsClient({ region: 'us-east-1', endpoint: moto.url }))
      const clients = new Map<string, EC2Client>()
      return {
        rules,
        logs: createLogsRepository(doc, tables.logs, 90),
        journal: createRunJournal(doc, tables.logs),
        execution: { memberRoleName: MEMBER_ROLE, externalId: '', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 100, concurrency: CONCURRENCY, verifyTimeoutSeconds: 120, runChunkAccounts: CHUNK },
        region: 'us-east-1',
        credentials: createCredentialsResolver({ sts, memberRoleName: MEMBER_ROLE, externalId: '', region: 'us-east-1' }),
        ec2: (account, region, credentials) => {
          const key = `${account}/${region}`
          let c = clients.get(key)
          if (!c) clients.set(key, c = counter.attach(meter.attach(createEc2Client({ region, credentials, endpoint: moto.url }))))
          return c
        },
        limiter: createLimiter(CONCURRENCY),
        verifyIntervalMs: VERIFY_INTERVAL_MS,
        logger: quiet,
        ...extra,
      }
    }
    const payload = () => ({ rule: draft.name, trigger: 'schedule' as const, dryRun: false, executionId: randomUUID(), scheduledTime: new Date().toISOString() })
    const measure = async (label: string, meter: Meter, go: () => Promise<Pick<LogEntry, 'status' | 'counts'>>, extra: Partial<Phase> = {}): Promise<Phase> => {
      const memory = sampleMemory(50)
      const start = performance.now()
      const entry = await go()
      const wallMs = performance.now() - start
      const phase: Phase = { label, wallMs, calls: meter.byOperation(), totalCalls: meter.total(), memory: memory.stop(), load: loadavg()[0]!, states: await fleet.stateCounts(slices, 8), entry, ...extra }
      log(`${label}: ${seconds(wallMs)}, ${phase.totalCalls} AWS calls, ${JSON.stringify(entry.counts)}, states ${JSON.stringify(phase.states)}, peak RSS ${mib(phase.memory.rssPeak)} MiB`)
      return phase
    }
    const restart = async () => {
      await fleet.startAll(slices, 8)
      const states = await fleet.stateCounts(slices, 8)
      if (states.running !== instances) throw new Error(`restart: ${JSON.stringify(states)}`)
    }

    // 1. One invocation, inline.
    const inlineMeter = createMeter(LATENCY_MS)
    const inline = await measure('ours, one invocation', inlineMeter, () => runRule(invocation(inlineMeter), payload()))
    await restart()

    // 2. Fanned out: each chunk as an invocation of its own, started as Lambda starts an asynchronous invoke: the
    // first alone, then the others FAN_OUT_AT_ONCE at a time.
    const fanMeter = createMeter(LATENCY_MS)
    const chunkMs: number[] = []
    const queued: { eventId: string, chunk: number }[] = []
    const dispatch = async (event: { eventId: string, chunk: number }) => {
      queued.push(event)
    }
    const timedChunk = async (event: { eventId: string, chunk: number }) => {
      const s = performance.now()
      await runChunk(invocation(fanMeter), event)
      const ms = performance.now() - s
      chunkMs.push(ms)
      return ms
    }
    let chunkAloneMs = 0
    const fanOut = await measure('ours, fanned out', fanMeter, async () => {
      const p = payload()
      const answer = await startRule(invocation(fanMeter, { dispatch }), p)
      if (!isDispatched(answer)) throw new Error('the run did not fan out')
      const [first, ...rest] = queued
      chunkAloneMs = await timedChunk(first!)
      await mapWithConcurrency(rest, FAN_OUT_AT_ONCE, timedChunk)
      return createLogsRepository(doc, tables.logs, 90).get(p.executionId)
    }, { chunkMs })
    fanOut.chunkAloneMs = chunkAloneMs
    await restart()

    // 3. Killed at 50%, then redelivered.
    const killed = payload()
    const stopsFile = join(work, 'stops.txt')
    const killStart = performance.now()
    const child = spawn(process.execPath, [join(import.meta.dirname, 'run.mjs'), '--one', join(import.meta.dirname, 'lib', 'killed-run.ts')], {
      env: { ...process.env, MOTO: moto.url, RULES_TABLE: tables.rules, LOGS_TABLE: tables.logs, RULE: draft.name, EXECUTION_ID: killed.executionId, SCHEDULED_TIME: killed.scheduledTime, KILL_AFTER_STOPS: String(instances / 2), STOPS_FILE: stopsFile, LATENCY_MS: String(LATENCY_MS), MEMBER_ROLE },
      stdio: ['ignore', 'inherit', 'inherit'],
    })
    const exit = await new Promise<{ code: number | null, signal: string | null }>(resolve => child.on('exit', (code, signal) => resolve({ code, signal })))
    const childMs = performance.now() - killStart
    const before = readFileSync(stopsFile, 'utf8').split('\n').filter(Boolean)
    const statesAtKill = await fleet.stateCounts(slices, 8)
    log(`killed run: ${exit.signal ?? `exit ${exit.code}`} after ${seconds(childMs)}, ${before.length} instances stopped, states ${JSON.stringify(statesAtKill)}`)
    const resumeMeter = createMeter(LATENCY_MS)
    const counter = stopCounter()
    // The redelivery comes when the dead delivery's claim has gone stale (once.ts): its clock says two minutes later.
    const later = () => new Date(Date.now() + 120_000)
    const resumed = await measure('ours, redelivered after the kill', resumeMeter, () => runRule(invocation(resumeMeter, { now: later }, counter), killed))
    const stopsPerInstance = new Map<string, number>()
    for (const id of before) stopsPerInstance.set(id, (stopsPerInstance.get(id) ?? 0) + 1)
    for (const [id, n] of counter.stops) stopsPerInstance.set(id, (stopsPerInstance.get(id) ?? 0) + n)
    const allIds = slices.flatMap(s => s.ids)
    const once = allIds.filter(id => stopsPerInstance.get(id) === 1).length
    const twice = allIds.filter(id => (stopsPerInstance.get(id) ?? 0) > 1).length
    const never = allIds.filter(id => !stopsPerInstance.has(id)).length

    // 4. Naive, on a sample (all stopped now: the sample is started again first).
    const sample = slices.filter(s => Number(s.accountId) - BASE < NAIVE_SAMPLE)
    await fleet.startAll(sample, 8)
    const naiveMeter = createMeter(LATENCY_MS)
    const naiveStart = performance.now()
    const naive = await naiveStop(accountIds.slice(0, NAIVE_SAMPLE).map(accountId => ({ name: draft.name, accountId, regions: REGIONS, filters: draft.filters })), {
      sts: createStsClient({ region: 'us-east-1', endpoint: moto.url }),
      endpoint: moto.url,
      memberRoleName: MEMBER_ROLE,
      meter: naiveMeter,
      verifyIntervalMs: VERIFY_INTERVAL_MS,
      verifyTimeoutMs: 120_000,
    })
    const naiveSampleMs = performance.now() - naiveStart
    const naiveMs = naiveSampleMs * (ACCOUNTS / NAIVE_SAMPLE)
    log(`naive on ${NAIVE_SAMPLE} accounts: ${seconds(naiveSampleMs)} (${naive.acted} stopped), ${naiveMeter.total()} calls; extrapolated to ${ACCOUNTS}: ${seconds(naiveMs)}`)

    const accountRegions = ACCOUNTS * REGIONS.length
    const perAR = (p: Phase) => p.totalCalls / accountRegions
    const assumes = (p: Phase) => p.calls.AssumeRole?.commands ?? 0
    const assumeAttempts = (p: Phase) => p.calls.AssumeRole?.calls ?? 0
    const stopped = (p: Phase) => p.states.stopped === instances && Object.keys(p.states).length === 1
    const maxChunk = Math.max(...chunkMs)
    const laterChunks = chunkMs.slice(1)
    const checks: Check[] = [
      { figure: `AWS calls per account-region, one invocation ≤ ${TARGET.callsPerAccountRegion}`, detail: perAR(inline).toFixed(2), ok: perAR(inline) <= TARGET.callsPerAccountRegion },
      { figure: `AWS calls per account-region, fanned out ≤ ${TARGET.callsPerAccountRegion}`, detail: perAR(fanOut).toFixed(2), ok: perAR(fanOut) <= TARGET.callsPerAccountRegion },
      { figure: 'one AssumeRole command per account (both phases)', detail: `${assumes(inline)} and ${assumes(fanOut)} for ${ACCOUNTS} accounts (HTTP attempts, SDK retries included: ${assumeAttempts(inline)} and ${assumeAttempts(fanOut)})`, ok: assumes(inline) === ACCOUNTS && assumes(fanOut) === ACCOUNTS },
      { figure: 'every instance stopped, every outcome logged (both phases)', detail: `${JSON.stringify(inline.states)} / ${JSON.stringify(fanOut.states)}; logged ${inline.entry.counts.total} and ${fanOut.entry.counts.total}`, ok: stopped(inline) && stopped(fanOut) && inline.entry.counts.total === instances && fanOut.entry.counts.total === instances },
      { figure: `fanned out: a chunk alone within half the function's default timeout (≤ ${seconds(TARGET.chunkAloneMs)})`, detail: seconds(chunkAloneMs), ok: chunkAloneMs <= TARGET.chunkAloneMs },
      { figure: `fanned out: every chunk within the function's default timeout (≤ ${seconds(TARGET.chunkMs)}), ${FAN_OUT_AT_ONCE} at once on one moto`, detail: `slowest of ${chunkMs.length}: ${seconds(maxChunk)}`, ok: maxChunk <= TARGET.chunkMs },
      { figure: `fanned out: the run within half of Lambda's ${LAMBDA_LIMIT_MS / 60_000} min (≤ ${TARGET.fanOutMs / 60_000} min), on one moto`, detail: seconds(fanOut.wallMs), ok: fanOut.wallMs <= TARGET.fanOutMs },
      { figure: 'killed at 50%, redelivered: every instance stopped', detail: `killed by ${exit.signal ?? `exit ${exit.code}`} with ${before.length} stopped; after: ${JSON.stringify(resumed.states)}`, ok: exit.signal === 'SIGKILL' && stopped(resumed) },
      { figure: 'killed at 50%, redelivered: each instance stopped by exactly one StopInstances, across both', detail: `${once} once, ${twice} twice or more, ${never} never`, ok: once === instances },
      { figure: 'killed at 50%, redelivered: the log holds every instance', detail: `${resumed.entry.counts.total} outcomes (${JSON.stringify(resumed.entry.counts)})`, ok: resumed.entry.counts.total === instances },
    ]
    const ok = checks.every(c => c.ok)
    for (const c of checks) console.log(`${verdict(c.ok)}  ${c.figure}: ${c.detail}`)

    const callCells = (p: Phase) => Object.entries(p.calls).map(([op, s]) => `${op} ${s.calls}${s.commands === s.calls ? '' : ` (${s.commands} commands)`}`).join(', ')
    const rows = [inline, fanOut, resumed].map(p => [
      p.label,
      `**${seconds(p.wallMs)}**`,
      `${callCells(p)} = ${p.totalCalls} (**${perAR(p).toFixed(2)}** per account-region)`,
      `${mib(p.memory.rssPeak)} MiB (+${mib(p.memory.rssPeak - p.memory.rssStart)}); heap ${mib(p.memory.heapPeak)} MiB`,
      `${p.entry.status}: ${JSON.stringify(p.entry.counts)}`,
      p.load.toFixed(1),
    ])
    rows.push([`naive, sequential (${NAIVE_SAMPLE} accounts measured, ×${ACCOUNTS / NAIVE_SAMPLE})`, `**${seconds(naiveMs)}** (${seconds(naiveSampleMs)} measured)`, `${naiveMeter.total()} for ${NAIVE_SAMPLE * REGIONS.length} account-regions (${(naiveMeter.total() / (NAIVE_SAMPLE * REGIONS.length)).toFixed(2)} per account-region)`, 'not sampled', `${naive.acted} stopped, ${naive.failures.length} failed`, loadavg()[0]!.toFixed(1)])
    const markdown = `## Accounts: one rule over ${ACCOUNTS.toLocaleString('en')} accounts × ${REGIONS.length} regions × ${PER_SLICE} instances, killed halfway too

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.
AWS: moto ${MOTO_VERSION} on loopback, one server (its DynamoDB is the store too, shared with the killed child), and **${LATENCY_MS} ms added before every AWS call** (STS and EC2) as AWS's round trip.
Load average ${loadAtStart.toFixed(1)} at the start (${availableParallelism()} CPUs; the load at the end of each phase is in its row).

- **Fleet:** ${ACCOUNTS} member accounts × ${REGIONS.join(', ')} × ${PER_SLICE} running instances tagged \`Fleet=accounts\` = ${instances.toLocaleString('en')}; **one rule** with the ${ACCOUNTS} \`accountIds\`, \`action: stop\`. Every instance was started again between phases (not measured).
- **Ours, one invocation:** \`runRule\`, the rule's accounts ${CONCURRENCY} at a time (\`NUXT_CONCURRENCY\`), one limiter and credentials cache, through the run's journal, verification on (read every ${VERIFY_INTERVAL_MS} ms; moto's changes are instant).
- **Ours, fanned out:** \`startRule\` with a dispatcher, as in Lambda: ${Math.ceil(ACCOUNTS / CHUNK)} chunks of ${CHUNK} accounts (\`NUXT_RUN_CHUNK_ACCOUNTS\`). Each chunk ran in this process with dependencies of its own (limiter, credentials cache), as an invocation of its own would. The first ran alone: that is what one invocation takes when nothing else slows its endpoints down, as in AWS, where each chunk's calls go to its own accounts' endpoints. The others ran at most ${FAN_OUT_AT_ONCE} at once (the function's default \`ReservedConcurrency\` in \`infra/hub.yaml\`; Lambda keeps the other asynchronous invokes queued), all served by one moto process, so their times are moto's queue more than their own work. The last chunk wrote the log. Wall time: from the first delivery to the log.
- **Killed at 50%:** a child process (\`bench/lib/killed-run.ts\`) ran the rule inline and killed itself with SIGKILL once ${instances / 2} instances were stopped: from then it sent no call, let the calls on their way finish and recorded them, and died. It had worked for ${seconds(childMs)}. The redelivery (\`runRule\`, same executionId, its clock two minutes later, so the dead claim is stale) took the run over from the journal. Every StopInstances is counted by instance id, in both processes.
- **Naive** (\`bench/lib/naive-executor.ts\`): one account after another, AssumeRole, then per region a DescribeInstances and, per instance, a StopInstances of its one id and DescribeInstances of it until \`stopped\`. Measured on ${NAIVE_SAMPLE} accounts and multiplied by ${ACCOUNTS / NAIVE_SAMPLE}: it is sequential, so its time is linear in the accounts.
- Peak memory: \`process.memoryUsage()\` of the bench process, sampled every 50 ms (moto's is not included). Fanned out, it holds every chunk at once; one Lambda invocation holds one.

| phase | wall time | AWS calls | peak RSS | log | load at end |
| --- | --- | --- | --- | --- | --- |
${rows.map(r => `| ${r.join(' | ')} |`).join('\n')}

Ratio ours / naive (extrapolated): one invocation **1/${(naiveMs / inline.wallMs).toFixed(0)}**, fanned out **1/${(naiveMs / fanOut.wallMs).toFixed(0)}**. Chunks: ${chunkMs.length}; the first, alone, ${seconds(chunkAloneMs)}; the others ${FAN_OUT_AT_ONCE} at once: slowest ${seconds(Math.max(...laterChunks))}, median ${seconds([...laterChunks].sort((a, b) => a - b)[Math.floor(laterChunks.length / 2)]!)}.
At the kill, moto held ${JSON.stringify(statesAtKill)}.

${markdownTable(['target', 'figure', 'result'], checks.map(c => [c.figure, c.detail, verdict(c.ok)]))}

Result: **${ok ? 'PASS' : 'FAIL'}**.`
    const docFile = writeSectionAtomically('accounts', markdown)
    const raw = writeResults('accounts', { started, machine: machine(), moto: MOTO_VERSION, inline, fanOut, resumed, naive: { sampleMs: naiveSampleMs, extrapolatedMs: naiveMs, calls: naiveMeter.byOperation() }, kill: { exit, childMs, stoppedBefore: before.length, statesAtKill, once, twice, never }, checks })
    log(`figures written to ${docFile} (raw: ${raw}); took ${seconds(performance.now() - t0)}: ${verdict(ok)}`)
    return ok
  }
  finally {
    fleet.destroy()
    dynamo.destroy()
    rmSync(work, { recursive: true, force: true })
    await moto.stop()
  }
}
