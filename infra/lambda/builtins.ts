// Lambda build only: a Rollup plugin that loads Node's built-in modules with require() instead of `import`.
// Importing a built-in as an ES module makes Node build a facade that reads every export once, and many are lazy
// getters: node:http's WebSocket loads undici, node:crypto's webcrypto the Web Crypto API, node:fs its streams.
// Together that was a large part of a cold start, for exports the bundle never uses. Here each built-in becomes a
// small module whose exports are read from require()'s object only where the bundle imports them (the reads are
// marked pure, so Rollup drops the others). The names are Node's own, listed when the build runs (Node 22, as in Lambda).
import { builtinModules, createRequire } from 'node:module'

const PREFIX = '\0lambda-builtin:'
// node:module provides createRequire itself; node:process is a global object with no lazy imports.
const KEEP_AS_IMPORT = new Set(['module', 'process'])
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

const require = createRequire(import.meta.url)

/** The built-in's name without `node:`, when `id` names one this plugin takes over. */
function builtinName(id: string): string | null {
  const name = id.startsWith('node:') ? id.slice(5) : id
  if (!builtinModules.includes(name) || KEEP_AS_IMPORT.has(name)) return null
  return name
}

/** The module that stands in for `node:<name>`: default export the module object, named exports read on demand. */
export function builtinModuleSource(name: string): string {
  const names = Object.keys(require(`node:${name}`)).filter(k => IDENTIFIER.test(k) && k !== 'default')
  return [
    `import { createRequire as __createRequire } from 'node:module'`,
    `const __m = __createRequire(import.meta.url)('node:${name}')`,
    `const __read = k => __m[k]`,
    `export default __m`,
    // Declared under a numbered name and exported under Node's, which may clash with the names above (fs.read).
    ...names.map((k, i) => `const __e${i} = /* @__PURE__ */ __read('${k}')\nexport { __e${i} as ${k} }`),
  ].join('\n')
}

export function requireBuiltins() {
  return {
    name: 'ouroboros:require-builtins',
    resolveId(id: string) {
      const name = builtinName(id)
      return name ? PREFIX + name : null
    },
    load(id: string) {
      return id.startsWith(PREFIX) ? builtinModuleSource(id.slice(PREFIX.length)) : null
    },
  }
}
