// The Lambda build (infra/hub.yaml deploys it), applied when NITRO_PRESET=aws-lambda: one entry for API Gateway and
// EventBridge Scheduler, the static assets answered by the function itself, and one bundle with no node_modules to
// resolve at cold start. plugins/ holds the build's Rollup plugins and checks (each file says what it keeps out of a
// cold start and why, and fails the build when the dependency code it relies on has moved); runtime/ holds the
// stand-ins that ship in the bundle instead of a dependency.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createResolver, defineNuxtModule } from 'nuxt/kit'
import { checkBuildNode, requireBuiltins } from './plugins/builtins'
import { h3WebResponseCheck } from './plugins/h3-web-response'
import { i18nSkipsApiRequests } from './plugins/i18n-api-requests'
import { separateI18nRouterMatcher } from './plugins/i18n-router-matcher'
import { ofetchSharedChunk } from './plugins/ofetch-shared'
import { clientModuleEntry, sdkEsModules } from './plugins/sdk-esm'

// The AWS SDK clients a cold start seldom needs; DynamoDB stays eager.
const LAZY_CLIENTS = ['ec2', 'sts', 'scheduler']

export default defineNuxtModule({
  meta: { name: 'ouroboros:lambda' },
  setup(_options, nuxt) {
    if (process.env.NITRO_PRESET !== 'aws-lambda') return
    const { resolve } = createResolver(import.meta.url)
    const template = join(nuxt.options.rootDir, 'infra', 'hub.yaml')
    checkBuildNode(process.versions.node, readFileSync(template, 'utf8'))

    // The Lambda bundles Vue (noExternals): with externalVue off, Nuxt swaps Vue's template compiler (and
    // @babel/parser, about a third of the server bundle) for a stub, as nothing compiles templates at run time.
    nuxt.options.experimental.externalVue = false

    const nitro = nuxt.options.nitro
    // In Lambda one function answers API Gateway and EventBridge Scheduler: see server/entry/aws-lambda.ts.
    nitro.entry = join(nuxt.options.rootDir, 'server', 'entry', 'aws-lambda.ts')
    // The aws-lambda preset serves no files (it expects a CDN). Serve them from the zip instead: the asset
    // manifest gives each file its content type and ETag, and Nuxt's /_nuxt/ rule a one-year immutable Cache-Control.
    nitro.serveStatic = true
    // No precompressed copies in the zip: the function's asset table, compiled at every cold start, lists each copy
    // (it tripled the table, +44 KB of the main chunk); a year-long immutable cache makes the raw bytes a one-time cost.
    nitro.compressPublicAssets = false
    // Bundle every dependency: ESM importing hundreds of CommonJS files of the AWS SDK costs most of a cold start.
    nitro.noExternals = true
    nitro.minify = true
    // Nitro puts its runtime in one manual chunk, and Rollup adds every static dependency to it: code that only a
    // lazily loaded route or SDK client uses would be parsed at every cold start. Without it, Rollup splits by use.
    nitro.rollupConfig = { ...nitro.rollupConfig, output: { ...nitro.rollupConfig?.output, manualChunks: () => undefined } }
    // The build's own Rollup plugins, ahead of Nitro's resolvers.
    nitro.hooks = {
      ...nitro.hooks,
      'rollup:before'(_nitro, config) {
        (config.plugins as unknown[]).unshift(requireBuiltins(), sdkEsModules(LAZY_CLIENTS.map(c => `@aws-sdk/client-${c}`)), separateI18nRouterMatcher(), h3WebResponseCheck(), i18nSkipsApiRequests())
      },
    }
    nitro.alias = {
      ...nitro.alias,
      // The embedded store never runs in Lambda (see runtime/no-embedded-store.ts).
      'dynalite': resolve('./runtime/no-embedded-store.ts'),
      // ofetch without loading undici at start (see runtime/lazy-fetch.ts), over ofetch's own shared chunk.
      'ofetch': resolve('./runtime/lazy-fetch.ts'),
      '#ofetch/shared': ofetchSharedChunk(),
      // Clients a cold start seldom needs load on first use (see runtime/lazy-sdk.ts).
      ...Object.fromEntries(LAZY_CLIENTS.flatMap(c => [
        [`@aws-sdk/client-${c}`, resolve(`./runtime/lazy-${c}.ts`)],
        // The package's own ES module entry, by a name the alias above does not catch.
        [`#aws-sdk/client-${c}`, clientModuleEntry(`@aws-sdk/client-${c}`)],
      ])),
    }
  },
})
