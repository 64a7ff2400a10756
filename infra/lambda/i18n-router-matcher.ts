// Lambda build only: a Rollup plugin that gives @nuxtjs/i18n's server-side route matcher its own copy of vue-router.
// The i18n server plugin (loaded at every cold start) imports createRouterMatcher from vue-router. Rollup keeps a
// module whole in one chunk, so the vue-router module the pages also use, with the parts of Vue they need, landed in
// the code every cold start parses: a quarter of it. vue-router's self-contained production build serves the matcher
// instead (createRouterMatcher uses nothing of Vue); Vue and the app's vue-router stay with the page renderer.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const I18N_MATCHING = /\/@nuxtjs\/i18n\/dist\/runtime\/shared\/matching\.js$/

export function separateI18nRouterMatcher() {
  const require = createRequire(import.meta.url)
  const standalone = join(dirname(require.resolve('vue-router/package.json')), 'dist', 'vue-router.esm-browser.prod.js')
  return {
    name: 'ouroboros:separate-i18n-router-matcher',
    resolveId(id: string, importer?: string) {
      return id === 'vue-router' && importer && I18N_MATCHING.test(importer) ? standalone : null
    },
  }
}
