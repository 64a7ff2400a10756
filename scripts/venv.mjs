// A Python tool the tests run (checkov, schemathesis), pinned and installed into a venv of its own under .venv, once:
// their exact pins of shared libraries (boto3, requests, hypothesis) would fight each other's and moto's in one venv.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

const root = resolve(import.meta.dirname, '..')

/**
 * Installs `pkg==version` into .venv/<name> unless that exact version is there; answers the path of its `bin`.
 * Throws, saying what to do, when there is no Python or pip fails. `why` says what the tool is for.
 */
export function ensurePipTool({ name, pkg = name, version, bin, why }) {
  const venv = resolve(root, '.venv', name)
  const marker = resolve(venv, `.${name}-version`)
  const path = resolve(venv, 'bin', bin)
  if (existsSync(path) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === version) return path
  const python = ['python3', 'python'].find(p => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0)
  if (!python) throw new Error(`python3 is required to ${why} (${pkg} is a Python tool): install Python 3.9 or newer and run again.`)
  console.log(`${name}: installing ${pkg}==${version} into .venv/${name} (once; a minute or two)`)
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) throw new Error(`'${cmd} ${args.join(' ')}' failed with exit code ${r.status}`)
  }
  if (!existsSync(resolve(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv])
  run(resolve(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `${pkg}==${version}`])
  writeFileSync(marker, `${version}\n`)
  return path
}
