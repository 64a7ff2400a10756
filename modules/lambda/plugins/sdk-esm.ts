// Lambda build only: a Rollup plugin that resolves the AWS SDK's packages to their ES module builds.
// Nitro resolves packages by their `main` field (CommonJS) because it usually leaves them external. The Lambda build
// bundles them, and a CommonJS file is bundled whole: all of @aws-sdk/client-dynamodb's commands and schemas were
// parsed at every cold start. Their `module` build (dist-es) is what lets Rollup keep only what the app uses.
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { LambdaPatchOutdated } from './guard'

const PATCH = 'sdk-esm'
const SDK_PACKAGE = /^(@aws-sdk|@smithy|@aws)\/[^/]+$/

interface Manifest { name?: string, version?: string, exports?: unknown, module?: unknown }

/**
 * The ES module entry a package manifest declares, or null when its exports map picks one already (`import`).
 * Throws when it declares neither, or its `module` file is missing: the bundle would take the whole CommonJS build.
 */
export function manifestModuleEntry(pkg: Manifest, dir: string): string | null {
  if (pkg.exports) return null
  const id = `${pkg.name}@${pkg.version}`
  if (typeof pkg.module !== 'string') throw new LambdaPatchOutdated(PATCH, `${id} declares no ES module build (no "module" field and no exports map)`)
  const entry = join(dir, pkg.module)
  if (!existsSync(entry)) throw new LambdaPatchOutdated(PATCH, `${id}'s ES module build ${pkg.module} is missing`)
  return entry
}

/** The ES module entry of `name` as `importer` would find it; null when it has an exports map or is not found. */
export function moduleEntry(name: string, importer?: string): string | null {
  let pkgPath: string
  try {
    pkgPath = createRequire(importer ?? import.meta.url).resolve(`${name}/package.json`)
  }
  catch {
    // Not installed, or an exports map without ./package.json: left to Nitro's resolver.
    return null
  }
  return manifestModuleEntry(JSON.parse(readFileSync(pkgPath, 'utf8')), dirname(pkgPath))
}

/** The ES module entry of a client the build aliases by name (#aws-sdk/<client>); throws when it has none. */
export function clientModuleEntry(name: string): string {
  const entry = moduleEntry(name)
  if (!entry) throw new LambdaPatchOutdated(PATCH, `${name} is not installed or now has an exports map: alias #${name.slice(1)} to its ES module entry another way`)
  return entry
}

/** `skip`: packages left to Nitro's aliases (the lazily loaded clients, see runtime/lazy-sdk.ts). */
export function sdkEsModules(skip: string[] = []) {
  return {
    name: 'ouroboros:sdk-es-modules',
    resolveId(id: string, importer?: string) {
      return SDK_PACKAGE.test(id) && !skip.includes(id) ? moduleEntry(id, importer) : null
    },
  }
}
