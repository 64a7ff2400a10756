#!/usr/bin/env node
// schemathesis (PyPI), the outside fuzzer of the API: installs the pinned version into a venv of its own,
// .venv/schemathesis, once (scripts/venv.mjs), and says how test/integration/schemathesis.test.ts runs it against the
// built app: the document at /api/openapi.json, bounded.
import { ensurePipTool } from './venv.mjs'

export const SCHEMATHESIS_VERSION = '4.32.5'

/** The checks run on every answer: no 5xx, and status, content type and body as the document says. */
export const CHECKS = ['not_a_server_error', 'status_code_conformance', 'content_type_conformance', 'response_schema_conformance']

/** Installs schemathesis==SCHEMATHESIS_VERSION into .venv/schemathesis unless that exact version is there; answers `st`. */
export function ensureSchemathesis() {
  return ensurePipTool({ name: 'schemathesis', version: SCHEMATHESIS_VERSION, bin: 'st', why: 'fuzz the API with schemathesis' })
}

/**
 * The arguments of one bounded run against `url` with an admin `key`: the examples, coverage (each constraint's
 * edges, and values just outside them) and fuzzing phases with at most `examples` cases per operation (about 1,000
 * requests, well under a minute on a quiet machine; 25 ran into the budget), a fixed seed so that a failure found once is found again, no example database left
 * in the tree, and a time budget that keeps a slow machine's run bounded too (fewer cases, never a failure).
 */
export function schemathesisArgs({ url, key, examples = 12, seed = 18, maxSeconds = 60 }) {
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
