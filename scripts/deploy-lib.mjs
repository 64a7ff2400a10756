// The pure part of `npm run deploy`: arguments, settings, pre-flight verdicts, the AWS CLI commands and the
// final summary. No I/O here, so every decision is unit-tested (test/unit/deploy.test.ts); scripts/deploy.mjs runs them.
import { createHash, randomBytes } from 'node:crypto'

export const SETTINGS_FILE = '.deploy.json'
export const OUTPUT_DIR = '.output-lambda'
export const ZIP_FILE = '.output-lambda.zip'

export const DEFAULTS = {
  stackName: 'ouroboros',
  memorySize: 1024,
  timeout: 300,
  // Executions reserved for the function, and its ceiling (docs/DEPLOY.md, "Reserved concurrency"); 0 reserves none.
  reservedConcurrency: 20,
  alarmEmail: '',
  memberRoleName: 'OuroborosSchedulerMember',
}

export const USAGE = `usage: npm run deploy -- [options]

Builds the Lambda (NITRO_PRESET=aws-lambda), zips and uploads it, and deploys infra/hub.yaml with the AWS CLI.
The first run asks for its settings (Enter takes the default) and saves them in ${SETTINGS_FILE}; later runs reuse them.

  --region <code>        AWS region (default: saved, then AWS_REGION, then the CLI's configured region)
  --profile <name>       AWS CLI profile (default: saved, then AWS_PROFILE)
  --stack-name <name>    stack name, also the prefix of every resource (default: saved, then ${DEFAULTS.stackName})
  --reserved-concurrency <n>  executions reserved for the function, and its ceiling; 0 reserves none (default: saved, then ${DEFAULTS.reservedConcurrency})
  --notification-topics <arns>  the SNS topics (ARNs, comma-separated) sns notification channels may publish to; none: no topic (default: saved, else the deployed value)
  --notification-buses <arns>   the EventBridge buses (ARNs, comma-separated) eventbridge channels may put events on; none: no bus (default: saved, else the deployed value)
  --guided               ask for the settings again
  --yes                  never ask: take saved settings or the defaults
  --rotate-admin-key     generate a new admin API key (printed once; the stack gets only its SHA-256) instead of keeping the deployed one
  --skip-build           deploy the existing ${OUTPUT_DIR} build
  --dry-run              check, then print every command instead of running those that change anything
  --help`

const FLAGS = {
  '--region': 'region',
  '--profile': 'profile',
  '--stack-name': 'stackName',
  '--reserved-concurrency': 'reservedConcurrency',
  '--notification-topics': 'notificationTopicArns',
  '--notification-buses': 'notificationEventBusArns',
}
const SWITCHES = {
  '--guided': 'guided',
  '--yes': 'yes',
  '--rotate-admin-key': 'rotateAdminKey',
  '--skip-build': 'skipBuild',
  '--dry-run': 'dryRun',
  '--help': 'help',
  '-h': 'help',
}

/** Parses the command line; throws an Error that says what is wrong. */
export function parseArgs(argv) {
  const args = { guided: false, yes: false, rotateAdminKey: false, skipBuild: false, dryRun: false, help: false }
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2)
    if (SWITCHES[flag]) {
      args[SWITCHES[flag]] = true
      continue
    }
    if (!FLAGS[flag]) throw new Error(`unknown option ${argv[i]} (see npm run deploy -- --help)`)
    const value = inline ?? argv[++i]
    if (!value || value.startsWith('--')) throw new Error(`${flag} needs a value`)
    args[FLAGS[flag]] = value
  }
  return args
}

/** Why a stack name cannot be used, or null. It prefixes the function, tables and queue: 40 characters at most. */
export function stackNameProblem(name) {
  if (!/^[A-Za-z][A-Za-z0-9-]*$/.test(name)) return `stack name '${name}' must start with a letter and hold only letters, digits and -`
  if (name.length > 40) return `stack name '${name}' is longer than 40 characters (it prefixes the function, tables and queue names)`
  return null
}

