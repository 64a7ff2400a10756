#!/usr/bin/env node
// npm run sandbox: the whole product without an AWS account. Starts moto on loopback, seeds two member
// accounts (two regions each, a dozen tagged instances in a few VPCs, an RDS instance, an Aurora cluster and an Auto
// Scaling group of 2), builds the app and starts the built server pointed at moto, creates example rules (one of them
// for EC2, RDS, Aurora and Auto Scaling at once) and a notification channel to a local webhook receiver (its notices
// show in the terminal), and prints the URL and the admin key once the app answers. Ctrl-C stops
// everything. The built app, not `nuxt dev`: the dev server optimises dependencies on the first click and reloads
// the page (the rule dialog never opened on a first start), and its first page load took over 20 s.
//   npm run sandbox                 build, then start
//   npm run sandbox -- --no-build   reuse the last sandbox build
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { AutoScalingClient, CreateAutoScalingGroupCommand } from '@aws-sdk/client-auto-scaling'
import { CreateLaunchTemplateCommand, CreateSubnetCommand, CreateVpcCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2'
import { CreateDBClusterCommand, CreateDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds'
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts'
import { build } from './build.mjs'
import { startMoto } from './with-moto.mjs'
import { sandboxChannel, startReceiver } from './sandbox-receiver.mjs'

const ACCOUNTS = ['111111111111', '222222222222']
const REGIONS = ['us-east-1', 'eu-west-1']
const PORT = Number(process.env.PORT || 3000)
const root = resolve(import.meta.dirname, '..')
// Its own output folder, so the sandbox's build never replaces the one the tests or a deploy use.
const OUTPUT = '.output-sandbox'
// Dummy credentials: moto accepts any, and nothing here may reach real AWS.
const AWS_ENV = { AWS_ACCESS_KEY_ID: 'sandbox', AWS_SECRET_ACCESS_KEY: 'sandbox', AWS_REGION: REGIONS[0] }
Object.assign(process.env, AWS_ENV)

/** Credentials moto maps to `accountId`. */
async function credentialsOf(endpoint, accountId, region) {
  const sts = new STSClient({ region, endpoint })
  const { Credentials: c } = await sts.send(new AssumeRoleCommand({
    RoleArn: `arn:aws:iam::${accountId}:role/OuroborosSchedulerMember`,
    RoleSessionName: 'ouroboros-sandbox-seed',
  }))
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken }
}

const tagList = tags => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
const FLEET_TAGS = { Name: 'instance-scheduler', Env: 'dev' }

/** Tagged like the EC2 fleet: a PostgreSQL DB instance, an Aurora cluster with its member, an Auto Scaling group of 2. */
async function seedOthers(endpoint, credentials, region, subnetId) {
  const rds = new RDSClient({ region, endpoint, credentials })
  const secret = randomBytes(12).toString('base64url')
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'orders-dev', DBInstanceClass: 'db.t3.micro', Engine: 'postgres', AllocatedStorage: 20,
    MasterUsername: 'sandbox', MasterUserPassword: secret, Tags: tagList({ ...FLEET_TAGS, Name: 'orders-dev' }),
  }))
  await rds.send(new CreateDBClusterCommand({
    DBClusterIdentifier: 'catalog-aurora', Engine: 'aurora-postgresql', MasterUsername: 'sandbox', MasterUserPassword: secret,
    Tags: tagList({ ...FLEET_TAGS, Name: 'catalog-aurora' }),
  }))
  await rds.send(new CreateDBInstanceCommand({
    DBInstanceIdentifier: 'catalog-aurora-1', DBInstanceClass: 'db.r6g.large', Engine: 'aurora-postgresql', DBClusterIdentifier: 'catalog-aurora',
    Tags: tagList({ ...FLEET_TAGS, Name: 'catalog-aurora-1' }),
  }))
  const ec2 = new EC2Client({ region, endpoint, credentials })
  await ec2.send(new CreateLaunchTemplateCommand({ LaunchTemplateName: 'web-dev', LaunchTemplateData: { ImageId: 'ami-12345678', InstanceType: 't3.micro' } }))
  await new AutoScalingClient({ region, endpoint, credentials }).send(new CreateAutoScalingGroupCommand({
    AutoScalingGroupName: 'web-dev', MinSize: 1, DesiredCapacity: 2, MaxSize: 4, LaunchTemplate: { LaunchTemplateName: 'web-dev' },
    VPCZoneIdentifier: subnetId, Tags: Object.entries({ ...FLEET_TAGS, Name: 'web-dev' }).map(([Key, Value]) => ({ Key, Value, PropagateAtLaunch: false })),
  }))
}

