#!/usr/bin/env node
// `npm run lint:infra` (after cfn-lint): checkov's security checks on every CloudFormation template in infra/.
// Passes only with 0 failed checks, and only when every skipped check says why (a `comment` in the resource's
// Metadata: checkov: skip). Installs the pinned checkov into a venv of its own, .venv/checkov, once: its exact pins of
// boto3 and friends would fight moto's and cfn-lint's in .venv. --skip-download keeps it offline: without it, checkov
// calls a vendor API first.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const CHECKOV_VERSION = '3.3.30'
const root = resolve(import.meta.dirname, '..')
const venv = resolve(root, '.venv', 'checkov')
const marker = resolve(venv, '.checkov-version')
const bin = resolve(venv, 'bin', 'checkov')

function fail(message) {
  console.error(`checkov: ${message}`)
  process.exit(1)
}

/** Installs checkov==CHECKOV_VERSION into .venv/checkov unless that exact version is already there. */
export function ensureCheckov() {
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === CHECKOV_VERSION) return bin
  const python = ['python3', 'python'].find(p => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0)
  if (!python) fail('python3 is required to check the templates in infra/ (checkov is a Python tool): install Python 3.9 or newer and run again.')
  console.log(`checkov: installing checkov==${CHECKOV_VERSION} into .venv/checkov (once; a minute or two)`)
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) fail(`'${cmd} ${args.join(' ')}' failed with exit code ${r.status}`)
  }
  if (!existsSync(resolve(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv])
  run(resolve(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `checkov==${CHECKOV_VERSION}`])
  writeFileSync(marker, `${CHECKOV_VERSION}\n`)
  return bin
}

/** The verdict on checkov's JSON report (one object, or one per framework): counts, failures, skips without a reason. */
export function verdict(report) {
  const results = [report].flat().map(r => r.results ?? {})
  const all = key => results.flatMap(r => r[key] ?? [])
  const failed = all('failed_checks')
  const skipped = all('skipped_checks')
  return {
    passed: all('passed_checks').length,
    failed: failed.map(c => `${c.check_id} ${c.check_name} (${c.resource} in ${c.file_path})`),
    skipped: skipped.map(c => ({ id: c.check_id, resource: c.resource, reason: String(c.check_result?.suppress_comment ?? '').trim() })),
  }
}

function main() {
  const checkov = ensureCheckov()
  const r = spawnSync(checkov, ['-d', 'infra', '--framework', 'cloudformation', '--skip-download', '--output', 'json', '--soft-fail'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  })
  let report
  try {
    report = JSON.parse(r.stdout)
  }
  catch {
    fail(`checkov ${CHECKOV_VERSION} did not answer a report (exit ${r.status}):\n${(r.stderr || r.stdout).slice(-4000)}`)
  }
  const v = verdict(report)
  const unexplained = v.skipped.filter(s => s.reason.length < 20)
  for (const f of v.failed) console.error(`  FAILED ${f}`)
  for (const s of unexplained) console.error(`  SKIPPED WITHOUT A REASON ${s.id} (${s.resource}): add a comment that says why the check does not apply`)
  const line = `checkov ${CHECKOV_VERSION}: ${v.passed} passed, ${v.failed.length} failed, ${v.skipped.length} skipped with a reason (${[...new Set(v.skipped.map(s => s.id))].join(', ')})`
  if (v.failed.length || unexplained.length) fail(line)
  console.log(line)
}

if (import.meta.url === `file://${process.argv[1]}`) main()
