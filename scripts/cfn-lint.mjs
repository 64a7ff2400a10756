#!/usr/bin/env node
// `npm run lint:infra`: lints every CloudFormation template in infra/ with cfn-lint, and checks that the
// hub's tables match tableDefinitions(). Installs the pinned cfn-lint into .venv once (as with-moto.mjs
// installs moto), so a fresh clone needs only Python 3.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const CFN_LINT_VERSION = '1.58.0'
const root = resolve(import.meta.dirname, '..')
const venv = resolve(root, '.venv')
const marker = resolve(venv, '.cfn-lint-version')
const bin = resolve(venv, 'bin', 'cfn-lint')

function fail(message) {
  console.error(`cfn-lint: ${message}`)
  process.exit(1)
}

/** Installs cfn-lint==CFN_LINT_VERSION into .venv unless that exact version is already there. */
export function ensureCfnLint() {
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === CFN_LINT_VERSION) return bin
  const python = ['python3', 'python'].find(p => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0)
  if (!python) fail('python3 is required to lint the templates in infra/ (cfn-lint is a Python tool): install Python 3.9 or newer and run again.')
  console.log(`cfn-lint: installing cfn-lint==${CFN_LINT_VERSION} into .venv (once)`)
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) fail(`'${cmd} ${args.join(' ')}' failed with exit code ${r.status}`)
  }
  if (!existsSync(resolve(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv])
  run(resolve(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `cfn-lint==${CFN_LINT_VERSION}`])
  writeFileSync(marker, `${CFN_LINT_VERSION}\n`)
  return bin
}

/** Every template in infra/: the .yaml, .yml and .json files at its top level. */
export function templates() {
  return readdirSync(resolve(root, 'infra'))
    .filter(f => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map(f => `infra/${f}`)
}

function main() {
  const files = templates()
  if (!files.length) fail('no templates in infra/')
  const lint = ensureCfnLint()
  // Every region's resource specification, so a type or property missing in one region is caught too.
  const r = spawnSync(lint, ['--regions', 'us-east-1', 'eu-west-1', 'ap-southeast-1', '--', ...files], { cwd: root, stdio: 'inherit' })
  if (r.status !== 0) fail(`cfn-lint ${CFN_LINT_VERSION} found problems (exit ${r.status}) in ${files.join(', ')}`)
  console.log(`cfn-lint ${CFN_LINT_VERSION}: ${files.length} templates clean (${files.join(', ')})`)
  const check = spawnSync(process.execPath, [resolve(root, 'scripts/deploy-template.mjs'), '--check'], { cwd: root, stdio: 'inherit' })
  if (check.status !== 0) process.exit(check.status ?? 1)
}

if (import.meta.url === `file://${process.argv[1]}`) main()
