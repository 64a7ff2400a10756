#!/usr/bin/env node
// Runs the unit and integration suites with the clock moved ahead (400 days unless told otherwise), under
// libfaketime, so a test that holds a date which ages fails today rather than on that day. moto runs under the
// same fake clock, since with-moto.mjs is started inside it.
//   npm run test:later              400 days ahead
//   npm run test:later -- '+3y'     any offset faketime understands
import { spawnSync } from 'node:child_process'

const offset = process.argv[2] ?? '+400 days'
if (spawnSync('faketime', ['--version'], { stdio: 'ignore' }).error) {
  console.error('test:later: faketime is missing: install Debian\'s faketime package (apt-get install faketime) and run again.')
  process.exit(1)
}
for (const suite of ['test:unit', 'test:integration']) {
  console.log(`\n=== ${suite}, with the clock ${offset} ===\n`)
  const { status } = spawnSync('faketime', [offset, 'npm', 'run', suite], { stdio: 'inherit' })
  if (status !== 0) process.exit(status ?? 1)
}
