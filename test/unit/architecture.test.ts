// The layout's rules, as docs/ARCHITECTURE.md states them: no import cycle among the server's and shared files, and
// nothing under server/utils reaches back into the container that builds the services (server/utils/services.ts).
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(join(ROOT, path)).isDirectory()) return sources(path)
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : []
  })
}

const FILES = [...sources('server'), ...sources('shared')]
const KNOWN = new Set(FILES)

// Imports and re-exports, type-only and dynamic ones included: a lazy import() that closes a loop is a cycle too.
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm

/** The repo files `file` imports (relative and #shared/ specifiers; packages are not followed). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8')
  const found: string[] = []
  for (const match of text.matchAll(IMPORT)) {
    const spec = match[1] ?? match[2] ?? match[3]!
    const base = spec.startsWith('#shared/') ? join(ROOT, 'shared', spec.slice('#shared/'.length)) : spec.startsWith('.') ? resolve(join(ROOT, dirname(file)), spec) : null
    if (!base) continue
    const target = [`${base}.ts`, join(base, 'index.ts'), base].map(p => relative(ROOT, p)).find(p => KNOWN.has(p))
    if (target) found.push(target)
  }
  return found
}

/** Every cycle of the import graph, as the files along it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0
  const indexOf = new Map<string, number>()
  const low = new Map<string, number>()
  const stack: string[] = []
  const onStack = new Set<string>()
  const found: string[][] = []
  const visit = (v: string) => {
    indexOf.set(v, index)
    low.set(v, index++)
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v) ?? []) {
      if (!indexOf.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v)!, low.get(w)!))
      }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, indexOf.get(w)!))
    }
    if (low.get(v) === indexOf.get(v)) {
      const component: string[] = []
      let w: string
      do {
        w = stack.pop()!
        onStack.delete(w)
        component.push(w)
      } while (w !== v)
      if (component.length > 1 || graph.get(v)!.includes(v)) found.push(component.sort())
    }
  }
  for (const v of graph.keys()) if (!indexOf.has(v)) visit(v)
  return found
}

describe('the server\'s layout', () => {
  const graph = new Map(FILES.map(f => [f, importsOf(f)]))

  it('reads the imports it checks', () => {
    expect(FILES.length).toBeGreaterThan(50)
    expect(graph.get('server/utils/services.ts')).toContain('server/utils/rules/repository.ts')
    expect(graph.get('server/utils/executor/run.ts')).toContain('shared/schemas/log.ts')
    expect(graph.get('server/utils/services.ts')).toContain('server/utils/executor/run.ts')
  })

  it('has no import cycle among server/ and shared/', () => {
    expect(cycles(graph)).toEqual([])
  })

  it('finds a cycle when there is one', () => {
    expect(cycles(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]))).toEqual([['a', 'b', 'c']])
  })

  it('keeps server/utils from reaching back into the services container, by import or by auto-import', () => {
    const reaching = FILES
      .filter(f => f.startsWith('server/utils/') && f !== 'server/utils/services.ts')
      .filter(f => graph.get(f)!.includes('server/utils/services.ts') || /\b(?:useServices|useAccess|useExecutorDeps|closeServices)\(/.test(readFileSync(join(ROOT, f), 'utf8')))
    expect(reaching).toEqual([])
  })

  it('keeps shared/ free of server code', () => {
    expect(FILES.filter(f => f.startsWith('shared/') && graph.get(f)!.some(t => t.startsWith('server/')))).toEqual([])
  })
})
