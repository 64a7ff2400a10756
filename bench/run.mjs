// Runs the benchmarks: every bench/*.ts in turn (`npm run bench`), or the named ones (`npm run bench -- paging`).
// Each runs in its own child process, through jiti with the app's '#shared' alias, so server utils import as they are.
// A benchmark module exports a default async function that answers true when every asserted target passes.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const benchDir = fileURLToPath(new URL('.', import.meta.url))
const root = join(benchDir, '..')

async function runOne(file) {
  const { createJiti } = await import('jiti')
  const jiti = createJiti(import.meta.url, {
    alias: { '#shared': join(root, 'shared'), '~~': root },
    // Keep jiti's transpile cache inside bench/, not node_modules.
    fsCache: join(benchDir, '.cache', 'jiti'),
  })
  const bench = await jiti.import(pathToFileURL(file).href, { default: true })
  const ok = await bench()
  process.exit(ok ? 0 : 1)
}

function available() {
  return readdirSync(benchDir).filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts')).map(f => f.slice(0, -3)).sort()
}

async function main() {
  const [first, second] = process.argv.slice(2)
  if (first === '--one') return runOne(second)
  const all = available()
  const names = process.argv.slice(2)
  const unknown = names.filter(n => !all.includes(n))
  if (unknown.length) {
    console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${all.join(', ')})`)
    process.exit(2)
  }
  const failed = []
  for (const name of names.length ? names : all) {
    console.log(`\n=== bench: ${name} ===\n`)
    const { status, signal } = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--one', join(benchDir, `${name}.ts`)], { stdio: 'inherit', cwd: root })
    if (status !== 0) failed.push(`${name} (${signal ?? `exit ${status}`})`)
  }
  if (failed.length) {
    console.error(`\nFAILED: ${failed.join(', ')}`)
    process.exit(1)
  }
  console.log('\nall benchmarks passed')
}

await main()
