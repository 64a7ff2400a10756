// Lambda build only: a Rollup plugin that gives @nuxtjs/i18n's server-side route matcher its own copy of vue-router.
// The i18n server plugin (loaded at every cold start) imports createRouterMatcher from vue-router. Rollup keeps a
// module whole in one chunk, so the vue-router module the pages also use, with the parts of Vue they need, landed in
// the code every cold start parses: a quarter of it. vue-router's self-contained production build serves the matcher
// instead (createRouterMatcher uses nothing of Vue); Vue and the app's vue-router stay with the page renderer.
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportedNames, LambdaPatchOutdated, packageDir, packageVersion, staticImports } from './guard'

const PATCH = 'i18n-router-matcher'
const I18N_MATCHING = /\/@nuxtjs\/i18n\/dist\/runtime\/shared\/matching\.js$/
const STANDALONE = join('dist', 'vue-router.esm-browser.prod.js')

/** Throws unless `code` (vue-router's standalone build) exports createRouterMatcher and imports nothing but Vue. */
export function checkStandaloneRouter(code: string, version: string): void {
  if (!exportedNames(code).has('createRouterMatcher')) {
    throw new LambdaPatchOutdated(PATCH, `${version}'s ${STANDALONE} no longer exports createRouterMatcher`)
  }
  // Vue's own imports are dropped (Vue has no side effects and the matcher uses none of it); anything else would load.
  const others = staticImports(code).filter(m => m !== 'vue')
  if (others.length) throw new LambdaPatchOutdated(PATCH, `${version}'s ${STANDALONE} now imports ${others.join(', ')}, expected Vue only`)
}

/** vue-router's standalone production build, checked. */
export function standaloneRouter(dir = packageDir('vue-router'), version = packageVersion('vue-router')): string {
  const file = join(dir, STANDALONE)
  if (!existsSync(file)) throw new LambdaPatchOutdated(PATCH, `${version} has no ${STANDALONE}`)
  checkStandaloneRouter(readFileSync(file, 'utf8'), version)
  return file
}

export function separateI18nRouterMatcher() {
  const standalone = standaloneRouter()
  let separated = false
  return {
    name: 'ouroboros:separate-i18n-router-matcher',
    resolveId(id: string, importer?: string) {
      if (id !== 'vue-router' || !importer || !I18N_MATCHING.test(importer)) return null
      separated = true
      return standalone
    },
    // If i18n's matcher moved, or no longer imports vue-router, the redirect would silently stop applying.
    buildEnd(error?: Error) {
      if (!error && !separated) throw new LambdaPatchOutdated(PATCH, `no module of the bundle matching ${I18N_MATCHING} imported vue-router (${packageVersion('@nuxtjs/i18n')}): its route matcher has moved`)
    },
  }
}
