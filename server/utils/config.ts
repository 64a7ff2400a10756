// Reads the runtime configuration once and validates it, so a wrong setting stops the start
// with a message that names the NUXT_* variable to fix.
import { z } from 'zod'
import { CONFIG_DEFAULTS } from '../config-defaults'
import { isAwsRegion } from '#shared/regions'

// zod compiles a parser for each object schema with new Function on its first parse. The server's objects are
// small and few per request, so that compile costs more than it saves: a Lambda cold start paid several ms for it.
z.config({ jitless: true })

const arn = z.string().regex(/^$|^arn:aws[\w-]*:[\w-]+:[\w-]*:\d{0,12}:.+$/, 'must be an ARN (arn:aws:...) or empty')
const count = (min: number, max: number) => z.coerce.number({ message: `must be a whole number from ${min} to ${max}` }).int().min(min).max(max)
// A boolean from an environment variable ('true'/'false', which Nuxt may already have parsed), or '' for the default.
const flag = z.union([z.boolean(), z.enum(['', 'true', 'false', '1', '0'])], { message: 'must be true or false' })
  .transform(v => (v === '' ? undefined : v === true || v === 'true' || v === '1'))

const RawConfigSchema = z.object({
  store: z.enum(['', 'embedded', 'dynamodb'], { message: 'must be "embedded" or "dynamodb"' }),
  dataDir: z.string().min(1, 'must be a directory path'),
  tablePrefix: z.string().regex(/^[\w.-]{0,200}$/, 'may only contain letters, digits, _ . and -'),
  adminApiKey: z.string(),
  adminApiKeySha256: z.string().regex(/^$|^[0-9a-fA-F]{64}$/, 'must be the SHA-256 of the admin key as 64 hex digits (printf %s "$KEY" | sha256sum), or empty'),
  scheduler: z.enum(['', 'local', 'eventbridge'], { message: 'must be "local" or "eventbridge"' }),
  // The reverts' group is this name and `-reverts`, which must fit Scheduler's 64 characters too.
  schedulerGroup: z.string().regex(/^[\w.-]{1,56}$/, 'must be 1-56 letters, digits, . _ or -'),
  schedulerTargetArn: arn,
  schedulerRoleArn: arn,
  schedulerDlqArn: arn,
  schedulerRetryAttempts: count(0, 185),
  schedulerMaxEventAge: count(60, 86_400),
  memberRoleName: z.string().regex(/^[\w+=,.@/-]{1,64}$/, 'must be an IAM role name'),
  externalId: z.string().max(1224),
  organizationRoleArn: arn,
  optOutTag: z.string().regex(/^[^=]{1,128}=.{0,256}$/, 'must be KEY=VALUE, e.g. ouroboros:skip=true'),
  overrideTag: z.string().regex(/^[^=]{1,128}$/, 'must be a tag key of 1-128 characters without =, e.g. ouroboros:skip-until'),
  batchSize: count(1, 1000),
  concurrency: count(1, 64),
  runChunkAccounts: count(1, 1000),
  verifyTimeoutSeconds: count(0, 600),
  dbVerifyTimeoutSeconds: count(0, 600),
  savedCapacityTag: z.string().regex(/^[^=]{1,128}$/, 'must be a tag key of 1-128 characters without =, e.g. ouroboros:saved-capacity'),
  logRetentionDays: count(1, 3650),
  publicRead: flag,
  authFailureLimit: count(1, 1_000_000_000),
  authFailureWindowSeconds: count(1, 86_400),
  trustProxy: flag,
  priceTable: z.string(),
  notifyAllowPrivate: flag,
  notifyDeadlineSeconds: count(1, 600),
  notifyTimeoutSeconds: count(1, 60),
  notifyAttempts: count(3, 10),
  notifyBaseUrl: z.string().regex(/^$|^https?:\/\/[^\s/]+(?:\/[^\s]*)?$/, 'must be the app\'s public URL, e.g. https://scheduler.example.com, or empty'),
})

type RawConfig = z.input<typeof RawConfigSchema>

// Every setting has a default; the schema above checks the values.
const DEFAULTS: Record<keyof RawConfig, unknown> = CONFIG_DEFAULTS

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
  const input = Object.fromEntries(Object.entries(DEFAULTS).map(([k, v]) => [k, raw[k] ?? v]))
  const parsed = RawConfigSchema.safeParse(input)
  if (!parsed.success) {
    const lines = parsed.error.issues.map(i => `${envName(String(i.path[0]))}: ${i.message}`)
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`)
  }
  const c = parsed.data
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
