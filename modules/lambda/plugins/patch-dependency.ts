// Lambda build only: the one way this build changes a dependency's code, for the few places where a cold start
// pays for something the function never uses (each caller says why). One exact piece of one file is replaced.
// A dependency update that no longer holds that piece exactly once, or no longer has that file in the bundle,
// fails the build, so the patch is looked at again.
import { LambdaPatchOutdated, packageVersion } from './guard'

export interface DependencyPatch {
  /** The patch's name, also its file in modules/lambda/plugins/. */
  name: string
  /** The package patched, named in the failure messages. */
  pkg: string
  /** The patched file's path, as the bundle's module id ends. */
  file: RegExp
  find: string
  replace: string
}

/** The patched code; throws when `code` does not hold `find` exactly once. */
export function applyPatch(patch: DependencyPatch, code: string, id: string): string {
  const count = code.split(patch.find).length - 1
  if (count !== 1) {
    const found = count ? `${count} times` : 'no longer'
    throw new LambdaPatchOutdated(patch.name, `${packageVersion(patch.pkg, id)} (${id}) ${found} holds the code this patch replaces, expected once: ${JSON.stringify(patch.find)}`)
  }
  return code.replace(patch.find, patch.replace)
}

export function patchDependency(patch: DependencyPatch) {
  let patched = false
  return {
    name: `ouroboros:${patch.name}`,
    transform(code: string, id: string) {
      if (!patch.file.test(id)) return null
      patched = true
      return { code: applyPatch(patch, code, id), map: null }
    },
    // A file renamed or moved by an update would otherwise leave the patch silently unused.
    buildEnd(error?: Error) {
      if (!error && !patched) throw new LambdaPatchOutdated(patch.name, `no module of the bundle matched ${patch.file} (${packageVersion(patch.pkg)}): the file this patch changes has moved`)
    },
  }
}
