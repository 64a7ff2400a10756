// The delivery the accounts benchmark kills (bench/accounts.ts): run in a child process of its own, it runs the rule as
// one Lambda invocation would (runRule, inline, through the run's journal), and kills itself with SIGKILL once
// `KILL_AFTER_STOPS` instances have been stopped. From that moment it sends no call; the calls already on their way
// are let finish and recorded, then the process dies, as a Lambda timing out mid-run does. Every instance whose
// StopInstances moto answered is appended, synchronously, to `STOPS_FILE` (one id a line), so nothing is lost with it.
import { appendFileSync } from 'node:fs'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { EC2Client } from '@aws-sdk/client-ec2'
import { createEc2Client } from '../../server/utils/aws/ec2'
import { createStsClient } from '../../server/utils/aws/sts'
import { createCredentialsResolver } from '../../server/utils/executor/credentials'
import { runRule } from '../../server/utils/executor/run'
import { createLogsRepository } from '../../server/utils/logs'
import { createRulesRepository } from '../../server/utils/rules/repository'
import { createRunJournal } from '../../server/utils/run-journal'
import { documentClient } from '../../server/utils/store'

export interface KilledRunEnv {
  MOTO: string
  RULES_TABLE: string
  LOGS_TABLE: string
  RULE: string
  EXECUTION_ID: string
  SCHEDULED_TIME: string
  KILL_AFTER_STOPS: string
  STOPS_FILE: string
  LATENCY_MS: string
  MEMBER_ROLE: string
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

export default async function killedRun(): Promise<boolean> {
  const env = process.env as unknown as KilledRunEnv
  const latency = Number(env.LATENCY_MS)
  const killAfter = Number(env.KILL_AFTER_STOPS)
  let stopped = 0
  let inFlight = 0
  let dying = false
  const never = new Promise<never>(() => {})

  // The same round trip as the parent's meter, and the kill: no call is sent once dying; the last one back kills.
  const attach = <C extends EC2Client>(client: C): C => {
    client.middlewareStack.add((next, context) => async (args) => {
      if (dying) return never
      inFlight++
      await sleep(latency)
      const out = await next(args)
      inFlight--
      if (context.commandName === 'StopInstancesCommand') {
        const ids = ((args.input as { InstanceIds?: string[] }).InstanceIds ?? [])
        appendFileSync(env.STOPS_FILE, ids.map(id => `${id}\n`).join(''))
        stopped += ids.length
        if (stopped >= killAfter) dying = true
      }
      if (dying) {
        if (inFlight === 0) process.kill(process.pid, 'SIGKILL')
        return never
      }
      return out
    }, { step: 'deserialize', name: 'killedRun' })
    return client
  }

  const client = new DynamoDBClient({ region: 'us-east-1', endpoint: env.MOTO })
  const doc = documentClient(client)
  const sts = createStsClient({ region: 'us-east-1', endpoint: env.MOTO })
  const ec2Clients = new Map<string, EC2Client>()
  await runRule({
    rules: createRulesRepository(doc, env.RULES_TABLE),
    logs: createLogsRepository(doc, env.LOGS_TABLE, 90),
    journal: createRunJournal(doc, env.LOGS_TABLE),
    execution: { memberRoleName: env.MEMBER_ROLE, externalId: '', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 100, concurrency: 8, verifyTimeoutSeconds: 120 },
    region: 'us-east-1',
    credentials: createCredentialsResolver({ sts, memberRoleName: env.MEMBER_ROLE, externalId: '', region: 'us-east-1' }),
    ec2: (account, region, credentials) => {
      const key = `${account}/${region}`
      let c = ec2Clients.get(key)
      if (!c) ec2Clients.set(key, c = attach(createEc2Client({ region, credentials, endpoint: env.MOTO })))
      return c
    },
    verifyIntervalMs: 200,
    logger: { info: () => {}, warn: () => {} },
  }, { rule: env.RULE, trigger: 'schedule', dryRun: false, executionId: env.EXECUTION_ID, scheduledTime: env.SCHEDULED_TIME })
  // Reaching here means the kill never came: the parent reports it as a failed check.
  console.error('[killed-run] the run finished before it was killed')
  return false
}
