// The paging benchmark's data set: 10,000 rules and 100,000 runs over 100 of them, one "hot" rule with 10,000,
// seeded once into an embedded store under bench/.cache and reused while its key (seed version, sizes,
// stored item shape, table definitions) is unchanged.
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { LogEntry, LogStatus } from '../../shared/schemas/log'
import { RuleInputSchema } from '../../shared/schemas/rule'
import type { RuleDraft } from '../../shared/schemas/rule'
import { parseServerConfig } from '../../server/utils/config'
import type { ServerConfig } from '../../server/utils/config'
import { openStore } from '../../server/utils/store'
import { tableDefinitions } from '../../server/utils/tables'
import { ROOT } from './report'
import { batchWriteAll, itemBuilders } from './seed'
import type { Item } from './seed'

/** Bump to reseed when the generator below changes in a way the key cannot see. */
const SEED_VERSION = 1

export const DATA = {
  rules: 10_000,
  logs: 100_000,
  /** Rules that have runs: every 100th rule, spread through the name order. */
  rulesWithLogs: 100,
  hotRule: 'hot-nightly-stop',
  hotRuns: 10_000,
  /** Runs are spread over the last this many days before the seed, well inside the 90-day retention. */
  spanDays: 30,
  /** A cache older than this is reseeded, so no run nears its expiry. */
  maxCacheAgeDays: 30,
} as const

const TEAMS = ['web', 'db', 'batch', 'ci', 'ml', 'etl', 'api', 'cache']
const STATUSES: LogStatus[] = ['succeeded', 'succeeded', 'succeeded', 'succeeded', 'partial', 'failed', 'nothing-to-do']

export function ruleName(i: number): string {
  return i === 0 ? DATA.hotRule : `${TEAMS[i % TEAMS.length]}-${String(i).padStart(5, '0')}-${i % 2 ? 'start' : 'stop'}`
}

function ruleDraft(i: number): RuleDraft & { regions: string[] } {
  const parsed = RuleInputSchema.parse({
    name: ruleName(i),
    description: `Benchmark rule ${i}: ${i % 2 ? 'start' : 'stop'} the ${TEAMS[i % TEAMS.length]} fleet on weekdays`,
    accountId: String(100_000_000_000 + (i % 50)),
    regions: i % 3 ? ['us-east-1'] : ['us-east-1', 'eu-west-1'],
    action: i % 2 ? 'start' : 'stop',
    filters: `tag:team=${TEAMS[i % TEAMS.length]},tag:env=${i % 4 ? 'dev' : 'staging'}`,
    scheduleExpression: i % 2 ? 'cron(0 7 ? * MON-FRI *)' : 'cron(0 19 ? * MON-FRI *)',
    timezone: i % 5 ? 'Europe/Berlin' : 'America/New_York',
    // Disabled: a local scheduler in the server must never act on 10,000 benchmark rules.
    enabled: false,
  })
  return { ...parsed, regions: parsed.regions ?? ['us-east-1'] }
}

/** Runs of the k-th rule with runs: the hot rule has DATA.hotRuns, the others share the rest. */
function runsOf(k: number): number {
  if (k === 0) return DATA.hotRuns
  const rest = DATA.logs - DATA.hotRuns
  const others = DATA.rulesWithLogs - 1
  return Math.floor(rest / others) + (k - 1 < rest % others ? 1 : 0)
}

