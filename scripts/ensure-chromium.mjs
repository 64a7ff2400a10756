#!/usr/bin/env node
// Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests: installs it with apt
// when it is missing (CI runs as root). Never downloads a browser build of its own.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM = '/usr/bin/chromium'

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  return r.status === 0
}

if (!existsSync(CHROMIUM)) {
  console.log('ensure-chromium: installing Debian\'s chromium with apt (once)')
  const sudo = process.getuid?.() === 0 ? [] : ['sudo']
  const apt = (...args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args))
  if (!apt('update', '-qq') || !apt('install', '-y', '-qq', '--no-install-recommends', 'chromium')) {
    console.error(`ensure-chromium: could not install chromium with apt: install Debian's chromium package so that ${CHROMIUM} exists, and run again.`)
    process.exit(1)
  }
}
const version = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' })
if (version.status !== 0) {
  console.error(`ensure-chromium: ${CHROMIUM} does not run: ${version.stderr}`)
  process.exit(1)
}
console.log(`ensure-chromium: ${version.stdout.trim()}`)
