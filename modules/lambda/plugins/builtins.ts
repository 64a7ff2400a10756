// Lambda build only: a Rollup plugin that loads Node's built-in modules with require() instead of `import`.
// Importing a built-in as an ES module makes Node build a facade that reads every export once, and many are lazy
// getters: node:http's WebSocket loads undici, node:crypto's webcrypto the Web Crypto API, node:fs its streams.
// Together that was a large part of a cold start, for exports the bundle never uses. Here each built-in becomes a
// small module whose exports are read from require()'s object only where the bundle imports them (the reads are
// marked pure, so Rollup drops the others). The names are Node's own, listed when the build runs: the build's Node
// major must be the Lambda runtime's (checkBuildNode). Node's and Nitro's code this relies on is checked as it is used.
import { builtinModules, createRequire } from 'node:module'
import { LambdaPatchOutdated } from './guard'

const PREFIX = '\0lambda-builtin:'
// node:module provides createRequire itself. (node:process goes through require() too: its facade would read
// process.stdin and process.stdout, which sets both streams up.)
const KEEP_AS_IMPORT = new Set(['module'])
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const PATCH = 'builtins'

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
  if (!names.length) throw new LambdaPatchOutdated(PATCH, `require('node:${name}') on Node ${process.versions.node} has no named exports to stand in for`)
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

// A static import of a built-in, as the finished chunks write it: `from"node:fs"`, `import"fs"`, `export*from"fs"`.
const STATIC_IMPORT = /\b(?:from|import)\s*["']((?:node:)?[\w/]+)["']/g

/** The built-ins `code` still imports statically, node:module (what the stand-ins use) apart. */
export function leftoverBuiltinImports(code: string): string[] {
  return [...new Set([...code.matchAll(STATIC_IMPORT)].map(m => m[1]!))]
    .filter(id => builtinModules.includes(id.replace(/^node:/, '')) || builtinModules.includes(id))
    .filter(id => id.replace(/^node:/, '') !== 'module')
}

/** Throws unless the Node that builds has the major version of the Lambda runtime `template` deploys (`Runtime: nodejsNN.x`). */
export function checkBuildNode(nodeVersion: string, template: string, templateName = 'infra/hub.yaml'): void {
  const runtime = /^\s*Runtime:\s*nodejs(\d+)\.x\s*$/m.exec(template)?.[1]
  if (!runtime) throw new LambdaPatchOutdated(PATCH, `${templateName} has no \`Runtime: nodejsNN.x\` line to compare the build's Node with`)
  if (nodeVersion.split('.')[0] !== runtime) {
    throw new LambdaPatchOutdated(PATCH, `the build runs on Node ${nodeVersion} but ${templateName} deploys nodejs${runtime}.x: the built-ins' export names are read from the Node that builds, so build on Node ${runtime} (npm scripts run on node_modules/.bin/node)`)
  }
}

/** Throws when a finished chunk still imports a built-in: Nitro's or Rollup's import form changed, or a plugin ahead of this one resolved it. */
export function checkNoBuiltinImports(code: string, chunk: string): void {
  const left = leftoverBuiltinImports(code)
  if (left.length) throw new LambdaPatchOutdated(PATCH, `the chunk ${chunk} still imports ${left.join(', ')} as ES modules (expected only node:module): each would build its facade at cold start`)
}

export function requireBuiltins() {
  return {
    name: 'ouroboros:require-builtins',
    // Nitro adds `import process from "node:process"` to the chunks it renders: rewritten last, once minified.
    renderChunk: {
      order: 'post' as const,
      handler(code: string, chunk: { fileName: string }) {
        const out = withoutProcessImports(code)
        checkNoBuiltinImports(out, chunk.fileName)
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
