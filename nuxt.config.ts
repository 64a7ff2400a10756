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
    memberRoleName: 'OuroborosSchedulerMember',
    externalId: '',
    optOutTag: 'ouroboros:skip=true',
    batchSize: 100,
    concurrency: 8,
    logRetentionDays: 90,
    public: {},
  },
  compatibilityDate: '2026-11-01',
  nitro: {
    experimental: { tasks: true },
  },
  typescript: { strict: true },
  telemetry: false,
  eslint: {
    config: { stylistic: { semi: false, quotes: 'single', commaDangle: 'always-multiline' } },
  },
})
