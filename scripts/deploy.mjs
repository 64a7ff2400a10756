#!/usr/bin/env node
// `npm run deploy`: checks the AWS CLI, credentials and region before anything changes; builds the Lambda
// (NITRO_PRESET=aws-lambda); zips it; deploys the artifacts bucket, uploads the zip and deploys infra/hub.yaml
// with the AWS CLI; prints the URL and what to do next. Decisions live in deploy-lib.mjs (unit-tested).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createInterface } from 'node:readline/promises'
import { build } from './build.mjs'
import {
  adminKeyPlan, artifactsDeployArgs, artifactsStackName, codeKey, commonArgs, describeStackArgs, guidedQuestions, formatCommand, headObjectArgs,
  hubDeployArgs, newAdminKey, OUTPUT_DIR, outputsArgs, outputsMap, parseArgs, preflightProblems, resolveSettings,
  savedForm, SETTINGS_FILE, settingsProblems, stackStatus, summary, uploadArgs, USAGE, ZIP_FILE,
} from './deploy-lib.mjs'
import { writeLambdaZip } from './deploy-zip.mjs'

const root = resolve(import.meta.dirname, '..')
const settingsPath = resolve(root, SETTINGS_FILE)

function fail(message) {
  console.error(`\ndeploy: ${message}`)
  process.exit(1)
}

/** Runs an aws command; answers { ok, stdout, stderr }. The pager is off so nothing waits for a key. */
function aws(argv, { inherit = false } = {}) {
  const r = spawnSync(argv[0], argv.slice(1), {
    cwd: root,
    encoding: 'utf8',
    stdio: inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, AWS_PAGER: '' },
  })
  if (r.error) return { ok: false, stdout: '', stderr: r.error.message, missing: r.error.code === 'ENOENT' }
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' }
}

function json(text) {
  try {
    return JSON.parse(text)
  }
  catch {
    return null
  }
}

async function ask(saved, defaults) {
  const rl = createInterface({ input: process.stdin, output: process.stdout })
  const q = async (label, current) => (await rl.question(`${label} [${current === '' ? 'none' : current}]: `)).trim() || current
  try {
    console.log('First deploy: a few settings (Enter takes the value in brackets). They are saved in .deploy.json.\n')
    const answers = {}
    for (const { key, label, current, numeric } of guidedQuestions(saved, defaults)) {
      const answer = await q(label, current)
      answers[key] = numeric ? Number(answer) : answer
    }
    return answers
  }
  finally {
    rl.close()
  }
}

/** Reads one line without echoing it (a key being pasted). */
async function askHidden(question) {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
  // Echo nothing of what is typed; readline writes through _writeToOutput.
  rl._writeToOutput = () => {}
  process.stdout.write(question)
  try {
    return (await rl.question('')).trim()
  }
  finally {
    rl.close()
    process.stdout.write('\n')
  }
}

/**
 * The bootstrap key this deploy gives the stack (as its hash), or undefined to keep the deployed one. A stack from
 * before the hash holds the key itself: the key is asked for once, to pass its hash instead; Enter makes a new one.
 */
async function adminKeyFor(plan, interactive) {
  if (plan === 'keep') return { key: undefined, shown: false }
  if (plan === 'upgrade' && interactive) {
    console.log('\nThis stack holds its admin API key in plain text in the function\'s environment; it will hold only the key\'s SHA-256 from now on.')
    const current = await askHidden('Paste the current admin API key to keep it (Enter makes a new one): ')
    if (current) return { key: current, shown: false }
  }
  else if (plan === 'upgrade') {
    console.log('\ndeploy: this stack holds its admin API key in plain text; not asked without a terminal (or with --yes), so a new key is made and the stack gets only its SHA-256.')
  }
  return { key: newAdminKey(), shown: true }
}

