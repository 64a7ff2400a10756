// Executor benchmark for the other resource types (issue 16, section 5): 200 RDS DB instances and 200 Auto Scaling
// groups in 10 accounts, stopped by one rule per account (resourceTypes rds and asg), ours against a naive per-resource
// executor, both on moto. What is compared is the number of AWS calls per resource, by operation: deterministic for a
// given fleet, so a fair measure on a busy machine (wall times are reported, not asserted).
// Asserted: finding the fleet (a dry run of the same rules, measured alone) and the whole run each take ours ≤ 0.07 RDS
// Describe calls per DB instance and ≤ 0.07 Auto Scaling Describe calls per group (the target is 0.1: met with a
// margin), the whole run's Describe calls are ≤ 1/10 of the naive's, and every resource ends stopped (DB instances
// `stopped`, groups at desired 0 with their capacity saved). The run reads a database back only while its Stop answer
// does not already say `stopped` (moto's do; on AWS a database takes a few batched reads, 100 ids each), and a group
// never (the accepted update has set its capacity).
import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { AutoScalingClient, CreateAutoScalingGroupCommand, CreateOrUpdateTagsCommand, DescribeAutoScalingGroupsCommand, UpdateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateCommand, EC2Client } from '@aws-sdk/client-ec2'
import { CreateDBInstanceCommand, DescribeDBInstancesCommand, RDSClient, StopDBInstanceCommand } from '@aws-sdk/client-rds'
import { AssumeRoleCommand } from '@aws-sdk/client-sts'
import type { LogEntry } from '../shared/schemas/log'
import { RuleInputSchema } from '../shared/schemas/rule'
import { MOTO_VERSION, startMoto } from '../scripts/with-moto.mjs'
import { createAutoScalingClient } from '../server/utils/aws/autoscaling'
import { createEc2Client } from '../server/utils/aws/ec2'
import { createRdsClient } from '../server/utils/aws/rds'
import { createStsClient } from '../server/utils/aws/sts'
import type { AwsCredentials } from '../server/utils/aws/credentials'
import { createLimiter } from '../server/utils/concurrency'
import { parseServerConfig } from '../server/utils/config'
import { createCredentialsResolver } from '../server/utils/executor/credentials'
import { previewInstances, runRule } from '../server/utils/executor/run'
import type { ExecutorDeps } from '../server/utils/executor/run'
import { createLogsRepository } from '../server/utils/logs'
import { createRulesRepository } from '../server/utils/rules/repository'
import { openStore } from '../server/utils/store'
import { createMeter } from './lib/aws-meter'
import type { Meter, OperationStats } from './lib/aws-meter'
import { MEMBER_ROLE } from './lib/ec2-fleet'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'

const COMMAND = 'npm run bench -- executor-types'
const REGION = 'us-east-1'
const FLEET = { accounts: 10, perAccount: 20 }
const TAGS = { Fleet: 'bench' }
const TARGET = { rdsDescribePerDb: 0.07, asgDescribePerGroup: 0.07 }
const RDS_DESCRIBE = ['DescribeDBInstances', 'DescribeEvents']
const DESCRIBES = [...RDS_DESCRIBE, 'DescribeAutoScalingGroups']

const log = (line: string) => console.log(`[executor-types] ${line}`)
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')

interface Fleet {
  accounts: string[]
  dbs: Map<string, string[]>
  groups: Map<string, string[]>
}

