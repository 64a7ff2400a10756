// Lambda build only: how the build's dependency patches fail. Each patch relies on code it does not own (a line of
// h3, a file of @nuxtjs/i18n, ofetch's chunk names, ...); when an update moves that code, the build stops with a
// message that names the patch, the package and its version, what was expected, and the file to look at again.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'

const require = createRequire(import.meta.url)

/** The error of a patch whose dependency no longer has the code it expects. */
export class LambdaPatchOutdated extends Error {
  override readonly name = 'LambdaPatchOutdated'
  constructor(patch: string, message: string) {
    super(`[lambda build] ${patch}: ${message}; see modules/lambda/plugins/${patch}.ts`)
  }
}

/** The installed package's folder, as the project resolves it. */
export function packageDir(pkg: string): string {
  return dirname(require.resolve(`${pkg}/package.json`))
}

/** `pkg@version` of the installed package, or of the copy that holds `file` when one is given, for messages. */
export function packageVersion(pkg: string, file?: string): string {
  const marker = `/node_modules/${pkg}/`
  const at = file?.lastIndexOf(marker) ?? -1
  try {
    const manifest = at >= 0 ? `${file!.slice(0, at + marker.length)}package.json` : require.resolve(`${pkg}/package.json`)
    return `${pkg}@${JSON.parse(readFileSync(manifest, 'utf8')).version}`
  }
  catch {
    return `${pkg} (version unknown)`
  }
}

/** The names an ES module's `export { local as name }` statements export, each with its local binding. */
export function exportedNames(code: string): Map<string, string> {
  const names = new Map<string, string>()
  // Only local export lists: a re-export (`export { x } from '...'`) is followed by `from`.
  for (const m of code.matchAll(/\bexport\s*\{([^}]*)\}(?!\s*from\b)/g)) {
    for (const part of m[1]!.split(',').map(p => p.trim()).filter(Boolean)) {
      const [local, exported = local] = part.split(/\s+as\s+/)
      names.set(exported!, local!)
    }
  }
  return names
}

/** The modules an ES module imports or re-exports statically. */
export function staticImports(code: string): string[] {
  return [...code.matchAll(/\b(?:from|import)\s*["']([^"']+)["']/g)].map(m => m[1]!)
}