/** Why a region code cannot be used, or null. */
export function regionProblem(region) {
  return /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/.test(region) ? null : `'${region}' is not an AWS region code (e.g. eu-west-1)`
}

/** The region to deploy to: the flag, the saved one, AWS_REGION / AWS_DEFAULT_REGION, then the CLI's configured one. */
export function resolveRegion({ flag, saved, env = {}, configured }) {
  return flag || saved || env.AWS_REGION || env.AWS_DEFAULT_REGION || configured || null
}

/** A comma-separated list of ARNs as the stack's CommaDelimitedList takes it: trimmed, no empty entries; `none` is none. */
export function arnList(text) {
  if (text === undefined || text === null) return undefined
  const list = String(text).trim().toLowerCase() === 'none' ? [] : String(text).split(',').map(a => a.trim()).filter(Boolean)
  return list.join(',')
}

const TOPIC_ARN = /^arn:aws[\w-]*:sns:[a-z0-9-]+:\d{12}:[\w-]{1,256}(?:\.fifo)?$/
const BUS_ARN = /^arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/[\w.\-/]{1,256}$/

/** Why these notification ARNs cannot be passed to the stack (the parameters NotificationTopicArns and NotificationEventBusArns), as sentences. */
export function notificationProblems(s) {
  const bad = (list, pattern) => (list ? list.split(',').filter(a => !pattern.test(a)) : [])
  return [
    ...bad(s.notificationTopicArns, TOPIC_ARN).map(a => `'${a}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)`),
    ...bad(s.notificationEventBusArns, BUS_ARN).map(a => `'${a}' is not an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)`),
  ]
}

/** A new admin API key, in the app's own format (server/utils/access/admin-key.ts). */
export function newAdminKey() {
  return `ouro_admin_${randomBytes(32).toString('base64url')}`
}

/**
 * What the stack is given for the bootstrap key: its SHA-256 as lowercase hex, the hash server/utils/keys/hashing.ts
 * keeps for every key (`printf %s "$KEY" | sha256sum` gives the same), so the key itself is in no stack parameter and no
 * function environment.
 */