/** Two VPCs per account-region; in each: instance-scheduler, web and db instances, one opted out. */
async function seed(endpoint) {
  let count = 0
  for (const accountId of ACCOUNTS) {
    for (const region of REGIONS) {
      const credentials = await credentialsOf(endpoint, accountId, region)
      const ec2 = new EC2Client({ region, endpoint, credentials })
      let firstSubnet
      for (const [v, cidr] of [['a', '10.1.0.0/16'], ['b', '10.2.0.0/16']]) {
        const { Vpc } = await ec2.send(new CreateVpcCommand({ CidrBlock: cidr }))
        const { Subnet } = await ec2.send(new CreateSubnetCommand({ VpcId: Vpc.VpcId, CidrBlock: cidr.replace('0.0/16', '1.0/24') }))
        firstSubnet ??= Subnet.SubnetId
        const launch = (n, tags) => ec2.send(new RunInstancesCommand({
          ImageId: 'ami-12345678',
          InstanceType: 't3.micro',
          MinCount: n,
          MaxCount: n,
          SubnetId: Subnet.SubnetId,
          TagSpecifications: [{ ResourceType: 'instance', Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) }],
        }))
        await launch(3, { Name: 'instance-scheduler', Env: 'dev', Vpc: v })
        await launch(2, { Name: 'web', Env: 'prod', Vpc: v })
        await launch(1, { 'Name': 'instance-scheduler', 'Env': 'dev', 'ouroboros:skip': 'true' })
        count += 6
      }
      await seedOthers(endpoint, credentials, region, firstSubnet)
    }
  }
  return count
}

