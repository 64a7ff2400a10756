#!/usr/bin/env node
// schemathesis (PyPI), the outside fuzzer of the API: installs the pinned version into a venv of its own,
// .venv/schemathesis, once (its pins of hypothesis, requests and friends would fight moto's in .venv), and says how
// test/integration/schemathesis.test.ts runs it against the built app: the document at /api/openapi.json, bounded.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'

export const SCHEMATHESIS_VERSION = '4.32.5'
const root = resolve(import.meta.dirname, '..')
const venv = resolve(root, '.venv', 'schemathesis')
const marker = resolve(venv, '.schemathesis-version')
const bin = resolve(venv, 'bin', 'st')

/** The checks run on every answer: no 5xx, and status, content type and body as the document says. */
export const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance']

/** Installs schemathesis==SCHEMATHESIS_VERSION into .venv/schemathesis unless that exact version is there; answers `st`. */
export function ensureSchemathesis() {
  if (existsSync(bin) && existsSync(marker) && readFileSync(marker, 'utf8').trim() === SCHEMATHESIS_VERSION) return bin
  const python = ['python3', 'python'].find(p => spawnSync(p, ['--version'], { stdio: 'ignore' }).status === 0)
  if (!python) throw new Error('python3 is required to fuzz the API with schemathesis: install Python 3.9 or newer and run again.')
  console.log(`schemathesis: installing schemathesis==${SCHEMATHESIS_VERSION} into .venv/schemathesis (once)`)
  const run = (cmd, args) => {
    const r = spawnSync(cmd, args, { stdio: 'inherit' })
    if (r.status !== 0) throw new Error(`'${cmd} ${args.join(' ')}' failed with exit code ${r.status}`)
  }
  if (!existsSync(resolve(venv, 'bin', 'python'))) run(python, ['-m', 'venv', venv])
  run(resolve(venv, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`])
  writeFileSync(marker, `${SCHEMATHESIS_VERSION}\n`)
  return bin
}

/**
 * The arguments of one bounded run against `url` with an admin `key`: the examples, coverage (each constraint's
 * edges, and values just outside them) and fuzzing phases with at most `examples` cases per operation (about 2,000
 * requests, under a minute here), a fixed seed so that a failure found once is found again, no example database left
 * in the tree, and a time budget that keeps a slow machine's run bounded too (fewer cases, never a failure).
 */
export function schemathesisArgs({ url, key, examples = 25, seed = 18, maxSeconds = 120 }) {
  return [
    'run', `${url}/api/openapi.json`,
    '--header', `x-api-key: ${key}`,
    '--checks', CHECKS.join(','),
    '--max-examples', String(examples),
    '--phases', 'examples,coverage,fuzzing',
    '--max-time', String(maxSeconds),
    '--seed', String(seed),
    '--generation-database', 'none',
    '--no-color',
  ]
}