/** A deterministic UUID-shaped id, like a Scheduler execution id. */
function eventId(k: number, j: number): string {
  const h = createHash('sha1').update(`${SEED_VERSION}:${k}:${j}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`
}

function logEntry(k: number, j: number, rule: RuleDraft, seededAt: number): LogEntry {
  // Newest first in j, evenly over the span, each rule offset a little so runs of different rules interleave.
  const started = seededAt - Math.floor(((j + 1) * DATA.spanDays * 86_400_000) / runsOf(k)) - k * 1000
  const instances = 3
  const status = STATUSES[(k + j) % STATUSES.length]!
  return {
    eventId: eventId(k, j),
    ruleName: rule.name,
    trigger: j % 20 ? 'schedule' : 'manual',
    scheduledTime: j % 20 ? new Date(started).toISOString() : null,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(started + 4000).toISOString(),
    action: rule.action,
    accountId: rule.accountIds[0]!,
    regions: ['us-east-1'],
    filters: rule.filters,
    status,
    ...(status === 'nothing-to-do' ? { message: 'no instance matched the filters' } : {}),
    targets: Array.from({ length: instances }, (_, t) => ({
      instanceId: `i-${(k * 1000 + t).toString(16).padStart(17, '0')}`,
      region: 'us-east-1',
      name: `${rule.name}-${t}`,
      stateBefore: rule.action === 'stop' ? 'running' : 'stopped',
      stateAfter: rule.action === 'stop' ? 'stopped' : 'running',
      outcome: rule.action === 'stop' ? 'stopped' : 'started',
    })),
    counts: { total: instances, acted: instances, skipped: 0, failed: 0 },
  }
}

/** The config the app would parse for this data directory. */
export function embeddedConfig(dataDir: string): ServerConfig {
  return parseServerConfig({ store: 'embedded', dataDir }, { AWS_REGION: 'us-east-1' })
}

/** What the cache depends on: a change to any of it (say, a new stored attribute) makes a new data directory. */
async function cacheKey(config: ServerConfig): Promise<string> {
  const build = itemBuilders(config.tables, config.logRetentionDays)
  const rule = ruleDraft(1)
  const sample = {
    version: SEED_VERSION,
    data: { ...DATA, maxCacheAgeDays: undefined },
    tables: tableDefinitions(config.tables),
    rule: await build.rule(rule, new Date(0)),
    log: await build.log(logEntry(1, 0, rule, 0)),
  }
  return createHash('sha256').update(JSON.stringify(sample)).digest('hex').slice(0, 12)
}

export interface Seeded {
  dataDir: string
  key: string
  /** Whether this run seeded it, or reused the cache. */
  fresh: boolean
  seededAt: string
  seedMs: { rules: number, logs: number, total: number }
}

interface Marker extends Omit<Seeded, 'dataDir' | 'fresh'> {
  rules: number
  logs: number
}

async function* logItems(build: ReturnType<typeof itemBuilders>, seededAt: number): AsyncGenerator<Item> {
  for (let k = 0; k < DATA.rulesWithLogs; k++) {
    const rule = ruleDraft(k * (DATA.rules / DATA.rulesWithLogs))
    for (let j = 0; j < runsOf(k); j++) yield build.log(logEntry(k, j, rule, seededAt))
  }
}

async function* ruleItems(build: ReturnType<typeof itemBuilders>, seededAt: number): AsyncGenerator<Item> {
  // Created over the span too, a minute apart, so createdAt varies like real data.
  for (let i = 0; i < DATA.rules; i++) yield build.rule(ruleDraft(i), new Date(seededAt - (DATA.rules - i) * 60_000))
}

/** The seeded data directory: from the cache when its key matches and it is recent, else seeded now. */
export async function seededDataDir(log: (line: string) => void): Promise<Seeded> {
  const cacheRoot = join(ROOT, 'bench', '.cache')
  const probe = embeddedConfig(join(cacheRoot, 'probe'))
  const key = await cacheKey(probe)
  const dataDir = join(cacheRoot, `paging-${key}`)
  const markerFile = join(dataDir, 'seed.json')

  if (existsSync(markerFile)) {
    const marker = JSON.parse(readFileSync(markerFile, 'utf8')) as Marker
    const ageDays = (Date.now() - Date.parse(marker.seededAt)) / 86_400_000
    if (marker.key === key && marker.rules === DATA.rules && marker.logs === DATA.logs && ageDays < DATA.maxCacheAgeDays) {
      log(`reusing the seeded store in ${dataDir} (seeded ${marker.seededAt} in ${(marker.seedMs.total / 1000).toFixed(1)} s)`)
      return { dataDir, key, fresh: false, seededAt: marker.seededAt, seedMs: marker.seedMs }
    }
  }

  // Older seeds (other keys) and a half-written one are removed first.
  if (existsSync(cacheRoot)) {
    for (const entry of readdirSync(cacheRoot)) if (entry.startsWith('paging-')) rmSync(join(cacheRoot, entry), { recursive: true, force: true })
  }
  mkdirSync(dataDir, { recursive: true })
  log(`seeding ${DATA.rules} rules and ${DATA.logs} runs into ${dataDir} ...`)

  const config = embeddedConfig(dataDir)
  const store = await openStore(config)
  const build = itemBuilders(config.tables, config.logRetentionDays)
  const seededAt = Date.now()
  const t0 = performance.now()
  let rules: number, logs: number, rulesMs: number
  try {
    rules = await batchWriteAll(store.doc, config.tables.rules, ruleItems(build, seededAt))
    rulesMs = performance.now() - t0
    log(`  ${rules} rules in ${(rulesMs / 1000).toFixed(1)} s`)
    logs = await batchWriteAll(store.doc, config.tables.logs, logItems(build, seededAt))
  }
  finally {
    await store.close()
  }
  const total = performance.now() - t0
  const seedMs = { rules: Math.round(rulesMs), logs: Math.round(total - rulesMs), total: Math.round(total) }
  log(`  ${logs} runs in ${(seedMs.logs / 1000).toFixed(1)} s`)
  const marker: Marker = { key, seededAt: new Date(seededAt).toISOString(), seedMs, rules, logs }
  // Written last: a seed that did not finish has no marker and is redone.
  writeFileSync(markerFile, `${JSON.stringify(marker, null, 2)}\n`)
  return { dataDir, key, fresh: true, seededAt: marker.seededAt, seedMs }
}
