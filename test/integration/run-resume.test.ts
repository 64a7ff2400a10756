// A run over several accounts killed halfway (issue 15 §2), against moto's STS and EC2 and the embedded store: its
// journal lets the next delivery, or the sweeper, finish it. No instance gets a second StopInstances, and none is
// left out; a run too old to finish safely is logged with the account-regions it did not reach.
import type { EC2Client } from '@aws-sdk/client-ec2'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RuleInputSchema } from '../../shared/schemas/rule'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { isDispatched, runChunk, runRule, startRule } from '../../server/utils/executor/run'
import type { ExecutorDeps } from '../../server/utils/executor/run'
import { resumeInterruptedRuns } from '../../server/utils/executor/run-resume'
import { createLogsRepository } from '../../server/utils/logs'
import type { LogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import type { RulesRepository } from '../../server/utils/rules/repository'
import { createRunJournal } from '../../server/utils/run-journal'
import type { RunJournal } from '../../server/utils/run-journal'
import { ec2For, MEMBER_ROLE, motoEc2, motoSts, newAccountId, seedInstances, statesOf, uniqueValue } from './helpers/ec2'
import { embeddedStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

let store: TestStore
let rules: RulesRepository
let logs: LogsRepository
let journal: RunJournal

const REGIONS = ['us-east-1', 'eu-west-1']
const quiet = { info: () => {}, warn: () => {} }
const noWait = async () => {}
// The instant of the first delivery; the takeover comes two minutes later, when its claim has gone stale.
const FIRST = Date.parse('2026-12-01T19:00:00Z')

beforeAll(async () => {
  store = await embeddedStore()
  rules = createRulesRepository(store.store.doc, store.tables.rules)
  logs = createLogsRepository(store.store.doc, store.tables.logs, 90, () => new Date(FIRST))
  journal = createRunJournal(store.store.doc, store.tables.logs, () => new Date(FIRST))
})
afterAll(async () => store?.cleanup())

/** Every StopInstances sent, by instance id, across deliveries; and the calls that hang (a killed delivery's). */
interface Recorder {
  stops: Map<string, number>
  calls: { account: string, op: string }[]
  /** Hangs every call of this account after its StopInstances (the delivery dies before it verifies). */
  hangAfterStop?: string
  stoppedAccounts?: Set<string>
}

/** moto's EC2, counted, and made to hang as a killed Lambda would. */
function recordedEc2(rec: Recorder) {
  return (account: string, region: string, credentials?: Parameters<typeof motoEc2>[1]): EC2Client => {
    const client = motoEc2(region, credentials)
    const send = client.send.bind(client)
    client.send = (async (command: { constructor: { name: string }, input: { InstanceIds?: string[] } }, ...rest: unknown[]) => {
      const op = command.constructor.name.replace(/Command$/, '')
      if (rec.hangAfterStop === account && rec.stoppedAccounts?.has(account)) return new Promise(() => {})
      rec.calls.push({ account, op })
      if (op === 'StopInstances') {
        for (const id of command.input.InstanceIds ?? []) rec.stops.set(id, (rec.stops.get(id) ?? 0) + 1)
        rec.stoppedAccounts ??= new Set()
        rec.stoppedAccounts.add(account)
      }
      const out = await (send as (...a: unknown[]) => Promise<unknown>)(command, ...rest)
      if (op === 'StopInstances') rec.calls.push({ account, op: 'StopInstances answered' })
      return out
    }) as EC2Client['send']
    return client
  }
}

function deps(rec: Recorder, at: number, overrides: Partial<ExecutorDeps> = {}): ExecutorDeps {
  return {
    rules,
    logs,
    journal,
    execution: { memberRoleName: MEMBER_ROLE, externalId: '', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 10, concurrency: 1, verifyTimeoutSeconds: 2 },
    region: 'us-east-1',
    credentials: createCredentialsResolver({ sts: motoSts(), memberRoleName: MEMBER_ROLE, externalId: '', region: 'us-east-1', backoff: { sleep: noWait } }),
    ec2: recordedEc2(rec),
    now: () => new Date(at),
    verifyIntervalMs: 20,
    backoff: { sleep: noWait },
    sleep: noWait,
    // The killed delivery must not renew its claim from beyond the grave: this process lives on.
    heartbeatMs: 3_600_000,
    logger: quiet,
    ...overrides,
  }
}

/** `n` accounts (four by default) × two regions × two running instances, and a stop rule over them. */
async function fleet(n = 4) {
  const tag = uniqueValue('resume')
  const accounts = Array.from({ length: n }, () => newAccountId())
  const instances = new Map<string, string[]>()
  for (const a of accounts) for (const r of REGIONS) instances.set(`${a}#${r}`, await seedInstances(await ec2For(a, r), { count: 2, tags: { env: tag } }))
  const name = `resume-${tag}`
  const draft = RuleInputSchema.parse({ name, action: 'stop', scheduleExpression: 'cron(0 19 * * ? *)', accountIds: accounts, regions: REGIONS, filters: `tag:env=${tag}` })
  await rules.create({ ...draft, regions: REGIONS })
  const allIds = [...instances.values()].flat()
  const states = async () => {
    const out: Record<string, string> = {}
    for (const [key, ids] of instances) Object.assign(out, await statesOf(await ec2For(key.split('#')[0]!, key.split('#')[1]!), ids))
    return out
  }
  return { name, accounts, instances, allIds, states }
}

/** Starts a delivery that dies in the third account, after its stops and before it verifies; answers once it has. */
async function killedDelivery(rec: Recorder, f: Awaited<ReturnType<typeof fleet>>, executionId: string) {
  rec.hangAfterStop = f.accounts[2]
  void runRule(deps(rec, FIRST), { rule: f.name, trigger: 'schedule', dryRun: false, executionId, scheduledTime: new Date(FIRST).toISOString() })
  // Dead once EC2 has answered the third account's stop (accounts run one at a time here): a takeover comes minutes
  // later, when no call of the dead delivery is still on its way.
  const answered = () => rec.calls.some(c => c.account === f.accounts[2] && c.op === 'StopInstances answered')
  for (let i = 0; i < 500 && !answered(); i++) await new Promise(r => setTimeout(r, 20))
  expect(answered()).toBe(true)
  rec.hangAfterStop = undefined
}

describe('a run over several accounts, killed halfway', () => {
  it('is finished by the next delivery, which acts only where the first did not: each instance stopped exactly once', async () => {
    const f = await fleet()
    const rec: Recorder = { stops: new Map(), calls: [] }
    const executionId = `exec-${uniqueValue('kill')}`
    await killedDelivery(rec, f, executionId)
    await expect(logs.get(executionId)).rejects.toThrow()
    // The first two accounts are journaled; the third is not (it died in it).
    const head = await journal.head(executionId)
    expect(head?.accountIds).toEqual(f.accounts)
    expect([...(await journal.recorded(head!)).keys()].sort()).toEqual(f.accounts.slice(0, 2).flatMap(a => REGIONS.map(r => `${a}#${r}`)).sort())

    const before = rec.calls.length
    // Lambda's retry, two minutes later: the claim has not been renewed for longer than it may.
    const entry = await runRule(deps(rec, FIRST + 120_000), { rule: f.name, trigger: 'schedule', dryRun: false, executionId, scheduledTime: new Date(FIRST).toISOString() })

    // The takeover never touched the accounts the first delivery finished.
    const later = rec.calls.slice(before)
    expect(later.filter(c => f.accounts.slice(0, 2).includes(c.account))).toEqual([])
    expect(entry).toMatchObject({ eventId: executionId, startedAt: new Date(FIRST).toISOString(), accountId: '', accountIds: f.accounts, counts: { total: 16, failed: 0 } })
    expect(Object.values(await f.states())).toEqual(f.allIds.map(() => 'stopped'))
    // Every instance got exactly one StopInstances, across both deliveries.
    expect(f.allIds.map(id => rec.stops.get(id) ?? 0)).toEqual(f.allIds.map(() => 1))
    // The instances the dead delivery stopped (the third account's first region) are found stopped and said so.
    const deadStopped = (t: { accountId?: string, region: string }) => t.accountId === f.accounts[2] && t.region === REGIONS[0]
    expect(entry.targets.filter(deadStopped).map(t => t.outcome)).toEqual(['skipped', 'skipped'])
    expect(entry.targets.filter(t => !deadStopped(t)).map(t => t.outcome)).toEqual(Array.from({ length: 14 }, () => 'stopped'))
    expect(await logs.get(executionId)).toEqual(entry)
    // The journal is gone with the run logged.
    expect(await journal.head(executionId)).toBeNull()
    expect((await journal.recorded({ eventId: executionId, accountIds: f.accounts, regions: REGIONS })).size).toBe(0)
  })

  it('waits, acting on nothing, while the first delivery still renews its claim', async () => {
    const f = await fleet()
    const rec: Recorder = { stops: new Map(), calls: [] }
    const executionId = `exec-${uniqueValue('live')}`
    await killedDelivery(rec, f, executionId)
    const before = rec.calls.length
    // Thirty seconds later the claim is fresh: this delivery waits its ten seconds and gives up, for a later retry.
    await expect(runRule(deps(rec, FIRST + 30_000), { rule: f.name, trigger: 'schedule', dryRun: false, executionId })).rejects.toMatchObject({ name: 'RunInProgress' })
    expect(rec.calls.length).toBe(before)
  })

  it('is finished by the sweeper after Lambda\'s last retry', async () => {
    const f = await fleet()
    const rec: Recorder = { stops: new Map(), calls: [] }
    const executionId = `exec-${uniqueValue('swept')}`
    await killedDelivery(rec, f, executionId)

    // The sweep five minutes on: no delivery came back, so the sweeper takes the run over.
    const report = await resumeInterruptedRuns({ ...deps(rec, FIRST + 5 * 60_000), journal })
    expect(report.resumed).toContain(executionId)
    expect(Object.values(await f.states())).toEqual(f.allIds.map(() => 'stopped'))
    expect(f.allIds.map(id => rec.stops.get(id) ?? 0)).toEqual(f.allIds.map(() => 1))
    expect((await logs.get(executionId)).counts).toMatchObject({ total: 16, failed: 0 })
    // Nothing is left to sweep.
    expect(await resumeInterruptedRuns({ ...deps(rec, FIRST + 10 * 60_000), journal })).toEqual({ resumed: [], dispatched: [], abandoned: [], running: [], closed: [] })
  })

  it('logs a run over an hour old with what it did and each account-region it did not reach, acting on nothing', async () => {
    const f = await fleet()
    const rec: Recorder = { stops: new Map(), calls: [] }
    const executionId = `exec-${uniqueValue('stale')}`
    await killedDelivery(rec, f, executionId)
    const before = rec.calls.length

    const report = await resumeInterruptedRuns({ ...deps(rec, FIRST + 61 * 60_000), journal })
    expect(report.abandoned).toEqual([executionId])
    expect(rec.calls.length).toBe(before)
    const entry = await logs.get(executionId)
    expect(entry).toMatchObject({ status: 'partial', accountIds: f.accounts, counts: { total: 8, acted: 8 } })
    expect(entry.errors!.map(e => `${e.accountId}#${e.region}`).sort()).toEqual(f.accounts.slice(2).flatMap(a => REGIONS.map(r => `${a}#${r}`)).sort())
    expect(entry.errors![0]!.message).toMatch(/not reached: the run was interrupted/)
    // The instances it did not reach still run; the dead delivery's third account was stopped before it died.
    const states = await f.states()
    expect(f.instances.get(`${f.accounts[3]}#us-east-1`)!.map(id => states[id])).toEqual(['running', 'running'])
    expect(await journal.head(executionId)).toBeNull()
  })
})

describe('a run that fans out into chunks (Lambda), one of them killed', () => {
  it('logs once when its last chunk is done: the redelivery starts only the killed chunk, which goes on where it died', async () => {
    const f = await fleet(5)
    const rec: Recorder = { stops: new Map(), calls: [] }
    const executionId = `exec-${uniqueValue('chunks')}`
    // Lambda's asynchronous invokes, queued here: each is run below as its own invocation would run it.
    const queued: { eventId: string, chunk: number }[] = []
    const fanOut = (at: number) => deps(rec, at, { dispatch: async e => void queued.push(e), execution: { ...deps(rec, at).execution, runChunkAccounts: 2 } })
    const payload = { rule: f.name, trigger: 'schedule' as const, dryRun: false, executionId, scheduledTime: new Date(FIRST).toISOString() }

    const first = await startRule(fanOut(FIRST), payload)
    expect(isDispatched(first) && first).toEqual({ eventId: executionId, status: 'running', accounts: 5, chunks: 3, dispatched: 3 })
    expect(queued.map(e => e.chunk).sort()).toEqual([0, 1, 2])
    await expect(logs.get(executionId)).rejects.toThrow()

    // Chunks 0 and 2 run to their end; chunk 1 dies in its first account (the third), after its stops.
    expect(await Promise.all([runChunk(fanOut(FIRST), queued[0]!), runChunk(fanOut(FIRST), queued[2]!)])).toEqual([
      { eventId: executionId, chunk: 0, status: 'worked' },
      { eventId: executionId, chunk: 2, status: 'worked' },
    ])
    rec.hangAfterStop = f.accounts[2]
    void runChunk(fanOut(FIRST), queued[1]!)
    const answered = () => rec.calls.some(c => c.account === f.accounts[2] && c.op === 'StopInstances answered')
    for (let i = 0; i < 500 && !answered(); i++) await new Promise(r => setTimeout(r, 20))
    rec.hangAfterStop = undefined
    // A second invocation of a chunk still alive runs nothing.
    expect(await runChunk(fanOut(FIRST + 30_000), queued[1]!)).toEqual({ eventId: executionId, chunk: 1, status: 'held' })

    // Lambda's retry of the run, two minutes on: only the killed chunk is started again.
    queued.length = 0
    const again = await startRule(fanOut(FIRST + 120_000), payload)
    expect(isDispatched(again) && again.dispatched).toBe(1)
    expect(queued).toEqual([{ eventId: executionId, chunk: 1 }])
    const before = rec.calls.length
    expect(await runChunk(fanOut(FIRST + 120_000), queued[0]!)).toEqual({ eventId: executionId, chunk: 1, status: 'finished' })
    // The taken-over chunk worked only its accounts.
    expect(new Set(rec.calls.slice(before).map(c => c.account))).toEqual(new Set([f.accounts[2], f.accounts[3]]))

    const entry = await logs.get(executionId)
    expect(entry).toMatchObject({ eventId: executionId, status: 'succeeded', accountId: '', accountIds: f.accounts, startedAt: new Date(FIRST).toISOString(), counts: { total: 20, failed: 0 } })
    expect(entry.targets.map(t => t.accountId)).toEqual(f.accounts.flatMap(a => [a, a, a, a]))
    expect(Object.values(await f.states())).toEqual(f.allIds.map(() => 'stopped'))
    expect(f.allIds.map(id => rec.stops.get(id) ?? 0)).toEqual(f.allIds.map(() => 1))
    // Logged and closed: a late duplicate of any chunk, or of the run, does nothing more.
    expect(await runChunk(fanOut(FIRST + 180_000), { eventId: executionId, chunk: 0 })).toEqual({ eventId: executionId, chunk: 0, status: 'no-run' })
    expect(await startRule(fanOut(FIRST + 180_000), payload)).toEqual(entry)
  })
})
