// `npm run deploy`: its decisions without AWS. Pre-flight verdicts, settings, the exact AWS CLI commands,
// the summary, and the deterministic zip.
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import {
  adminKeyHash, adminKeyPlan, artifactsDeployArgs, codeKey, formatCommand, guidedQuestions, hubDeployArgs, newAdminKey, outputsMap, parseArgs, preflightProblems,
  resolveRegion, resolveSettings, savedForm, settingsProblems, stackNameProblem, stackStatus, summary, uploadArgs,
} from '../../scripts/deploy-lib.mjs'
import { zipEntries, zipLambdaOutput } from '../../scripts/deploy-zip.mjs'

const settings = {
  stackName: 'ouroboros',
  region: 'eu-west-1',
  profile: undefined,
  memorySize: 1024,
  timeout: 300,
  reservedConcurrency: 20,
  alarmEmail: '',
  memberRoleName: 'OuroborosSchedulerMember',
  externalId: 'ouroboros-abc',
}

const cliOk = { ok: true, version: 'aws-cli/2.15.0' }
const identityOk = { ok: true, account: '111122223333', arn: 'arn:aws:iam::111122223333:user/me' }

describe('deploy pre-flight', () => {
  it('says to install the AWS CLI, and nothing else, when it is missing', () => {
    const problems = preflightProblems({ cli: { ok: false }, identity: null, region: null, stack: null })
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/AWS CLI was not found.*install/i)
  })

  it('names the three ways to set a region when none is set', () => {
    const [problem] = preflightProblems({ cli: cliOk, identity: null, region: null, stack: null })
    expect(problem).toMatch(/--region/)
    expect(problem).toMatch(/AWS_REGION/)
    expect(problem).toMatch(/aws configure set region/)
  })

  it('quotes the CLI\'s own reason when the credentials do not work', () => {
    const identity = { ok: false, error: '\nUnable to locate credentials. You can configure credentials by running "aws configure".\n' }
    const [problem] = preflightProblems({ cli: cliOk, identity, region: 'eu-west-1', stack: null })
    expect(problem).toMatch(/No usable AWS credentials/)
    expect(problem).toMatch(/Unable to locate credentials/)
    expect(problem).toMatch(/aws sso login/)
  })

  it('refuses a stack that failed to create, with the command that deletes it', () => {
    const [problem] = preflightProblems({ cli: cliOk, identity: identityOk, region: 'eu-west-1', stack: { name: 'ouroboros', status: 'ROLLBACK_COMPLETE' } })
    expect(problem).toContain('aws cloudformation delete-stack --stack-name ouroboros --region eu-west-1')
  })

  it('refuses a stack that is busy', () => {
    const problems = preflightProblems({ cli: cliOk, identity: identityOk, region: 'eu-west-1', stack: { name: 'ouroboros', status: 'UPDATE_IN_PROGRESS' } })
    expect(problems[0]).toMatch(/busy/)
  })

  it('passes with a CLI, credentials, a region and a new or settled stack', () => {
    expect(preflightProblems({ cli: cliOk, identity: identityOk, region: 'eu-west-1', stack: null })).toEqual([])
    expect(preflightProblems({ cli: cliOk, identity: identityOk, region: 'eu-west-1', stack: { name: 'o', status: 'UPDATE_COMPLETE' } })).toEqual([])
  })
})