async function waitForApp(url, child) {
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited with code ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/api/health`)).ok) return
    }
    catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 250))
  }
  throw new Error('the app did not start within 150 s')
}

async function exampleRules(url, key) {
  const rules = ACCOUNTS.flatMap(accountId => [
    { name: `stop-evening-${accountId}`, action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', description: 'Stop the instance-scheduler fleet on weekday evenings' },
    { name: `start-morning-${accountId}`, action: 'start', scheduleExpression: 'cron(0 7 ? * MON-FRI *)', description: 'Start it again on weekday mornings' },
  ].map(r => ({ ...r, accountId, regions: REGIONS, filters: 'tag:Name=instance-scheduler', timezone: 'Europe/Berlin' })))
  // One rule for the whole dev environment: its EC2 fleet, its databases and its Auto Scaling group, by one tag.
  rules.push(
    { name: 'dev-env-stop-111111111111', action: 'stop', scheduleExpression: 'cron(0 20 ? * MON-FRI *)', description: 'Stop everything tagged Env=dev: EC2, RDS, Aurora and Auto Scaling', resourceTypes: ['ec2', 'rds', 'aurora', 'asg'] },
    { name: 'dev-env-start-111111111111', action: 'start', scheduleExpression: 'cron(0 6 ? * MON-FRI *)', description: 'Start it all again, the group at its saved capacity', resourceTypes: ['ec2', 'rds', 'aurora', 'asg'] },
  )
  for (const r of rules.slice(-2)) Object.assign(r, { accountId: ACCOUNTS[0], regions: REGIONS, filters: 'tag:Env=dev', timezone: 'Europe/Berlin' })
  for (const rule of rules) {
    const res = await fetch(`${url}/api/rules`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': key }, body: JSON.stringify(rule) })
    if (res.status !== 201 && res.status !== 409) throw new Error(`creating ${rule.name}: ${res.status} ${await res.text()}`)
  }
  return rules.map(r => r.name)
}

async function main() {
  const noBuild = process.argv.includes('--no-build')
  if (!noBuild || !existsSync(resolve(root, OUTPUT, 'server/index.mjs'))) {
    console.log('sandbox: building the app (about a minute) ...')
    const { status, output } = await build({ NITRO_PRESET: 'node-server', NITRO_OUTPUT_DIR: OUTPUT })
    if (status !== 0) throw new Error(`the build failed (exit ${status}):\n${output}`)
  }
  const moto = await startMoto()
  const instances = await seed(moto.url)
  console.log(`sandbox: moto on ${moto.url}, ${instances} instances, and per account-region a DB instance, an Aurora cluster and an Auto Scaling group of 2, in accounts ${ACCOUNTS.join(', ')} x ${REGIONS.join(', ')}`)
  const key = `ouro_admin_${randomBytes(24).toString('base64url')}`
  const channelSecret = randomBytes(24).toString('base64url')
  const receiver = await startReceiver(() => channelSecret)
  const url = `http://localhost:${PORT}`
  console.log('sandbox: starting the app ...')
  const app = spawn(process.execPath, [resolve(root, OUTPUT, 'server/index.mjs')], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...AWS_ENV,
      PORT: String(PORT),
      // The SDK's own variable: EC2, STS (and Scheduler) go to moto; the store stays embedded.
      AWS_ENDPOINT_URL: moto.url,
      NUXT_DATA_DIR: resolve(root, '.data/sandbox'),
      NUXT_ADMIN_API_KEY: key,
      NUXT_VERIFY_TIMEOUT_SECONDS: '10',
      // The sandbox's receiver is on loopback over http, which notifications refuse anywhere else.
      NUXT_NOTIFY_ALLOW_PRIVATE: 'true',
      NUXT_NOTIFY_BASE_URL: url,
    },
  })
  // The app's own lines, after ours; its "Listening on" line would announce a URL before the app answers.
  for (const stream of [app.stdout, app.stderr]) {
    stream.on('data', (chunk) => {
      for (const line of String(chunk).split('\n')) if (line.trim() && !/^Listening on/.test(line.trim())) console.log(`app: ${line}`)
    })
  }
  const stop = async () => {
    app.kill('SIGTERM')
    await receiver.close()
    await moto.stop()
    process.exit(0)
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
  await waitForApp(url, app)
  const names = await exampleRules(url, key)
  const channel = await sandboxChannel(url, key, receiver.url, channelSecret)
  const stopRule = names.find(n => n.startsWith('stop-'))
  console.log(`
sandbox ready: ${url}

  admin API key: ${key}

  1. Open ${url}
  2. Press "Sign in" and paste the admin API key above.
  3. Press "Run now" on ${stopRule}: the log shows each instance it stopped, and the opted-out one as skipped.
  4. The channel ${channel} (page Notifications) posts each run to a local webhook receiver: its notice shows here,
     as a "receiver:" line, and the run's page shows the delivery.
  5. Press "Run now" on dev-env-stop-111111111111: one rule stops the EC2 fleet, the RDS instance, the Aurora
     cluster and the Auto Scaling group (its capacity saved in the tag ouroboros:saved-capacity).

  Example rules: ${names.join(', ')} (accounts ${ACCOUNTS.join(' and ')}, tag:Name=instance-scheduler).
  From the command line: curl -X POST ${url}/api/rules/${stopRule}/run -H "x-api-key: ${key}"
  Ctrl-C stops the app and moto.
`)
}

main().catch((e) => {
  console.error(`sandbox: ${e.message}`)
  process.exit(1)
})
