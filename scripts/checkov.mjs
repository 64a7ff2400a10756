#!/usr/bin/env node
// `npm run lint:infra` (after cfn-lint): checkov's security checks on every CloudFormation template in infra/.
// Passes only with 0 failed checks, and only when every skipped check says why (a `comment` in the resource's
// Metadata: checkov: skip). Installs the pinned checkov into a venv of its own, .venv/checkov, once (scripts/venv.mjs).
// --skip-download keeps it offline: without it, checkov calls a vendor API first.
import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'
import { ensurePipTool } from './venv.mjs'

export const CHECKOV_VERSION = '3.3.30'
const root = resolve(import.meta.dirname, '..')

function fail(message) {
  console.error(`checkov: ${message}`)
  process.exit(1)
}

/** Installs checkov==CHECKOV_VERSION into .venv/checkov unless that exact version is already there. */
export function ensureCheckov() {
  try {
    return ensurePipTool({ name: 'checkov', version: CHECKOV_VERSION, bin: 'checkov', why: 'check the templates in infra/' })
  }
  catch (e) {
    fail(e.message)
  }
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
