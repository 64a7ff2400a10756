// The API reference page's viewer (pages/api-docs.vue): @scalar/api-reference's browser build, served as one static
// file under /_scalar/<version>/ and loaded by that page alone, when it opens. Not bundled through Vite: it is a
// complete Vue app of its own (4.8 MB, about 1.2 MB compressed), and no other page, nor the server, should carry it.
// One file, not its ES module build's 116 chunks: the Lambda compiles a table of every static file at each cold start
// (modules/lambda), and its source map (20 MB) stays out too.
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { defineNuxtModule } from 'nuxt/kit'

// An IIFE that sets window.Scalar.
const ENTRY = 'standalone.js'

export default defineNuxtModule({
  meta: { name: 'ouroboros:api-reference' },
  setup(_options, nuxt) {
    // The package exports no ./package.json: find its folder from its entry (dist/index.js).
    const require = createRequire(join(nuxt.options.rootDir, 'package.json'))
    const root = join(dirname(require.resolve('@scalar/api-reference')), '..')
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }
    const browser = join(root, 'dist', 'browser')
    // Fail the build loudly when a new version moves its browser build.
    if (!existsSync(join(browser, ENTRY))) throw new Error(`@scalar/api-reference ${version} has no dist/browser/${ENTRY}: see modules/api-reference.ts`)
    // Not in .nuxt, which the build empties after the modules have run.
    const out = join(nuxt.options.rootDir, 'node_modules', '.cache', 'ouroboros-api-reference', version)
    rmSync(out, { recursive: true, force: true })
    mkdirSync(out, { recursive: true })
    copyFileSync(join(browser, ENTRY), join(out, ENTRY))
    const baseURL = `/_scalar/${version}`
    // The version is in the path, so the files may be kept for a year.
    nuxt.options.nitro.publicAssets = [...(nuxt.options.nitro.publicAssets ?? []), { dir: out, baseURL, maxAge: 31_536_000 }]
    nuxt.options.runtimeConfig.public.apiReferenceScript = `${baseURL}/${ENTRY}`
  },
})