describe('deploy settings', () => {
  it.each([
    ['ouroboros', null],
    ['ouro-prod-2', null],
    ['2ouroboros', /start with a letter/],
    ['ouro_boros', /letters, digits and -/],
    ['o'.repeat(41), /longer than 40/],
  ])('checks the stack name %s', (name, problem) => {
    const found = stackNameProblem(name)
    if (problem) expect(found).toMatch(problem)
    else expect(found).toBeNull()
  })

  it('takes the region from the flag, then the saved settings, then the environment, then the CLI', () => {
    expect(resolveRegion({ flag: 'a-1', saved: 'b-1', env: { AWS_REGION: 'c-1' }, configured: 'd-1' })).toBe('a-1')
    expect(resolveRegion({ saved: 'b-1', env: { AWS_REGION: 'c-1' }, configured: 'd-1' })).toBe('b-1')
    expect(resolveRegion({ env: { AWS_DEFAULT_REGION: 'c-2' }, configured: 'd-1' })).toBe('c-2')
    expect(resolveRegion({ env: {}, configured: 'd-1' })).toBe('d-1')
    expect(resolveRegion({ env: {} })).toBeNull()
  })

  it('keeps the saved ExternalId, and makes one on the first deploy', () => {
    const args = parseArgs([])
    expect(resolveSettings({ args, saved: { externalId: 'ouroboros-saved' } }).externalId).toBe('ouroboros-saved')
    expect(resolveSettings({ args }).externalId).toMatch(/^ouroboros-[0-9a-f]{24}$/)
  })

  it('prefers flags over guided answers over saved settings over defaults', () => {
    const s = resolveSettings({
      args: parseArgs(['--stack-name', 'flagged']),
      answers: { memorySize: 2048 },
      saved: { stackName: 'saved', memorySize: 512, timeout: 60 },
    })
    expect(s).toMatchObject({ stackName: 'flagged', memorySize: 2048, timeout: 60, memberRoleName: 'OuroborosSchedulerMember' })
  })

  it('never saves a secret', () => {
    const saved = savedForm({ ...settings, adminApiKey: 'ouro_admin_x' } as typeof settings & { adminApiKey: string })
    expect(JSON.stringify(saved)).not.toContain('ouro_admin')
    expect(saved).toMatchObject({ stackName: 'ouroboros', externalId: 'ouroboros-abc' })
  })

  it('rejects out-of-range memory, timeout and a malformed alarm address', () => {
    const problems = settingsProblems({ ...settings, memorySize: 100, timeout: 1000, reservedConcurrency: -1, alarmEmail: 'nobody' })
    expect(problems).toHaveLength(4)
    expect(problems).toContain('reserved concurrency -1 must be a whole number from 0 (none) to 1000')
  })

  it('parses options, and refuses unknown ones', () => {
    expect(parseArgs(['--dry-run', '--region=eu-central-1', '--profile', 'ops'])).toMatchObject({ dryRun: true, region: 'eu-central-1', profile: 'ops' })
    expect(() => parseArgs(['--regoin', 'x'])).toThrow(/unknown option --regoin/)
    expect(() => parseArgs(['--region'])).toThrow(/needs a value/)
  })

  it('generates admin keys in the app\'s format', () => {
    expect(newAdminKey()).toMatch(/^ouro_admin_[\w-]{43}$/)
    expect(newAdminKey()).not.toBe(newAdminKey())
  })
})

describe('deploy notification parameters', () => {
  const topic = 'arn:aws:sns:eu-west-1:111122223333:ops-alerts'
  const bus = 'arn:aws:events:eu-west-1:111122223333:event-bus/default'
  const overridesOf = (s: Parameters<typeof hubDeployArgs>[0]) => {
    const argv = hubDeployArgs({ ...s, region: 'eu-west-1' }, { bucket: 'b', key: 'k.zip' })
    return argv.slice(argv.indexOf('--parameter-overrides') + 1, argv.indexOf('--region'))
  }

  it('asks for the topics and buses after the other settings, Enter keeping the saved ones', () => {
    const questions = guidedQuestions({ notificationTopicArns: topic }, { region: 'eu-west-1' })
    expect(questions.map(q => q.key).slice(-2)).toEqual(['notificationTopicArns', 'notificationEventBusArns'])
    expect(questions.find(q => q.key === 'notificationTopicArns')).toMatchObject({ current: topic })
    expect(questions.find(q => q.key === 'notificationEventBusArns')).toMatchObject({ current: '' })
    expect(questions.find(q => q.key === 'region')).toMatchObject({ current: 'eu-west-1' })
    expect(questions.filter(q => q.numeric).map(q => q.key)).toEqual(['memorySize', 'timeout', 'reservedConcurrency'])
  })

  it('passes the answers through as the stack\'s NotificationTopicArns and NotificationEventBusArns, and saves them', () => {
    const s = resolveSettings({ args: parseArgs([]), answers: { notificationTopicArns: ` ${topic} , ${topic.replace('ops-alerts', 'pager')} `, notificationEventBusArns: bus } })
    expect(overridesOf(s)).toEqual(expect.arrayContaining([`NotificationTopicArns=${topic},${topic.replace('ops-alerts', 'pager')}`, `NotificationEventBusArns=${bus}`]))
    expect(savedForm(s)).toMatchObject({ notificationTopicArns: `${topic},${topic.replace('ops-alerts', 'pager')}`, notificationEventBusArns: bus })
    expect(settingsProblems(s)).toEqual([])
  })

  it('takes the flags over the saved lists, and none clears one', () => {
    const s = resolveSettings({ args: parseArgs(['--notification-topics', 'none', `--notification-buses=${bus}`]), saved: { notificationTopicArns: topic } })
    expect(overridesOf(s)).toEqual(expect.arrayContaining(['NotificationTopicArns=', `NotificationEventBusArns=${bus}`]))
  })

  it('leaves both out when never set, so an update keeps the deployed values', () => {
    const s = resolveSettings({ args: parseArgs([]), saved: { stackName: 'ouroboros' } })
    expect(overridesOf(s).some(p => p.startsWith('Notification'))).toBe(false)
    expect(savedForm(s)).not.toHaveProperty('notificationTopicArns')
  })

  it('refuses an ARN of another service for either list', () => {
    const s = resolveSettings({ args: parseArgs(['--notification-topics', 'arn:aws:sqs:eu-west-1:111122223333:q', '--notification-buses', topic]) })
    expect(settingsProblems(s)).toEqual([
      '\'arn:aws:sqs:eu-west-1:111122223333:q\' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)',
      `'${topic}' is not an EventBridge bus ARN (arn:aws:events:<region>:<account>:event-bus/<name>)`,
    ])
  })
})

