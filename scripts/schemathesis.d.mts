// Types of scripts/schemathesis.mjs, for the tests.
export const SCHEMATHESIS_VERSION: string
export const CHECKS: string[]
export function ensureSchemathesis(): string
export function schemathesisArgs(options: { url: string, key: string, examples?: number, seed?: number, maxSeconds?: number }): string[]