async function credentialsFor(endpoint: string, accountId: string): Promise<AwsCredentials> {
  const sts = createStsClient({ region: REGION, endpoint })
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`, RoleSessionName: 'bench-seed' }))
  sts.destroy()
  return { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken }
}

/** `perAccount` tagged DB instances and as many groups of 2 in each account. */
async function seed(endpoint: string, base: number): Promise<Fleet> {
  const fleet: Fleet = { accounts: [], dbs: new Map(), groups: new Map() }
  const tagList = Object.entries(TAGS).map(([Key, Value]) => ({ Key, Value }))
  for (let a = 0; a < FLEET.accounts; a++) {
    const accountId = String(base + a)
    const credentials = await credentialsFor(endpoint, accountId)
    const rds = new RDSClient({ region: REGION, endpoint, credentials })
    const asg = new AutoScalingClient({ region: REGION, endpoint, credentials })
    await new EC2Client({ region: REGION, endpoint, credentials }).send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'bench', LaunchTemplateData: { ImageId: 'ami-12345678', InstanceType: 't3.micro' } }))
    const dbs: string[] = []
    const groups: string[] = []
    for (let i = 0; i < FLEET.perAccount; i++) {
      const db = `bench-db-${i}`
      await rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: db, DBInstanceClass: 'db.t3.micro', Engine: 'postgres', AllocatedStorage: 20, MasterUsername: 'bench', MasterUserPassword: 'bench-password-1', Tags: tagList }))
      dbs.push(db)
      const group = `bench-asg-${i}`
      await asg.send(new CreateAutoScalingGroupCommand({ AutoScalingGroupName: group, MinSize: 1, DesiredCapacity: 2, MaxSize: 3, LaunchTemplate: { LaunchTemplateName: 'bench' }, AvailabilityZones: [`${REGION}a`], Tags: tagList.map(t => ({ ...t, PropagateAtLaunch: false })) }))
      groups.push(group)
    }
    fleet.accounts.push(accountId)
    fleet.dbs.set(accountId, dbs)
    fleet.groups.set(accountId, groups)
  }
  return fleet
}

/** The state of every resource of the fleet, read back from moto: DB statuses and group capacities. */
async function endStates(endpoint: string, fleet: Fleet) {
  const counts: Record<string, number> = {}
  for (const accountId of fleet.accounts) {
    const credentials = await credentialsFor(endpoint, accountId)
    const rds = new RDSClient({ region: REGION, endpoint, credentials })
    for (const db of (await rds.send(new DescribeDBInstancesCommand({ MaxRecords: 100 }))).DBInstances ?? []) counts[`db ${db.DBInstanceStatus}`] = (counts[`db ${db.DBInstanceStatus}`] ?? 0) + 1
    const asg = new AutoScalingClient({ region: REGION, endpoint, credentials })
    for (const g of (await asg.send(new DescribeAutoScalingGroupsCommand({ MaxRecords: 100 }))).AutoScalingGroups ?? []) {
      const saved = g.Tags?.some(t => t.Key === 'ouroboros:saved-capacity')
      const key = `group desired=${g.DesiredCapacity}${saved ? ', saved' : ''}`
      counts[key] = (counts[key] ?? 0) + 1
    }
  }
  return counts
}

/** The naive executor: per account AssumeRole and a list of each kind, then per resource: read it, act, read it back. */
async function naiveStop(endpoint: string, fleet: Fleet, meter: Meter) {
  const sts = meter.attach(createStsClient({ region: REGION, endpoint }))
  for (const accountId of fleet.accounts) {
    const { Credentials: c } = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${accountId}:role/${MEMBER_ROLE}`, RoleSessionName: 'naive' }))
    const credentials = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken }
    const rds = meter.attach(new RDSClient({ region: REGION, endpoint, credentials }))
    const asg = meter.attach(new AutoScalingClient({ region: REGION, endpoint, credentials }))
    const ids = ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).map(d => d.DBInstanceIdentifier!)
    for (const id of ids) {
      const [db] = (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances ?? []
      if (!db?.TagList?.some(t => t.Key === 'Fleet' && t.Value === 'bench') || db.DBInstanceStatus !== 'available') continue
      await rds.send(new StopDBInstanceCommand({ DBInstanceIdentifier: id }))
      await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))
    }
    const names = ((await asg.send(new DescribeAutoScalingGroupsCommand({}))).AutoScalingGroups ?? []).map(g => g.AutoScalingGroupName!)
    for (const name of names) {
      const [g] = (await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))).AutoScalingGroups ?? []
      if (!g?.Tags?.some(t => t.Key === 'Fleet' && t.Value === 'bench')) continue
      await asg.send(new CreateOrUpdateTagsCommand({ Tags: [{ ResourceId: name, ResourceType: 'auto-scaling-group', Key: 'ouroboros:saved-capacity', Value: `${g.MinSize},${g.DesiredCapacity},${g.MaxSize}`, PropagateAtLaunch: false }] }))
      await asg.send(new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: name, MinSize: 0, DesiredCapacity: 0, MaxSize: 0 }))
      await asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] }))
    }
  }
  sts.destroy()
}

