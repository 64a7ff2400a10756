// Lambda build only: a Rollup plugin that loads Node's built-in modules with require() instead of `import`.
// Importing a built-in as an ES module makes Node build a facade that reads every export once, and many are lazy
// getters: node:http's WebSocket loads undici, node:crypto's webcrypto the Web Crypto API, node:fs its streams.
// Together that was a large part of a cold start, for exports the bundle never uses. Here each built-in becomes a
// small module whose exports are read from require()'s object only where the bundle imports them (the reads are
// marked pure, so Rollup drops the others). The names are Node's own, listed when the build runs (Node 22, as in Lambda).
import { builtinModules, createRequire } from 'node:module'

const PREFIX = '\0lambda-builtin:'
// node:module provides createRequire itself. (node:process goes through require() too: its facade would read
// process.stdin and process.stdout, which sets both streams up.)
const KEEP_AS_IMPORT = new Set(['module'])
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

// `import x from "node:process"` and `import { a as b } from "node:process"`, as they look in the finished chunks.
const PROCESS_DEFAULT_IMPORT = /import\s*([\w$]+)\s*from\s*["']node:process["'];?/g
const PROCESS_NAMED_IMPORT = /import\s*\{([^}]*)\}\s*from\s*["']node:process["'];?/g

/** The same bindings from the `process` global (which is what node:process exports), without the module's facade. */
export function withoutProcessImports(code: string): string {
  return code
    .replace(PROCESS_DEFAULT_IMPORT, (_m, name: string) => `const ${name}=process;`)
    .replace(PROCESS_NAMED_IMPORT, (_m, names: string) => {
      const pairs = names.split(',').map(n => n.trim()).filter(Boolean).map((n) => {
        const [from, to] = n.split(/\s+as\s+/)
        return to ? `${from}:${to}` : from
      })
      return `const{${pairs.join(',')}}=process;`
    })
}

export function requireBuiltins() {
  return {
    name: 'ouroboros:require-builtins',
    // Nitro adds `import process from "node:process"` to the chunks it renders: rewritten last, once minified.
    renderChunk: {
      order: 'post' as const,
      handler(code: string) {
        const out = withoutProcessImports(code)
        return out === code ? null : { code: out, map: null }
      },
    },
    resolveId(id: string) {
      const name = builtinName(id)
      return name ? PREFIX + name : null
    },
    load(id: string) {
      return id.startsWith(PREFIX) ? builtinModuleSource(id.slice(PREFIX.length)) : null
    },
  }
}
