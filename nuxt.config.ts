// Ouroboros: one Nuxt codebase for the UI, the API and the execution task.
// Root-level layout (no app/ folder): Nuxt falls back to rootDir when app/ is absent.
import { fileURLToPath } from 'node:url'

const lambda = process.env.NITRO_PRESET === 'aws-lambda'

export default defineNuxtConfig({
  modules: ['@element-plus/nuxt', '@nuxt/eslint'],
  devtools: { enabled: false },
  // Every setting is read once and validated by server/utils/config.ts; these are the NUXT_* variables.
  runtimeConfig: {
    store: '',
    dataDir: '.data',
    tablePrefix: 'ouroboros-',
    adminApiKey: '',
    scheduler: '',
    schedulerGroup: 'ouroboros',
    schedulerTargetArn: '',
    schedulerRoleArn: '',
    schedulerDlqArn: '',
    schedulerRetryAttempts: 3,
    schedulerMaxEventAge: 3600,
    memberRoleName: 'OuroborosSchedulerMember',
    externalId: '',
    optOutTag: 'ouroboros:skip=true',
    batchSize: 100,
    concurrency: 8,
    verifyTimeoutSeconds: 120,
    logRetentionDays: 90,
    public: {},
  },
  nitro: {
    experimental: { tasks: true },
    // In Lambda one function answers API Gateway and EventBridge Scheduler: see server/entry/aws-lambda.ts.
    ...(lambda ? { entry: fileURLToPath(new URL('./server/entry/aws-lambda.ts', import.meta.url)) } : {}),
    // NITRO_OUTPUT_DIR lets the Lambda build sit beside the node-server one (tests build both).
    ...(process.env.NITRO_OUTPUT_DIR ? { output: { dir: process.env.NITRO_OUTPUT_DIR } } : {}),
  },
  typescript: { strict: true },
  telemetry: false,
  eslint: {
    config: { stylistic: { semi: false, quotes: 'single', commaDangle: 'always-multiline' } },
  },
})