const sum = (calls: Record<string, OperationStats>, ops: string[]) => ops.reduce((n, op) => n + (calls[op]?.calls ?? 0), 0)

/** Runs the benchmark; answers true when every asserted figure passes. */
export default async function executorTypes(): Promise<boolean> {
  const started = new Date()
  const moto = await startMoto()
  Object.assign(process.env, { AWS_ENDPOINT_URL: moto.url, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: REGION, AWS_EC2_METADATA_DISABLED: 'true' })
  delete process.env.AWS_SESSION_TOKEN
  delete process.env.AWS_PROFILE
  const dataDir = mkdtempSync(join(tmpdir(), 'ouroboros-bench-types-'))
  const config = parseServerConfig({ store: 'embedded', dataDir, memberRoleName: MEMBER_ROLE }, { AWS_REGION: REGION })
  const store = await openStore(config)
  try {
    log(`moto ${MOTO_VERSION}: seeding ${FLEET.accounts} accounts × (${FLEET.perAccount} DB instances + ${FLEET.perAccount} groups), twice ...`)
    const oursFleet = await seed(moto.url, 300_000_000_000)
    const naiveFleet = await seed(moto.url, 310_000_000_000)
    const resources = FLEET.accounts * FLEET.perAccount

    const rules = createRulesRepository(store.doc, config.tables.rules)
    const logs = createLogsRepository(store.doc, config.tables.logs, config.logRetentionDays)
    for (const accountId of oursFleet.accounts) {
      const draft = RuleInputSchema.parse({ name: `types-${accountId}`, accountId, regions: [REGION], action: 'stop', filters: 'tag:Fleet=bench', resourceTypes: ['rds', 'asg'], scheduleExpression: 'cron(0 19 ? * MON-FRI *)' })
      await rules.create({ ...draft, regions: [REGION] })
    }
    const meters = { find: createMeter(), run: createMeter() }
    let meter = meters.find
    const deps: ExecutorDeps = {
      rules, logs, region: REGION, execution: config.execution,
      credentials: createCredentialsResolver({ sts: meters.run.attach(createStsClient({ region: REGION, endpoint: moto.url })), memberRoleName: MEMBER_ROLE, externalId: '', region: REGION }),
      // A fresh client per call, so that each meter counts the calls of its own phase.
      ec2: (a, r, c) => meter.attach(createEc2Client({ region: r, credentials: c })),
      rds: (a, r, c) => meter.attach(createRdsClient({ region: r, credentials: c })),
      autoScaling: (a, r, c) => meter.attach(createAutoScalingClient({ region: r, credentials: c })),
      limiter: createLimiter(config.execution.concurrency),
      verifyIntervalMs: 200,
      logger: { info: () => {}, warn: line => log(`warning: ${line}`) },
    }
    // Finding alone: a dry run of each rule (the same find and classify as the run), measured with its own meter.
    await Promise.all(oursFleet.accounts.map(accountId => previewInstances(deps, { ruleName: `types-${accountId}`, accountId, regions: [REGION], action: 'stop', hibernate: false, filters: [{ key: 'tag:Fleet', values: ['bench'] }], resourceTypes: ['rds', 'asg'] })))
    const find = meters.find.byOperation()
    meter = meters.run
    let t0 = performance.now()
    const entries: LogEntry[] = await Promise.all(oursFleet.accounts.map(accountId => runRule(deps, { rule: `types-${accountId}`, executionId: randomUUID(), trigger: 'schedule', scheduledTime: started.toISOString(), dryRun: false })))
    const oursMs = performance.now() - t0
    const ours = meter.byOperation()
    log(`finding: ${JSON.stringify(find)}`)
    const oursStates = await endStates(moto.url, oursFleet)
    log(`ours: ${Math.round(oursMs)} ms, ${meter.total()} calls ${JSON.stringify(ours)}; states ${JSON.stringify(oursStates)}`)

    const naiveMeter = createMeter()
    t0 = performance.now()
    await naiveStop(moto.url, naiveFleet, naiveMeter)
    const naiveMs = performance.now() - t0
    const naive = naiveMeter.byOperation()
    const naiveStates = await endStates(moto.url, naiveFleet)
    log(`naive: ${Math.round(naiveMs)} ms, ${naiveMeter.total()} calls; states ${JSON.stringify(naiveStates)}`)

    const per = (n: number) => (n / resources).toFixed(3)
    const ops = [...new Set([...Object.keys(ours), ...Object.keys(naive)])].sort()
    const cell = (calls: Record<string, OperationStats>, op: string) => `${calls[op]?.calls ?? 0} (${per(calls[op]?.calls ?? 0)})`
    const rows = ops.map(op => [op, RDS_DESCRIBE.includes(op) || op === 'DescribeAutoScalingGroups' ? cell(find, op) : '', cell(ours, op), cell(naive, op)])
    rows.push(['**RDS Describe calls per DB instance**', `**${per(sum(find, RDS_DESCRIBE))}**`, `**${per(sum(ours, RDS_DESCRIBE))}**`, `**${per(sum(naive, RDS_DESCRIBE))}**`])
    rows.push(['**Auto Scaling Describe calls per group**', `**${per(sum(find, ['DescribeAutoScalingGroups']))}**`, `**${per(sum(ours, ['DescribeAutoScalingGroups']))}**`, `**${per(sum(naive, ['DescribeAutoScalingGroups']))}**`])
    rows.push(['**all AWS calls per resource** (of 400)', '', `**${(meter.total() / (2 * resources)).toFixed(3)}**`, `**${(naiveMeter.total() / (2 * resources)).toFixed(3)}**`])
    rows.push(['wall time on moto (reported, not asserted)', '', `${(oursMs / 1000).toFixed(1)} s`, `${(naiveMs / 1000).toFixed(1)} s`])
    const allStopped = (s: Record<string, number>) => s['db stopped'] === resources && s['group desired=0, saved'] === resources
    const checks = [
      { figure: `ours, finding: RDS Describe calls per DB instance ≤ ${TARGET.rdsDescribePerDb}`, detail: `${sum(find, RDS_DESCRIBE)} / ${resources}`, ok: sum(find, RDS_DESCRIBE) / resources <= TARGET.rdsDescribePerDb },
      { figure: `ours, finding: Auto Scaling Describe calls per group ≤ ${TARGET.asgDescribePerGroup}`, detail: `${sum(find, ['DescribeAutoScalingGroups'])} / ${resources}`, ok: sum(find, ['DescribeAutoScalingGroups']) / resources <= TARGET.asgDescribePerGroup },
      { figure: `ours, the whole run: RDS Describe calls per DB instance ≤ ${TARGET.rdsDescribePerDb}`, detail: `${sum(ours, RDS_DESCRIBE)} / ${resources}`, ok: sum(ours, RDS_DESCRIBE) / resources <= TARGET.rdsDescribePerDb },
      { figure: `ours, the whole run: Auto Scaling Describe calls per group ≤ ${TARGET.asgDescribePerGroup}`, detail: `${sum(ours, ['DescribeAutoScalingGroups'])} / ${resources}`, ok: sum(ours, ['DescribeAutoScalingGroups']) / resources <= TARGET.asgDescribePerGroup },
      // The actions are one call per resource for both (StopDBInstance, UpdateAutoScalingGroup take one): the reads are what batching saves.
      { figure: 'ours, the whole run: Describe calls ≤ 1/10 of the naive executor\'s', detail: `${sum(ours, DESCRIBES)} / ${sum(naive, DESCRIBES)}`, ok: sum(ours, DESCRIBES) * 10 <= sum(naive, DESCRIBES) },
      { figure: 'ours: one AssumeRole per account', detail: `${ours.AssumeRole?.calls ?? 0} for ${FLEET.accounts} accounts`, ok: (ours.AssumeRole?.calls ?? 0) === FLEET.accounts },
      { figure: 'ours: every DB instance stopped, every group at 0 with its capacity saved', detail: JSON.stringify(oursStates), ok: allStopped(oursStates) && entries.every(e => e.status === 'succeeded') },
      { figure: 'naive: the same end state', detail: JSON.stringify(naiveStates), ok: allStopped(naiveStates) },
    ]
    for (const c of checks) console.log(`${verdict(c.ok)}  ${c.figure}: ${c.detail}`)
    const ok = checks.every(c => c.ok)
    const markdown = `## Executor: ${resources} RDS instances and ${resources} Auto Scaling groups, ours against a naive per-resource executor

Command: \`${COMMAND}\`. Date: ${started.toISOString()}. Machine: ${machine()}. AWS: moto ${MOTO_VERSION} on loopback.

**Fleet.** ${FLEET.accounts} member accounts × 1 region (${REGION}), each with ${FLEET.perAccount} PostgreSQL DB instances and ${FLEET.perAccount} Auto Scaling groups
(min 1, desired 2, max 3), all tagged \`Fleet=bench\`; the same fleet seeded twice, once for each executor (not measured).
- **Ours:** one stop rule per account, \`resourceTypes: ["rds", "asg"]\`, \`tag:Fleet=bench\`, the ${FLEET.accounts} fired at once through \`runRule\` with the app's
  client factories and one credentials resolver and limiter: per account-region, DescribeDBInstances 100 a page (tags matched from each TagList),
  DescribeAutoScalingGroups 100 a page with the tag filter, then one Stop/Update call per resource (the APIs take one). DescribeEvents (did AWS start
  one again after 7 days stopped?) is asked only when a running instance is older than 7 days: none here, as the fleet is new; on an older fleet it adds
  one call per account-region (0.05 per DB instance here). A database is read back (100 ids a call) only while its Stop answer does not say \`stopped\`,
  and a group never: UpdateAutoScalingGroup sets the capacity before it answers.
- **Naive** (in the benchmark file): per account AssumeRole and one list of each kind, then per resource a Describe of that one, its action, and a Describe
  of that one again to verify.
- Calls are counted by a middleware on every STS, RDS and Auto Scaling client, once per HTTP request. Call counts depend only on the fleet, not on the
  machine's speed; moto's stops are instant (StopDBInstance answers \`stopped\`), so the run reads nothing back.

AWS calls by operation (per resource of its kind, ${resources} of each). "Finding" is a dry run of the same rules, measured alone: the calls a run makes before
it acts, whatever the wait. The run adds the actions and its verification reads (none here; on AWS, where StopDBInstance answers \`stopping\`, a database
takes a few reads within \`NUXT_DB_VERIFY_TIMEOUT_SECONDS\`, one per 100 databases per read).

${markdownTable(['operation', 'ours: finding (dry run)', 'ours: the run', 'naive'], rows)}

${markdownTable(['target', 'figure', 'result'], checks.map(c => [c.figure, c.detail, verdict(c.ok)]))}

Result: **${verdict(ok)}**.
`
    writeSectionAtomically('executor-types', markdown)
    writeResults('executor-types', { started, machine: machine(), moto: MOTO_VERSION, ours, naive, oursStates, naiveStates, checks })
    return ok
  }
  finally {
    await store.close()
    rmSync(dataDir, { recursive: true, force: true })
    await moto.stop()
  }
}
