// Lambda build only: ofetch's shared chunk, which #ofetch/shared names for runtime/lazy-fetch.ts. ofetch's entries
// import createFetch, FetchError and createFetchError from one chunk whose file name carries a hash
// (dist/shared/ofetch.<hash>.mjs), under the minified names c, F and a. Both the file and those names are ofetch's
// build output, not its API, so they are checked here against the chunk's own export statement.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { exportedNames, LambdaPatchOutdated, packageDir, packageVersion } from './guard'

const PATCH = 'ofetch-shared'
/** The chunk's export names that runtime/lazy-fetch.ts imports, with the function each must be. */
export const OFETCH_SHARED_EXPORTS = { c: 'createFetch', F: 'FetchError', a: 'createFetchError' } as const

/** The one chunk of `files` (name and text) that exports OFETCH_SHARED_EXPORTS; throws when there is not exactly one. */
export function checkOfetchShared(files: { name: string, code: string }[], version: string): string {
  const expected = Object.entries(OFETCH_SHARED_EXPORTS).map(([name, local]) => `${local} as ${name}`).join(', ')
  if (files.length !== 1) {
    throw new LambdaPatchOutdated(PATCH, `${version} has ${files.length} ES module chunks in dist/shared (${files.map(f => f.name).join(', ') || 'none'}), expected one exporting ${expected}`)
  }
  const [{ name, code }] = files as [{ name: string, code: string }]
  const exported = exportedNames(code)
  const wrong = Object.entries(OFETCH_SHARED_EXPORTS).filter(([as, local]) => exported.get(as) !== local)
  if (wrong.length) {
    throw new LambdaPatchOutdated(PATCH, `${version}'s dist/shared/${name} does not export ${wrong.map(([as, local]) => `${local} as ${as}`).join(', ')} (expected ${expected})`)
  }
  return name
}

/** The path of ofetch's shared chunk, checked. */
export function ofetchSharedChunk(dir = join(packageDir('ofetch'), 'dist', 'shared'), version = packageVersion('ofetch')): string {
  let names: string[]
  try {
    names = readdirSync(dir).filter(f => f.endsWith('.mjs'))
  }
  catch {
    throw new LambdaPatchOutdated(PATCH, `${version} has no dist/shared folder`)
  }
  const files = names.map(name => ({ name, code: readFileSync(join(dir, name), 'utf8') }))
  return join(dir, checkOfetchShared(files, version))
}
