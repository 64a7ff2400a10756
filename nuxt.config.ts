// Ouroboros: one Nuxt codebase for the UI, the API and the execution task.
// Root-level layout (no app/ folder): Nuxt falls back to rootDir when app/ is absent.
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
  },
  typescript: { strict: true },
  telemetry: false,
  eslint: {
    config: { stylistic: { semi: false, quotes: 'single', commaDangle: 'always-multiline' } },
  },
})
