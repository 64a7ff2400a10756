// Reads the runtime configuration once and validates it, so a wrong setting stops the start
// with a message that names the NUXT_* variable to fix.
// Checked by hand, not with zod: every Lambda cold start reads it before its first answer, and constructing and
// running a zod schema of 40 fields (with zod's own first use) cost about a tenth of the rules list's cold start
// (issue 12, bench/lambda.ts). The checks are those the zod schema made, with its messages.
import { CONFIG_DEFAULTS } from '../config-defaults'
import { isAwsRegion } from '#shared/regions'

// zod compiles a parser for each object schema with new Function on its first parse. The server's objects are
// small and few per request, so that compile costs more than it saves: a Lambda cold start paid several ms for it.
// z.config({ jitless: true }) without loading zod here: zod keeps its configuration in this global (zod/v4/core/core.js).
const zodConfig = globalThis as { __zod_globalConfig?: { jitless?: boolean } }
;(zodConfig.__zod_globalConfig ??= {}).jitless = true

/** A setting's check: answers the value to use, or throws the message that says what it must be. */
type Check<T> = (value: unknown) => T

const fail = (message: string): never => {
  throw new TypeError(message)
}
const text = (message: string, test: (s: string) => boolean = () => true): Check<string> =>
  v => (typeof v === 'string' && test(v) ? v : fail(message))
const matching = (pattern: RegExp, message: string) => text(message, s => pattern.test(s))
const oneOf = <const T extends string>(values: readonly T[], message: string): Check<T> =>
  v => (values.includes(v as T) ? v as T : fail(message))
const arn = matching(/^$|^arn:aws[\w-]*:[\w-]+:[\w-]*:\d{0,12}:.+$/, 'must be an ARN (arn:aws:...) or empty')
// As z.coerce.number: a string or boolean from the environment is read as a number.
const count = (min: number, max: number): Check<number> => (v) => {
  const n = Number(v)
  return Number.isInteger(n) && n >= min && n <= max ? n : fail(`must be a whole number from ${min} to ${max}`)
}
// A boolean from an environment variable ('true'/'false', which Nuxt may already have parsed), or '' for the default.
const flag: Check<boolean | undefined> = v => (typeof v === 'boolean'
  ? v
  : v === '' ? undefined : v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : fail('must be true or false'))