async function main() {
  let args
  try {
    args = parseArgs(process.argv.slice(2))
  }
  catch (e) {
    fail(e.message)
  }
  if (args.help) {
    console.log(USAGE)
    return
  }
  const saved = existsSync(settingsPath) ? json(readFileSync(settingsPath, 'utf8')) ?? {} : {}
  const firstRun = !existsSync(settingsPath)

  // 1. Pre-flight: nothing below changes anything until every check passed.
  const version = aws(['aws', '--version'])
  const cli = { ok: version.ok, version: (version.stdout || version.stderr).trim(), error: version.stderr }
  const configured = cli.ok ? aws(['aws', 'configure', 'get', 'region', ...(args.profile ?? saved.profile ? ['--profile', args.profile ?? saved.profile] : [])]).stdout.trim() : ''
  const interactive = process.stdin.isTTY && !args.yes
  const answers = (firstRun || args.guided) && interactive && cli.ok
    ? await ask(saved, { region: args.region ?? process.env.AWS_REGION ?? configured })
    : {}
  const settings = resolveSettings({ args, saved, answers, env: process.env, configuredRegion: configured })
  const who = cli.ok && settings.region ? aws(['aws', 'sts', 'get-caller-identity', '--output', 'json', ...commonArgs(settings)]) : null
  const caller = who?.ok ? json(who.stdout) : null
  const identityResult = who ? (caller?.Account ? { ok: true, account: caller.Account, arn: caller.Arn } : { ok: false, error: who.stderr }) : null
  const described = identityResult?.ok ? aws(describeStackArgs(settings)) : null
  const stack = described?.ok ? stackStatus(json(described.stdout)) : null
  const problems = [...preflightProblems({ cli, identity: identityResult, region: settings.region, stack }), ...settingsProblems(settings)]
  if (problems.length) fail(`cannot deploy yet:\n\n${problems.map(p => `  - ${p}`).join('\n')}\n\nNothing was changed.`)

  console.log(`deploy: ${cli.version.split(' ')[0]}, account ${identityResult.account} (${identityResult.arn}), region ${settings.region}, stack ${settings.stackName} (${stack ? `update, now ${stack.status}` : 'new'})`)
  if (!args.dryRun) writeFileSync(settingsPath, `${JSON.stringify(savedForm(settings), null, 2)}\n`)

  // A new stack needs an admin key; an existing one keeps its own unless asked to rotate it. Only its hash is passed.
  const admin = await adminKeyFor(adminKeyPlan({ stack, rotate: args.rotateAdminKey }), interactive)
  const adminApiKey = admin.key

  // 2. Build and zip.
  if (args.dryRun) {
    console.log(`\n# build: NITRO_PRESET=aws-lambda NITRO_OUTPUT_DIR=${OUTPUT_DIR} node scripts/build.mjs, then zip ${OUTPUT_DIR}/{server,public} into ${ZIP_FILE}`)
  }
  else {
    if (!args.skipBuild) {
      console.log(`deploy: building the Lambda (NITRO_PRESET=aws-lambda into ${OUTPUT_DIR}) ...`)
      const started = Date.now()
      const { status, output } = await build({ NITRO_PRESET: 'aws-lambda', NITRO_OUTPUT_DIR: OUTPUT_DIR })
      if (status !== 0) fail(`the build failed (exit ${status}); nothing was deployed:\n${output.slice(-4000)}`)
      console.log(`deploy: built in ${((Date.now() - started) / 1000).toFixed(0)} s`)
    }
  }
  const zip = args.dryRun ? { sha256: '<sha256 of the zip>', bytes: 0 } : writeLambdaZip(resolve(root, OUTPUT_DIR), resolve(root, ZIP_FILE))
  if (!args.dryRun) console.log(`deploy: ${ZIP_FILE}: ${(zip.bytes / 1e6).toFixed(1)} MB, ${zip.files} files, sha256 ${zip.sha256.slice(0, 12)}`)

  // 3. The artifacts bucket, the upload, the hub stack.
  const run = (title, argv) => {
    console.log(`\n# ${title}\n${formatCommand(argv)}`)
    if (args.dryRun) return { ok: true, stdout: '' }
    const r = aws(argv, { inherit: true })
    if (!r.ok) fail(`'${title}' failed (see above).`)
    return r
  }
  run('the artifacts bucket (a no-op once it exists)', artifactsDeployArgs(settings))
  const bucketOutputs = args.dryRun ? {} : outputsMap(json(aws(outputsArgs(settings, artifactsStackName(settings))).stdout))
  const bucket = args.dryRun ? '<artifacts bucket>' : bucketOutputs.BucketName
  if (!bucket) fail(`the stack ${artifactsStackName(settings)} has no BucketName output`)
  const key = codeKey(settings, zip.sha256)
  if (args.dryRun || !aws(headObjectArgs(settings, bucket, key)).ok) run('upload the Lambda zip', uploadArgs(settings, bucket, key, ZIP_FILE))
  else console.log(`\ndeploy: s3://${bucket}/${key} is already there (same code)`)
  run(stack ? 'update the hub stack' : 'create the hub stack (about 2 minutes)', hubDeployArgs(settings, { bucket, key, adminApiKey }))

  if (args.dryRun) {
    console.log(`\n# outputs\n${formatCommand(outputsArgs(settings))}\n\ndry run: nothing was changed.`)
    return
  }
  const outputs = outputsMap(json(aws(outputsArgs(settings)).stdout))
  console.log(summary({ outputs, adminApiKey: admin.shown ? adminApiKey : undefined, account: identityResult.account, region: settings.region }))
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
