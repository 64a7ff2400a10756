// Writing a benchmark's section of docs/BENCHMARKS.md atomically: other sections may be rewritten by other
// processes at the same time, so read the file right before writing, write a temporary file, and rename it.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, writeSection } from './report'

const DOC = join(ROOT, 'docs', 'BENCHMARKS.md')

/** The document with one section replaced (or appended), between the same markers writeSection uses. */
function withSection(current: string, name: string, markdown: string): string {
  const start = `<!-- bench:${name}:start -->`
  const end = `<!-- bench:${name}:end -->`
  const block = `${start}\n${markdown.trim()}\n${end}`
  const from = current.indexOf(start)
  const to = current.indexOf(end)
  return from >= 0 && to > from
    ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
    : `${current.trimEnd()}\n\n${block}\n`
}

/**
 * Replaces the section of benchmark `name` in docs/BENCHMARKS.md and leaves every other byte as it was.
 * Renames a temporary file over the document, and starts again if the document changed meanwhile.
 */
export function writeSectionAtomically(name: string, markdown: string): string {
  // No document yet: writeSection creates it with its header.
  if (!existsSync(DOC)) return writeSection(name, markdown)
  const tmp = `${DOC}.${process.pid}.tmp`
  try {
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = readFileSync(DOC, 'utf8')
      writeFileSync(tmp, withSection(current, name, markdown))
      // Someone else wrote the document since we read it: take their version and apply ours again.
      if (readFileSync(DOC, 'utf8') !== current) continue
      renameSync(tmp, DOC)
      return DOC
    }
    throw new Error(`${DOC} kept changing while its '${name}' section was being written`)
  }
  finally {
    rmSync(tmp, { force: true })
  }
}
