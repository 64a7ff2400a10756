// Ouroboros: one Nuxt codebase for the UI, the API and the execution task.
// Root-level layout (no app/ folder): Nuxt falls back to rootDir when app/ is absent.
import { CONFIG_DEFAULTS } from './server/config-defaults'

export default defineNuxtConfig({
  // modules/lambda: the Lambda build (NITRO_PRESET=aws-lambda), a no-op for every other preset.
  // modules/no-prefetch: no prefetch hints for the chunks a page does not use (issue 13).
  // modules/api-reference: the /api-docs page's viewer, static files that page alone loads.
  modules: ['@element-plus/nuxt', '@nuxt/eslint', '@nuxtjs/i18n', './modules/lambda', './modules/no-prefetch', './modules/api-reference'],
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
  // A build for the tests or a benchmark works in a folder of its own (scripts/build.mjs sets it), so that it never
  // rewrites the .nuxt that the type check and the lint read while it runs beside them.
  ...(process.env.OUROBOROS_BUILD_DIR ? { buildDir: process.env.OUROBOROS_BUILD_DIR } : {}),
  nitro: {
    experimental: { tasks: true },
    // Static assets in gzip and brotli beside each file, served to a client that accepts them; pages and API answers
    // are compressed as they are sent (server/plugins/compression.ts).
    compressPublicAssets: { gzip: true, brotli: true },
    // NITRO_OUTPUT_DIR lets the Lambda build sit beside the node-server one (tests build both).
    ...(process.env.NITRO_OUTPUT_DIR ? { output: { dir: process.env.NITRO_OUTPUT_DIR } } : {}),
  },
  // The dev server pre-bundles what the rule dialog loads on first open: found late, Vite optimised zod on the first
  // click on "New rule" and reloaded the page, and the dialog never opened (issue 13).
  vite: { optimizeDeps: { include: ['zod'] } },
  // OUROBOROS_SOURCEMAP=1: the browser's scripts with hidden source maps (not linked from the scripts), to read a CPU
  // profile of a page load in the sources while tuning (docs/BENCHMARKS.md, Lighthouse). Builds never set it otherwise.
  ...(process.env.OUROBOROS_SOURCEMAP ? { sourcemap: { client: 'hidden' } } : {}),
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