const RAW_CONFIG = {
  store: oneOf(['', 'embedded', 'dynamodb'], 'must be "embedded" or "dynamodb"'),
  dataDir: text('must be a directory path', s => s.length >= 1),
  tablePrefix: matching(/^[\w.-]{0,200}$/, 'may only contain letters, digits, _ . and -'),
  adminApiKey: text('must be text'),
  adminApiKeySha256: matching(/^$|^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the admin key as 64 hex digits (printf %s "$KEY" | sha256sum), or empty'),
  scheduler: oneOf(['', 'local', 'eventbridge'], 'must be "local" or "eventbridge"'),
  // The reverts' group is this name and `-reverts`, which must fit Scheduler's 64 characters too.
  schedulerGroup: matching(/^[\w.-]{1,56}$/, 'must be 1-56 letters, digits, . _ or -'),
  schedulerTargetArn: arn,
  schedulerRoleArn: arn,
  schedulerDlqArn: arn,
  schedulerRetryAttempts: count(0, 185),
  schedulerMaxEventAge: count(60, 86_400),
  memberRoleName: matching(/^[\w+=,.@/-]{1,64}$/, 'must be an IAM role name'),
  externalId: text('must be at most 1224 characters', s => s.length <= 1224),
  organizationRoleArn: arn,
  optOutTag: matching(/^[^=]{1,128}=.{0,256}$/, 'must be KEY=VALUE, e.g. ouroboros:skip=true'),
  overrideTag: matching(/^[^=]{1,128}$/, 'must be a tag key of 1-128 characters without =, e.g. ouroboros:skip-until'),
  batchSize: count(1, 1000),
  concurrency: count(1, 64),
  runChunkAccounts: count(1, 1000),
  verifyTimeoutSeconds: count(0, 600),
  dbVerifyTimeoutSeconds: count(0, 600),
  savedCapacityTag: matching(/^[^=]{1,128}$/, 'must be a tag key of 1-128 characters without =, e.g. ouroboros:saved-capacity'),
  logRetentionDays: count(1, 3650),
  publicRead: flag,
  authFailureLimit: count(1, 1_000_000_000),
  authFailureWindowSeconds: count(1, 86_400),
  trustProxy: flag,
  priceTable: text('must be a file path or empty'),
  notifyAllowPrivate: flag,
  notifyDeadlineSeconds: count(1, 600),
  notifyTimeoutSeconds: count(1, 60),
  notifyAttempts: count(3, 10),
  notifyBaseUrl: matching(/^$|^https?:\/\/[^\s/]+(?:\/[^\s]*)?$/, 'must be the app\'s public URL, e.g. https://scheduler.example.com, or empty'),
} satisfies Record<keyof typeof CONFIG_DEFAULTS, Check<unknown>>

type RawConfig = { [K in keyof typeof RAW_CONFIG]: ReturnType<(typeof RAW_CONFIG)[K]> }

/** Every setting checked, each wrong one named by its variable; every setting has a default. */
function checkRawConfig(raw: Record<string, unknown>): RawConfig {
  const out: Record<string, unknown> = {}
  const lines: string[] = []
  for (const [key, check] of Object.entries(RAW_CONFIG) as [keyof RawConfig, Check<unknown>][]) {
    try {
      out[key] = check(raw[key] ?? CONFIG_DEFAULTS[key])
    }
    catch (e) {
      lines.push(`${envName(key)}: ${(e as Error).message}`)
    }
  }
  if (lines.length) throw new ConfigError(`invalid configuration: ${lines.join('; ')}`)
  return out as RawConfig
}

export interface ServerConfig {
  store: 'embedded' | 'dynamodb'
  dataDir: string
  region: string
  /** NUXT_ADMIN_API_KEY: a bootstrap admin key in plain text, for local use; '' when unset. */
  adminApiKey: string
  /** NUXT_ADMIN_API_KEY_SHA256: the bootstrap key as its SHA-256 (lowercase hex), what a deployed stack holds; '' when unset. */
  adminApiKeySha256: string
  logRetentionDays: number
  /**
   * Where savings get their prices: NUXT_PRICE_TABLE (a CSV file of region,instanceType,pricePerHour[,currency]) when
   * set; otherwise the AWS Price List API with the DynamoDB store (in AWS); otherwise none (hours only).
   */
  pricing: { source: 'csv', file: string } | { source: 'aws' } | { source: 'none' }
  tables: { rules: string, logs: string, calendars: string, overrides: string, notifications: string, savings: string }
  /** The tables of API keys, their rate and quota counters, and the audit trail. */
  accessTables: { keys: string, limits: string, audit: string }
  access: {
    /** Reads need no key (NUXT_PUBLIC_READ, default true); when false every /api request needs a valid key. */
    publicRead: boolean
    /** Failed authentications allowed per client IP in one window, before that IP is refused (429). */
    authFailureLimit: number
    authFailureWindowSeconds: number
    /** Take the client IP from X-Forwarded-For (its last entry, added by the proxy): on in Lambda behind API Gateway. */
    trustProxy: boolean
  }
  scheduler: {
    backend: 'local' | 'eventbridge'
    group: string
    /** The group of the one-time schedules of reverts: `<group>-reverts`. */
    revertGroup: string
    targetArn: string
    roleArn: string
    dlqArn: string
    retryAttempts: number
    maxEventAgeSeconds: number
  }
  notify: {
    /** NUXT_NOTIFY_ALLOW_PRIVATE: call loopback and private addresses, over http too (tests and the sandbox only). */
    allowPrivate: boolean
    /** How long a run's deliveries may take in all, after its log is written; what is left is retried later. */
    deadlineMs: number
    /** How long one attempt waits for the receiver. */
    timeoutMs: number
    /** Attempts per delivery, the first included. */
    attempts: number
    /** The app's public URL, for the link to a run; '' links by path only. */
    baseUrl: string
  }
  execution: {
    memberRoleName: string
    externalId: string
    optOutTag: { key: string, value: string }
    /** NUXT_OVERRIDE_TAG: the tag key whose value (an instant, or a date meaning the end of that day) leaves an instance alone until then. */
    overrideTag: string
    batchSize: number
    concurrency: number
    /** NUXT_RUN_CHUNK_ACCOUNTS: in Lambda, a run over more accounts than this fans out, this many accounts per invocation. */
    runChunkAccounts: number
    verifyTimeoutSeconds: number
    /** NUXT_DB_VERIFY_TIMEOUT_SECONDS: how long a run waits for databases, which take minutes, before logging them stopping/starting. */
    dbVerifyTimeoutSeconds: number
    /** NUXT_SAVED_CAPACITY_TAG: the tag key in which a stopped Auto Scaling group keeps min,desired,max. */
    savedCapacityTag: string
    /**
     * NUXT_ORGANIZATION_ROLE_ARN: the role, in the management or a delegated administrator account, through which
     * rules' organizational units are resolved (with the ExternalId of the member roles); '' when rules name no OUs.
     */
    organizationRoleArn: string
  }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

/** The NUXT_* variable that sets a runtimeConfig key (dataDir -> NUXT_DATA_DIR). */
export function envName(key: string): string {
  return `NUXT_${key.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()}`
}

/**
 * Validates raw runtime config plus the SDK's own environment. Pure, for tests.
 * The store defaults to the embedded one, except in Lambda or when a DynamoDB endpoint is configured;
 * the scheduler defaults to the in-process one with the embedded store.
 */
export function parseServerConfig(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const c = checkRawConfig(raw)
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'
  if (!isAwsRegion(region)) throw new ConfigError(`invalid configuration: AWS_REGION: '${region}' is not an AWS region code`)
  const inAws = Boolean(env.AWS_LAMBDA_FUNCTION_NAME) || Boolean(env.AWS_ENDPOINT_URL_DYNAMODB)
  const store = c.store || (inAws ? 'dynamodb' : 'embedded')
  const backend = c.scheduler || (store === 'embedded' ? 'local' : 'eventbridge')
  if (backend === 'eventbridge') {
    const missing = (['schedulerTargetArn', 'schedulerRoleArn'] as const).filter(k => !c[k]).map(envName)
    if (missing.length) throw new ConfigError(`invalid configuration: ${missing.join(' and ')} must be set with the eventbridge scheduler (the stack's outputs give them), or set NUXT_SCHEDULER=local`)
  }
  const eq = c.optOutTag.indexOf('=')
  return {
    store,
    dataDir: c.dataDir,
    region,
    adminApiKey: c.adminApiKey,
    adminApiKeySha256: c.adminApiKeySha256.toLowerCase(),
    logRetentionDays: c.logRetentionDays,
    pricing: c.priceTable ? { source: 'csv', file: c.priceTable } : store === 'dynamodb' ? { source: 'aws' } : { source: 'none' },
    tables: { rules: `${c.tablePrefix}rules`, logs: `${c.tablePrefix}logs`, calendars: `${c.tablePrefix}calendars`, overrides: `${c.tablePrefix}overrides`, notifications: `${c.tablePrefix}notifications`, savings: `${c.tablePrefix}savings` },
    accessTables: { keys: `${c.tablePrefix}keys`, limits: `${c.tablePrefix}limits`, audit: `${c.tablePrefix}audit` },
    access: {
      publicRead: c.publicRead ?? true,
      authFailureLimit: c.authFailureLimit,
      authFailureWindowSeconds: c.authFailureWindowSeconds,
      trustProxy: c.trustProxy ?? Boolean(env.AWS_LAMBDA_FUNCTION_NAME),
    },
    scheduler: {
      backend,
      group: c.schedulerGroup,
      revertGroup: `${c.schedulerGroup}-reverts`,
      targetArn: c.schedulerTargetArn,
      roleArn: c.schedulerRoleArn,
      dlqArn: c.schedulerDlqArn,
      retryAttempts: c.schedulerRetryAttempts,
      maxEventAgeSeconds: c.schedulerMaxEventAge,
    },
    notify: {
      allowPrivate: c.notifyAllowPrivate ?? false,
      deadlineMs: c.notifyDeadlineSeconds * 1000,
      timeoutMs: c.notifyTimeoutSeconds * 1000,
      attempts: c.notifyAttempts,
      baseUrl: c.notifyBaseUrl.replace(/\/+$/, ''),
    },
    execution: {
      memberRoleName: c.memberRoleName,
      externalId: c.externalId,
      optOutTag: { key: c.optOutTag.slice(0, eq), value: c.optOutTag.slice(eq + 1) },
      overrideTag: c.overrideTag,
      batchSize: c.batchSize,
      concurrency: c.concurrency,
      runChunkAccounts: c.runChunkAccounts,
      verifyTimeoutSeconds: c.verifyTimeoutSeconds,
      dbVerifyTimeoutSeconds: c.dbVerifyTimeoutSeconds,
      savedCapacityTag: c.savedCapacityTag,
      organizationRoleArn: c.organizationRoleArn,
    },
  }
}

let cached: ServerConfig | undefined

/** The validated configuration of this process, parsed on first use. */
export function useServerConfig(): ServerConfig {
  cached ??= parseServerConfig(useRuntimeConfig() as unknown as Record<string, unknown>)
  return cached
}