export function adminKeyHash(key) {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/**
 * What this deploy does with the bootstrap key: `new` (a new stack, or --rotate-admin-key: generate one, print it once),
 * `keep` (the stack has its hash: leave the parameter as it is), or `upgrade` (a stack from before the hash, which
 * holds the key itself in AdminApiKey: ask for it to pass its hash, or make a new one).
 */
export function adminKeyPlan({ stack, rotate }) {
  if (!stack || rotate) return 'new'
  return stack.parameters?.includes('AdminApiKeySha256') ? 'keep' : 'upgrade'
}

/** A new ExternalId for the member-account roles. */
export function newExternalId() {
  return `ouroboros-${randomBytes(12).toString('hex')}`
}

/**
 * The questions of a first (or --guided) deploy, in order: each setting's key, its label and the value Enter takes
 * (saved, else the default). The notification ARNs are infra/hub.yaml's Notifications parameters; `none` clears them.
 */
export function guidedQuestions(saved = {}, defaults = {}) {
  const current = key => saved[key] ?? DEFAULTS[key]
  return [
    { key: 'stackName', label: 'Stack name (prefixes every resource)', current: current('stackName') },
    { key: 'region', label: 'AWS region', current: saved.region ?? defaults.region ?? 'us-east-1' },
    { key: 'memorySize', label: 'Lambda memory, MB', current: current('memorySize'), numeric: true },
    { key: 'timeout', label: 'Lambda timeout, s', current: current('timeout'), numeric: true },
    { key: 'reservedConcurrency', label: 'Reserved concurrency, the function\'s ceiling (0: none)', current: current('reservedConcurrency'), numeric: true },
    { key: 'alarmEmail', label: 'E-mail for dead-letter alarms (optional)', current: current('alarmEmail') },
    { key: 'notificationTopicArns', label: 'SNS topics notification channels may publish to (ARNs, comma-separated; none: no topic)', current: saved.notificationTopicArns ?? '' },
    { key: 'notificationEventBusArns', label: 'EventBridge buses notification channels may put events on (ARNs, comma-separated; none: no bus)', current: saved.notificationEventBusArns ?? '' },
  ]
}

/**
 * The settings of this deploy: flags over saved over defaults; an ExternalId is generated once and then saved.
 * `answers` are what the guided questions returned (same keys).
 */
export function resolveSettings({ args, saved = {}, answers = {}, env = {}, configuredRegion }) {
  const pick = key => args[key] ?? answers[key] ?? saved[key] ?? DEFAULTS[key]
  return {
    stackName: pick('stackName'),
    region: resolveRegion({ flag: args.region ?? answers.region, saved: saved.region, env, configured: configuredRegion }),
    profile: args.profile ?? saved.profile ?? env.AWS_PROFILE ?? undefined,
    memorySize: Number(pick('memorySize')),
    timeout: Number(pick('timeout')),
    reservedConcurrency: Number(pick('reservedConcurrency')),
    alarmEmail: pick('alarmEmail'),
    memberRoleName: pick('memberRoleName'),
    externalId: saved.externalId || newExternalId(),
    // Left undefined (an older .deploy.json, no flag, not asked): the stack keeps the value it has.
    notificationTopicArns: arnList(args.notificationTopicArns ?? answers.notificationTopicArns ?? saved.notificationTopicArns),
    notificationEventBusArns: arnList(args.notificationEventBusArns ?? answers.notificationEventBusArns ?? saved.notificationEventBusArns),
  }
}

/** What is saved in .deploy.json: everything but secrets (the admin key is never written to disk). */
export function savedForm(settings) {
  const { stackName, region, profile, memorySize, timeout, reservedConcurrency, alarmEmail, memberRoleName, externalId, notificationTopicArns, notificationEventBusArns } = settings
  return {
    stackName, region, ...(profile ? { profile } : {}), memorySize, timeout, reservedConcurrency, alarmEmail, memberRoleName, externalId,
    ...(notificationTopicArns !== undefined ? { notificationTopicArns } : {}),
    ...(notificationEventBusArns !== undefined ? { notificationEventBusArns } : {}),
  }
}

/** Problems with the settings themselves, as sentences. */
export function settingsProblems(s) {
  const problems = []
  const name = stackNameProblem(s.stackName)
  if (name) problems.push(name)
  if (s.region) {
    const region = regionProblem(s.region)
    if (region) problems.push(region)
  }
  if (!Number.isInteger(s.memorySize) || s.memorySize < 256 || s.memorySize > 10240) problems.push(`memory ${s.memorySize} MB must be a whole number from 256 to 10240`)
  if (!Number.isInteger(s.timeout) || s.timeout < 30 || s.timeout > 900) problems.push(`timeout ${s.timeout} s must be a whole number from 30 to 900`)
  if (!Number.isInteger(s.reservedConcurrency) || s.reservedConcurrency < 0 || s.reservedConcurrency > 1000) problems.push(`reserved concurrency ${s.reservedConcurrency} must be a whole number from 0 (none) to 1000`)
  if (s.alarmEmail && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(s.alarmEmail)) problems.push(`'${s.alarmEmail}' is not an e-mail address`)
  problems.push(...notificationProblems(s))
  return problems
}

/**
 * The pre-flight verdict, before anything is built or changed: each problem with what to do about it.
 * `cli` is { ok, version?, error? } of `aws --version`; `identity` { ok, account?, arn?, error? } of
 * `aws sts get-caller-identity` (null when not asked because the CLI is missing); `stack` the hub stack's status or null.
 */
export function preflightProblems({ cli, identity, region, stack }) {
  const problems = []
  if (!cli.ok) {
    problems.push('The AWS CLI was not found (`aws --version` failed). Install it (https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html), run `aws configure` (or `aws configure sso`), then run npm run deploy again.')
    return problems
  }
  if (!region) problems.push('No AWS region is set. Pass --region eu-west-1, set AWS_REGION, or run `aws configure set region eu-west-1`.')
  if (identity && !identity.ok) {
    const why = firstLine(identity.error)
    problems.push(`No usable AWS credentials: \`aws sts get-caller-identity\` failed${why ? ` (${why})` : ''}. Run \`aws configure\`, \`aws sso login\`, or set AWS_PROFILE, then try again.`)
  }
  if (stack?.status === 'ROLLBACK_COMPLETE') {
    problems.push(`The stack ${stack.name} failed to create and was rolled back; CloudFormation cannot update it. Delete it first: aws cloudformation delete-stack --stack-name ${stack.name}${regionFlag(region)}`)
  }
  else if (stack?.status?.endsWith('_IN_PROGRESS')) {
    problems.push(`The stack ${stack.name} is busy (${stack.status}). Wait until it settles: aws cloudformation wait stack-update-complete --stack-name ${stack.name}${regionFlag(region)}`)
  }
  return problems
}

const firstLine = text => String(text ?? '').trim().split('\n').find(l => l.trim())?.trim().slice(0, 300) ?? ''
const regionFlag = region => (region ? ` --region ${region}` : '')

/** The options every aws command of this deploy gets. */
export function commonArgs(s) {
  return [...(s.region ? ['--region', s.region] : []), ...(s.profile ? ['--profile', s.profile] : [])]
}

export const artifactsStackName = s => `${s.stackName}-artifacts`

/** The S3 key of a zip: named by its hash, so new code is a new key and the same code is not uploaded twice. */
export function codeKey(s, sha256) {
  return `ouroboros/${s.stackName}/${sha256}.zip`
}

/** Read-only: the hub stack's status (fails when there is no stack). */
export function describeStackArgs(s, stackName = s.stackName) {
  return ['aws', 'cloudformation', 'describe-stacks', '--stack-name', stackName, '--output', 'json', ...commonArgs(s)]
}

/** Creates or updates the artifacts stack (its S3 bucket); a no-op once it exists. */
export function artifactsDeployArgs(s) {
  return [
    'aws', 'cloudformation', 'deploy',
    '--stack-name', artifactsStackName(s),
    '--template-file', 'infra/artifacts.yaml',
    '--no-fail-on-empty-changeset',
    '--tags', 'app=ouroboros',
    ...commonArgs(s),
  ]
}

/** Read-only: does this object exist already (same hash, same code)? */
export function headObjectArgs(s, bucket, key) {
  return ['aws', 's3api', 'head-object', '--bucket', bucket, '--key', key, ...commonArgs(s)]
}

export function uploadArgs(s, bucket, key, file = ZIP_FILE) {
  return ['aws', 's3', 'cp', file, `s3://${bucket}/${key}`, '--only-show-errors', ...commonArgs(s)]
}

/**
 * Creates or updates the hub stack. Parameters left out keep their deployed values, which is how the admin
 * key survives updates without being stored anywhere here: it is passed on the first deploy (or a rotation) only.
 */
export function hubDeployArgs(s, { bucket, key, adminApiKey }) {
  const params = {
    CodeBucket: bucket,
    CodeKey: key,
    MemorySize: s.memorySize,
    Timeout: s.timeout,
    ReservedConcurrency: s.reservedConcurrency,
    ExternalId: s.externalId,
    MemberRoleName: s.memberRoleName,
    AlarmEmail: s.alarmEmail,
    // The topics and buses notification channels may reach; left out when never set, so the deployed ones stay.
    ...(s.notificationTopicArns !== undefined ? { NotificationTopicArns: s.notificationTopicArns } : {}),
    ...(s.notificationEventBusArns !== undefined ? { NotificationEventBusArns: s.notificationEventBusArns } : {}),
    // Only the hash: the key itself is shown once, here, and never leaves this machine.
    ...(adminApiKey ? { AdminApiKeySha256: adminKeyHash(adminApiKey) } : {}),
  }
  return [
    'aws', 'cloudformation', 'deploy',
    '--stack-name', s.stackName,
    '--template-file', 'infra/hub.yaml',
    // Through S3: the CLI sends a template body of at most 51,200 bytes, and the hub's grows with its tables.
    '--s3-bucket', bucket,
    '--s3-prefix', `ouroboros/${s.stackName}/templates`,
    '--capabilities', 'CAPABILITY_IAM',
    '--no-fail-on-empty-changeset',
    '--tags', 'app=ouroboros',
    '--parameter-overrides', ...Object.entries(params).map(([k, v]) => `${k}=${v}`),
    ...commonArgs(s),
  ]
}

/** Read-only: the outputs of a stack. */
export function outputsArgs(s, stackName = s.stackName) {
  return ['aws', 'cloudformation', 'describe-stacks', '--stack-name', stackName, '--query', 'Stacks[0].Outputs', '--output', 'json', ...commonArgs(s)]
}

/** The stack's Outputs list as { key: value }. */
export function outputsMap(outputs) {
  return Object.fromEntries((outputs ?? []).map(o => [o.OutputKey, o.OutputValue]))
}

/** The status and parameter names of the first stack of a describe-stacks answer. */
export function stackStatus(describe) {
  const stack = describe?.Stacks?.[0]
  return stack ? { name: stack.StackName, status: stack.StackStatus, parameters: (stack.Parameters ?? []).map(p => p.ParameterKey) } : null
}

// AdminApiKey: the parameter of stacks from before the hash, still masked if ever printed.
const SECRET = /^(AdminApiKey=).+$/

/** A command as a reader can paste it into a POSIX shell, with the admin key masked. */
export function formatCommand(argv, { mask = true } = {}) {
  return argv.map((a) => {
    const shown = mask ? a.replace(SECRET, '$1****') : a
    return /^[\w@%+=:,./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, '\'\\\'\'')}'`
  }).join(' ')
}

