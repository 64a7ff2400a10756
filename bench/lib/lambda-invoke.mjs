#!/usr/bin/env node
// Runs a built Lambda handler as the Lambda runtime would, in this fresh process: imports it, then calls it
// with each event in turn. Used by test/integration/lambda.test.ts and the cold-start benchmark (bench/lambda.ts).
//
//   node bench/lib/lambda-invoke.mjs <handler module> <events.json> <result.json>
//
// result.json: { importMs, sinceStartMs (process start to the first answer), results: [{ ms, answer }] }.
import { readFileSync, writeFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'

const [entry, eventsFile, resultFile] = process.argv.slice(2)
const started = performance.now()
const { handler } = await import(pathToFileURL(entry).href)
const importMs = performance.now() - started
const events = JSON.parse(readFileSync(eventsFile, 'utf8'))
const context = { functionName: 'ouroboros', awsRequestId: 'invoke', getRemainingTimeInMillis: () => 300_000 }
const results = []
let sinceStartMs
for (const event of events) {
  const t0 = performance.now()
  const answer = await handler(event, context)
  results.push({ ms: performance.now() - t0, answer })
  // performance.now() counts from the process's start: this is what a cold start costs, runtime start included.
  sinceStartMs ??= performance.now()
}
writeFileSync(resultFile, JSON.stringify({ importMs, sinceStartMs, results }))
// Lambda freezes the process after an answer; here nothing is left to wait for (open sockets, timers).
process.exit(0)
