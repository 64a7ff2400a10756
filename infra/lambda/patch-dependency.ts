// Lambda build only: the one way this build changes a dependency's code, for the few places where a cold start
// pays for something the function never uses (each caller says why). One exact piece of one file is replaced;
// a dependency update that no longer holds that piece fails the build, so the patch is looked at again.
export function patchDependency(name: string, file: RegExp, find: string, replace: string) {
  return {
    name: `ouroboros:${name}`,
    transform(code: string, id: string) {
      if (!file.test(id)) return null
      if (!code.includes(find)) throw new Error(`${name}: ${id} no longer holds the code this patch replaces; see infra/lambda/${name}.ts`)
      return { code: code.replace(find, replace), map: null }
    },
  }
}