/**
 * What to tell the reader after a deploy: the URL, the admin key when it was just made (the only time it is
 * shown), how to create the first API key, a rule that stops instances on a schedule, and the member-account role.
 */
export function summary({ outputs, adminApiKey, account, region }) {
  const url = (outputs.Url ?? '').replace(/\/?$/, '/')
  const key = adminApiKey ?? '<your admin key>'
  const rule = JSON.stringify({
    name: 'nightly-stop',
    accountId: account ?? '<account id>',
    regions: [region],
    action: 'stop',
    filters: 'tag:Schedule=nightly-stop',
    scheduleExpression: 'cron(0 19 ? * MON-FRI *)',
    timezone: 'UTC',
  })
  const lines = [
    '',
    `Ouroboros is deployed: ${url}`,
    '',
  ]
  if (adminApiKey) {
    lines.push(
      'Admin API key (shown only now; keep it in a password manager, `npm run deploy -- --rotate-admin-key` makes a new one):',
      '',
      `    ${adminApiKey}`,
      '',
    )
  }
  else {
    lines.push('The admin API key is the one printed by the first deploy (`npm run deploy -- --rotate-admin-key` makes a new one).', '')
  }
  lines.push(
    'Create your first API key (answers the key once):',
    `    curl -s -X POST ${url}api/keys -H 'x-api-key: ${key}' -H 'content-type: application/json' -d '{"name":"me","scope":"admin"}'`,
    `    # or: OUROBOROS_API_KEY='${key}' npm run apikey -- create --url ${url} --name me --scope admin`,
    '',
    `Stop the instances tagged Schedule=nightly-stop in ${region} at 19:00 UTC on weekdays:`,
    `    curl -s -X POST ${url}api/rules -H 'x-api-key: ${key}' -H 'content-type: application/json' -d '${rule}'`,
    '',
    'Other accounts: create the member role there (from this repository, with that account\'s credentials):',
    `    ${outputs.MemberRoleCommand ?? 'see the MemberRoleCommand output'}`,
    `    (or open ${url}api/setup/member-role?accountId=<account id> for the command without this repository)`,
  )
  return lines.join('\n')
}
