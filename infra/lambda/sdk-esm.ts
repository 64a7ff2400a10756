// Lambda build only: a Rollup plugin that resolves the AWS SDK's packages to their ES module builds.
// Nitro resolves packages by their `main` field (CommonJS) because it usually leaves them external. The Lambda build
// bundles them, and a CommonJS file is bundled whole: all of @aws-sdk/client-dynamodb's commands and schemas were
// parsed at every cold start. Their `module` build (dist-es) is what lets Rollup keep only what the app uses.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'

const SDK_PACKAGE = /^(@aws-sdk|@smithy|@aws)\/[^/]+$/

/** The ES module entry of `name` as `importer` would find it; null when it has an exports map or no `module`. */
export function moduleEntry(name: string, importer?: string): string | null {
  try {
    const pkgPath = createRequire(importer ?? import.meta.url).resolve(`${name}/package.json`)
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'))
    // A package with an exports map is resolved by its conditions already, `import` (ESM) included.
    return !pkg.exports && typeof pkg.module === 'string' ? join(dirname(pkgPath), pkg.module) : null
  }
  catch {
    return null
  }
}

/** `skip`: packages left to Nitro's aliases (the lazily loaded clients, see lazy-sdk.ts). */
export function sdkEsModules(skip: string[] = []) {
  return {
    name: 'ouroboros:sdk-es-modules',
    resolveId(id: string, importer?: string) {
      return SDK_PACKAGE.test(id) && !skip.includes(id) ? moduleEntry(id, importer) : null
    },
  }
}
