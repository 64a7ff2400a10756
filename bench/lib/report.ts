// Reporting: markdown tables, the machine a run happened on, and each benchmark's section of docs/BENCHMARKS.md.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const DOC = join(ROOT, 'docs', 'BENCHMARKS.md')

const HEADER = `# Benchmarks

Each section below is written by one benchmark in \`bench/\`, run with the command it names.
Its figures were measured in one run on one machine, ours and the baseline against the same data:
compare the ratios, not the absolute times, which depend on the machine.

\`npm run bench\` runs every benchmark (each \`bench/<name>.ts\`) in turn, \`npm run bench -- <name>\` one of them; each rewrites
its own section here, and exits non-zero when one of its asserted targets fails.
`

/** A markdown table from a header row and data rows. */
export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n')
}

/** One line that says where a run happened. */
export function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU'
  return `${availableParallelism()} CPUs (nproc), ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform}-${process.arch}`
}

/** Replaces (or appends) the section of one benchmark in docs/BENCHMARKS.md, between its markers. */
export function writeSection(name: string, markdown: string): string {
  const start = `<!-- bench:${name}:start -->`
  const end = `<!-- bench:${name}:end -->`
  const block = `${start}\n${markdown.trim()}\n${end}`
  const current = existsSync(DOC) ? readFileSync(DOC, 'utf8') : HEADER
  const from = current.indexOf(start)
  const to = current.indexOf(end)
  const next = from >= 0 && to > from
    ? `${current.slice(0, from)}${block}${current.slice(to + end.length)}`
    : `${current.trimEnd()}\n\n${block}\n`
  mkdirSync(dirname(DOC), { recursive: true })
  writeFileSync(DOC, next)
  return DOC
}

/** Saves the raw figures of a run in bench/results/<name>.json (gitignored), for a closer look. */
export function writeResults(name: string, data: unknown): string {
  const file = join(ROOT, 'bench', 'results', `${name}.json`)
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`)
  return file
}