describe('deploy commands', () => {
  it('deploys the artifacts bucket from infra/artifacts.yaml in the chosen region and profile', () => {
    expect(artifactsDeployArgs({ ...settings, profile: 'ops' })).toEqual([
      'aws', 'cloudformation', 'deploy', '--stack-name', 'ouroboros-artifacts', '--template-file', 'infra/artifacts.yaml',
      '--no-fail-on-empty-changeset', '--tags', 'app=ouroboros', '--region', 'eu-west-1', '--profile', 'ops',
    ])
  })

  it('names the zip by its hash under the stack\'s prefix', () => {
    expect(codeKey(settings, 'ab12')).toBe('ouroboros/ouroboros/ab12.zip')
    expect(uploadArgs(settings, 'bucket', 'ouroboros/ouroboros/ab12.zip')).toEqual([
      'aws', 's3', 'cp', '.output-lambda.zip', 's3://bucket/ouroboros/ouroboros/ab12.zip', '--only-show-errors', '--region', 'eu-west-1',
    ])
  })

  it('passes every hub parameter, and the admin key only when one was made', () => {
    const first = hubDeployArgs(settings, { bucket: 'b', key: 'k.zip', adminApiKey: 'ouro_admin_secret' })
    const overrides = first.slice(first.indexOf('--parameter-overrides') + 1, first.indexOf('--region'))
    expect(overrides).toEqual([
      'CodeBucket=b', 'CodeKey=k.zip', 'MemorySize=1024', 'Timeout=300', 'ReservedConcurrency=20', 'ExternalId=ouroboros-abc',
      'MemberRoleName=OuroborosSchedulerMember', 'AlarmEmail=', `AdminApiKeySha256=${adminKeyHash('ouro_admin_secret')}`,
    ])
    // Only the hash leaves this machine.
    expect(first.join(' ')).not.toContain('ouro_admin_secret')
    expect(first).toEqual(expect.arrayContaining(['--template-file', 'infra/hub.yaml', '--capabilities', 'CAPABILITY_IAM', '--s3-bucket', 'b']))
    const update = hubDeployArgs(settings, { bucket: 'b', key: 'k.zip' })
    expect(update.some(a => a.startsWith('AdminApiKey'))).toBe(false)
  })

  it('hashes the admin key as the app and `sha256sum` do', () => {
    // printf %s 'ouro_admin_secret' | sha256sum
    expect(adminKeyHash('ouro_admin_secret')).toBe(createHash('sha256').update('ouro_admin_secret').digest('hex'))
    expect(adminKeyHash('ouro_admin_secret')).toMatch(/^[0-9a-f]{64}$/)
  })

  it.each([
    [null, false, 'new'],
    [{ parameters: ['AdminApiKeySha256'] }, false, 'keep'],
    [{ parameters: ['AdminApiKeySha256'] }, true, 'new'],
    [{ parameters: ['AdminApiKey'] }, false, 'upgrade'],
  ])('decides what to do with the admin key of stack %j (rotate: %s): %s', (stack, rotate, plan) => {
    expect(adminKeyPlan({ stack, rotate })).toBe(plan)
  })

  it('prints commands ready to paste, with a plain admin key masked', () => {
    const printed = formatCommand(['aws', 'cloudformation', 'deploy', '--parameter-overrides', 'AdminApiKey=ouro_admin_secret'])
    expect(printed).not.toContain('ouro_admin_secret')
    expect(printed).toContain('AdminApiKey=****')
    expect(formatCommand(['aws', 'x', 'it\'s'])).toBe('aws x \'it\'\\\'\'s\'')
  })

  it('reads stack outputs and status from the CLI\'s JSON', () => {
    expect(outputsMap([{ OutputKey: 'Url', OutputValue: 'https://x.lambda-url.eu-west-1.on.aws/' }])).toEqual({ Url: 'https://x.lambda-url.eu-west-1.on.aws/' })
    expect(stackStatus({ Stacks: [{ StackName: 'o', StackStatus: 'CREATE_COMPLETE', Parameters: [{ ParameterKey: 'AdminApiKeySha256' }] }] }))
      .toEqual({ name: 'o', status: 'CREATE_COMPLETE', parameters: ['AdminApiKeySha256'] })
    expect(stackStatus({ Stacks: [] })).toBeNull()
  })

  it('ends with the URL, the new admin key, how to make the first API key and a scheduled stop', () => {
    const text = summary({
      outputs: { Url: 'https://abc.lambda-url.eu-west-1.on.aws/', MemberRoleCommand: 'aws cloudformation deploy --template-file infra/member-account.yaml' },
      adminApiKey: 'ouro_admin_new',
      account: '111122223333',
      region: 'eu-west-1',
    })
    expect(text).toContain('https://abc.lambda-url.eu-west-1.on.aws/')
    expect(text).toContain('    ouro_admin_new')
    expect(text).toContain('curl -s -X POST https://abc.lambda-url.eu-west-1.on.aws/api/keys -H \'x-api-key: ouro_admin_new\'')
    const rule = JSON.parse(text.match(/api\/rules .* -d '(\{.*\})'/)![1]!)
    expect(rule).toMatchObject({ accountId: '111122223333', regions: ['eu-west-1'], action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)' })
    expect(text).toContain('infra/member-account.yaml')
  })
})

describe('deploy zip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ouroboros-zip-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('holds server/ and public/ without source maps, and unzips to the same bytes', () => {
    const out = join(dir, 'out')
    mkdirSync(join(out, 'server/chunks'), { recursive: true })
    mkdirSync(join(out, 'public/_nuxt'), { recursive: true })
    writeFileSync(join(out, 'server/index.mjs'), 'export const handler = () => 1\n'.repeat(50))
    writeFileSync(join(out, 'server/index.mjs.map'), '{}')
    writeFileSync(join(out, 'server/chunks/a.mjs'), 'export default 2\n')
    writeFileSync(join(out, 'public/_nuxt/app.js'), 'console.log(1)\n')
    const first = zipLambdaOutput(out)
    const file = join(dir, 'f.zip')
    writeFileSync(file, first.zip)
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n')
    expect(listing).toEqual(['public/_nuxt/app.js', 'server/chunks/a.mjs', 'server/index.mjs'])
    expect(execFileSync('unzip', ['-p', file, 'server/index.mjs'], { encoding: 'utf8' })).toBe('export const handler = () => 1\n'.repeat(50))
    // Same input, same bytes: an unchanged build keeps its S3 key and CloudFormation leaves the function alone.
    expect(zipLambdaOutput(out).sha256).toBe(first.sha256)
  })

  it('marks files world-readable, as Lambda needs', () => {
    const file = join(dir, 'm.zip')
    writeFileSync(file, zipEntries([{ name: 'server/index.mjs', data: Buffer.from('x') }]))
    expect(execFileSync('unzip', ['-Z', file], { encoding: 'utf8' })).toMatch(/-rw-r--r--.*server\/index\.mjs/)
  })

  it('refuses an output without the Lambda entry', () => {
    const empty = join(dir, 'empty')
    mkdirSync(join(empty, 'server'), { recursive: true })
    expect(() => zipLambdaOutput(empty)).toThrow(/server\/index\.mjs is missing/)
  })
})
