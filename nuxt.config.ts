// Ouroboros: one Nuxt codebase for the UI, the API and the execution task.
// Root-level layout (no app/ folder): Nuxt falls back to rootDir when app/ is absent.
import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { requireBuiltins } from './infra/lambda/builtins'
import { moduleEntry, sdkEsModules } from './infra/lambda/sdk-esm'
import { h3WebResponseCheck } from './infra/lambda/h3-web-response'
import { i18nSkipsApiRequests } from './infra/lambda/i18n-api-requests'
import { separateI18nRouterMatcher } from './infra/lambda/i18n-router-matcher'
import { CONFIG_DEFAULTS } from './server/config-defaults'

const lambda = process.env.NITRO_PRESET === 'aws-lambda'

const LAZY_CLIENTS = ['ec2', 'sts', 'scheduler']
const local = (path: string) => fileURLToPath(new URL(path, import.meta.url))

// ofetch's shared chunk (its name carries a hash): what its entries import createFetch from.
function ofetchSharedChunk() {
  const dir = join(dirname(createRequire(import.meta.url).resolve('ofetch/package.json')), 'dist', 'shared')
  return join(dir, readdirSync(dir).find(f => f.endsWith('.mjs'))!)
}

// The Lambda build (infra/hub.yaml deploys it): one entry for API Gateway and EventBridge Scheduler, the
// static assets answered by the function itself, and one bundle with no node_modules to resolve at cold start.
function lambdaNitro() {
  return {
    entry: local('./server/entry/aws-lambda.ts'),
    // The aws-lambda preset serves no files (it expects a CDN). Serve them from the zip instead: the asset
    // manifest gives each file its content type and ETag, and Nuxt's /_nuxt/ rule a one-year immutable Cache-Control.
    serveStatic: true,
    // Bundle every dependency: ESM importing hundreds of CommonJS files of the AWS SDK costs most of a cold start.
    noExternals: true,
    minify: true,
    // Nitro puts its runtime in one manual chunk, and Rollup adds every static dependency to it: code that only a
    // lazily loaded route or SDK client uses would be parsed at every cold start. Without it, Rollup splits by use.
    rollupConfig: { output: { manualChunks: () => undefined } },
    hooks: {
      // The build's own Rollup plugins, ahead of Nitro's resolvers; each file in infra/lambda/ says what it keeps
      // out of a cold start and why.
      'rollup:before'(_nitro: unknown, config: { plugins: unknown[] }) {
        config.plugins.unshift(requireBuiltins(), sdkEsModules(LAZY_CLIENTS.map(c => `@aws-sdk/client-${c}`)), separateI18nRouterMatcher(), h3WebResponseCheck(), i18nSkipsApiRequests())
      },
    },
    alias: {
      // The embedded store never runs in Lambda (see infra/lambda/no-embedded-store.ts).
      'dynalite': local('./infra/lambda/no-embedded-store.ts'),
      // ofetch without loading undici at start (see infra/lambda/lazy-fetch.ts).
      'ofetch': local('./infra/lambda/lazy-fetch.ts'),
      '#ofetch/shared': ofetchSharedChunk(),
      // Clients a cold start seldom needs load on first use (see infra/lambda/lazy-sdk.ts); DynamoDB stays eager.
      ...Object.fromEntries(LAZY_CLIENTS.flatMap(c => [
        [`@aws-sdk/client-${c}`, local(`./infra/lambda/lazy-${c}.ts`)],
        // The package's own ES module entry, by a name the alias above does not catch.
        [`#aws-sdk/client-${c}`, moduleEntry(`@aws-sdk/client-${c}`)!],
      ])),
    },
  }
}

export default defineNuxtConfig({
  modules: ['@element-plus/nuxt', '@nuxt/eslint', '@nuxtjs/i18n'],
  devtools: { enabled: false },
  app: {
    head: {
      title: 'Ouroboros',
      // Applies the saved (or the system's) colour scheme before the first paint, so a dark page never flashes white.
      script: [{ innerHTML: 'try{var t=localStorage.getItem(\'ouroboros:theme\');if(t===\'dark\'||(!t&&matchMedia(\'(prefers-color-scheme: dark)\').matches))document.documentElement.classList.add(\'dark\')}catch(e){}', tagPosition: 'head' }],
    },
  },
  // Element Plus's dark palette applies under html.dark (see composables/useDarkMode.ts).
  css: ['element-plus/theme-chalk/dark/css-vars.css', '~/assets/main.css'],
  // Every setting is read once and validated by server/utils/config.ts; these are the NUXT_* variables.
  runtimeConfig: { ...CONFIG_DEFAULTS, public: {} },
  nitro: {
    experimental: { tasks: true },
    // In Lambda one function answers API Gateway and EventBridge Scheduler: see server/entry/aws-lambda.ts.
    ...(lambda ? lambdaNitro() : {}),
    // NITRO_OUTPUT_DIR lets the Lambda build sit beside the node-server one (tests build both).
    ...(process.env.NITRO_OUTPUT_DIR ? { output: { dir: process.env.NITRO_OUTPUT_DIR } } : {}),
  },
  // The Lambda bundles Vue (noExternals): with externalVue off, Nuxt swaps Vue's template compiler (and @babel/parser,
  // about a third of the server bundle) for a stub, as nothing compiles templates at run time.
  ...(lambda ? { experimental: { externalVue: false } } : {}),
  typescript: { strict: true },
  telemetry: false,
  eslint: {
    config: { stylistic: { semi: false, quotes: 'single', commaDangle: 'always-multiline' } },
  },
  // English and Simplified Chinese; no URL prefix; the browser's language on a first visit, then the saved choice.
  i18n: {
    strategy: 'no_prefix',
    defaultLocale: 'en',
    locales: [
      { code: 'en', language: 'en-US', name: 'English', file: 'en.json' },
      { code: 'zh-CN', language: 'zh-CN', name: '简体中文', file: 'zh-CN.json' },
    ],
    detectBrowserLanguage: { useCookie: true, cookieKey: 'ouroboros_locale', redirectOn: 'root', fallbackLocale: 'en' },
    // The UI calls t() only: no <i18n-t> component or v-t directive in the browser bundle. (The message compiler stays:
    // messages arrive as JSON from /_i18n/ and are compiled in the browser.)
    bundle: { fullInstall: false },
  },
})
