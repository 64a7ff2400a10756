// Reads the runtime configuration once and validates it, so a wrong setting stops the start
// with a message that names the NUXT_* variable to fix.
import { z } from 'zod'
import { isAwsRegion } from '#shared/regions'

const RawConfigSchema = z.object({
  store: z.enum(['', 'embedded', 'dynamodb'], { message: 'must be "embedded" or "dynamodb"' }),
  dataDir: z.string().min(1, 'must be a directory path'),
  tablePrefix: z.string().regex(/^[\w.-]{0,200}$/, 'may only contain letters, digits, _ . and -'),
  adminApiKey: z.string(),
  logRetentionDays: z.coerce.number({ message: 'must be a number of days' }).int().min(1).max(3650),
})

export interface ServerConfig {
  store: 'embedded' | 'dynamodb'
  dataDir: string
  region: string
  adminApiKey: string
  logRetentionDays: number
  tables: { rules: string, logs: string }
}

export class ConfigError extends Error {
  override name = 'ConfigError'
}

function envName(key: string): string {
  return `NUXT_${key.replace(/[A-Z]/g, c => `_${c}`).toUpperCase()}`
}

/**
 * Validates raw runtime config plus the SDK's own environment. Pure, for tests.
 * The store defaults to the embedded one, except in Lambda or when a DynamoDB endpoint is configured.
 */
export function parseServerConfig(raw: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const parsed = RawConfigSchema.safeParse({
    store: raw.store ?? '',
    dataDir: raw.dataDir ?? '.data',
    tablePrefix: raw.tablePrefix ?? 'ouroboros-',
    adminApiKey: raw.adminApiKey ?? '',
    logRetentionDays: raw.logRetentionDays ?? 90,
  })
  if (!parsed.success) {
    const lines = parsed.error.issues.map(i => `${envName(String(i.path[0]))}: ${i.message}`)
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`)
  }
  const c = parsed.data
  const region = env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1'
  if (!isAwsRegion(region)) throw new ConfigError(`invalid configuration: AWS_REGION: '${region}' is not an AWS region code`)
  const inAws = Boolean(env.AWS_LAMBDA_FUNCTION_NAME) || Boolean(env.AWS_ENDPOINT_URL_DYNAMODB)
  return {
    store: c.store || (inAws ? 'dynamodb' : 'embedded'),
    dataDir: c.dataDir,
    region,
    adminApiKey: c.adminApiKey,
    logRetentionDays: c.logRetentionDays,
    tables: { rules: `${c.tablePrefix}rules`, logs: `${c.tablePrefix}logs` },
  }
}

let cached: ServerConfig | undefined

/** The validated configuration of this process, parsed on first use. */
export function useServerConfig(): ServerConfig {
  cached ??= parseServerConfig(useRuntimeConfig() as unknown as Record<string, unknown>)
  return cached
}
