import { describe, expect, it } from 'vitest'
import { ConfigError, envName, parseServerConfig } from '../../server/utils/config'

describe('parseServerConfig', () => {
  it('defaults to the embedded store and the local scheduler on a laptop', () => {
    const config = parseServerConfig({}, {})
    expect(config).toMatchObject({
      store: 'embedded',
      dataDir: '.data',
      region: 'us-east-1',
      logRetentionDays: 90,
      tables: { rules: 'ouroboros-rules', logs: 'ouroboros-logs', calendars: 'ouroboros-calendars', overrides: 'ouroboros-overrides' },
      scheduler: { backend: 'local', group: 'ouroboros', retryAttempts: 3, maxEventAgeSeconds: 3600 },
      execution: { memberRoleName: 'OuroborosSchedulerMember', optOutTag: { key: 'ouroboros:skip', value: 'true' }, batchSize: 100, concurrency: 8 },
    })
  })

  it('uses DynamoDB and EventBridge Scheduler inside Lambda', () => {
    const arns = { schedulerTargetArn: 'arn:aws:lambda:eu-central-1:123456789012:function:o', schedulerRoleArn: 'arn:aws:iam::123456789012:role/s' }
    const config = parseServerConfig(arns, { AWS_LAMBDA_FUNCTION_NAME: 'ouroboros', AWS_REGION: 'eu-central-1' })
    expect(config).toMatchObject({ store: 'dynamodb', region: 'eu-central-1', scheduler: { backend: 'eventbridge' } })
  })

  it('uses DynamoDB when a DynamoDB endpoint is configured', () => {
    expect(parseServerConfig({ scheduler: 'local' }, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4566' }).store).toBe('dynamodb')
    expect(() => parseServerConfig({}, { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:4566' })).toThrow('or set NUXT_SCHEDULER=local')
  })

  it('lets NUXT_STORE choose explicitly, and applies the table prefix', () => {
    const config = parseServerConfig({ store: 'embedded', tablePrefix: 'dev-' }, { AWS_LAMBDA_FUNCTION_NAME: 'x' })
    expect(config.store).toBe('embedded')
    expect(config.tables).toEqual({ rules: 'dev-rules', logs: 'dev-logs', calendars: 'dev-calendars', overrides: 'dev-overrides', notifications: 'dev-notifications', savings: 'dev-savings' })
  })

  it('reads the notifications\' settings: private addresses refused, a 10 s deadline, 5 s attempts, 4 of them', () => {
    expect(parseServerConfig({}, {}).notify).toEqual({ allowPrivate: false, deadlineMs: 10_000, timeoutMs: 5000, attempts: 4, baseUrl: '' })
    expect(parseServerConfig({ notifyAllowPrivate: 'true', notifyBaseUrl: 'https://scheduler.example.com/' }, {}).notify).toMatchObject({ allowPrivate: true, baseUrl: 'https://scheduler.example.com' })
  })

  it.each([
    [{ notifyAttempts: 2 }, 'NUXT_NOTIFY_ATTEMPTS: must be a whole number from 3 to 10'],
    [{ notifyBaseUrl: 'scheduler.example.com' }, 'NUXT_NOTIFY_BASE_URL: must be the app\'s public URL'],
    [{ store: 'postgres' }, 'NUXT_STORE: must be "embedded" or "dynamodb"'],
    [{ scheduler: 'cron' }, 'NUXT_SCHEDULER: must be "local" or "eventbridge"'],
    [{ batchSize: 0 }, 'NUXT_BATCH_SIZE'],
    [{ concurrency: 'many' }, 'NUXT_CONCURRENCY'],
    [{ logRetentionDays: -1 }, 'NUXT_LOG_RETENTION_DAYS'],
    [{ optOutTag: 'skip' }, 'NUXT_OPT_OUT_TAG: must be KEY=VALUE'],
    [{ schedulerTargetArn: 'my-lambda' }, 'NUXT_SCHEDULER_TARGET_ARN: must be an ARN'],
    [{ tablePrefix: 'bad prefix' }, 'NUXT_TABLE_PREFIX'],
  ])('stops with a message naming the variable for %j', (raw, message) => {
    expect(() => parseServerConfig(raw, {})).toThrow(ConfigError)
    expect(() => parseServerConfig(raw, {})).toThrow(message)
  })

  it('requires the target and role ARNs with the eventbridge scheduler', () => {
    expect(() => parseServerConfig({ scheduler: 'eventbridge' }, {}))
      .toThrow('NUXT_SCHEDULER_TARGET_ARN and NUXT_SCHEDULER_ROLE_ARN must be set with the eventbridge scheduler')
  })

  it('refuses a region that is not an AWS region', () => {
    expect(() => parseServerConfig({}, { AWS_REGION: 'mars-1' })).toThrow('AWS_REGION')
  })
})

describe('envName', () => {
  it.each([
    ['store', 'NUXT_STORE'],
    ['dataDir', 'NUXT_DATA_DIR'],
    ['schedulerTargetArn', 'NUXT_SCHEDULER_TARGET_ARN'],
  ])('maps %s to %s', (key, name) => expect(envName(key)).toBe(name))
})

describe('zod on the server', () => {
  it('parses without compiling parsers (jitless), set by the config without loading zod', async () => {
    const { z } = await import('zod')
    expect(z.config().jitless).toBe(true)
  })
})
