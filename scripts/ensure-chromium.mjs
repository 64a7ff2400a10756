#!/usr/bin/env node
// Makes sure Debian's Chromium is at /usr/bin/chromium for the browser tests, with a CJK font so the
// Chinese screenshots show text: installs them with apt when missing (CI runs as root). Never downloads a browser.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const CHROMIUM = '/usr/bin/chromium'

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
  return r.status === 0
}

const CJK_FONT = 'fonts-wqy-microhei'
const hasFont = spawnSync('dpkg', ['-s', CJK_FONT], { stdio: 'ignore' }).status === 0
const missing = [...(existsSync(CHROMIUM) ? [] : ['chromium']), ...(hasFont ? [] : [CJK_FONT])]
if (missing.length) {
  console.log(`ensure-chromium: installing ${missing.join(' and ')} with apt (once)`)
  const sudo = process.getuid?.() === 0 ? [] : ['sudo']
  const apt = (...args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args))
  if (!apt('update', '-qq') || !apt('install', '-y', '-qq', '--no-install-recommends', ...missing)) {
    console.error(`ensure-chromium: could not install ${missing.join(' and ')} with apt: install Debian's packages so that ${CHROMIUM} exists, and run again.`)
    process.exit(1)
  }
}
const version = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' })
if (version.status !== 0) {
  console.error(`ensure-chromium: ${CHROMIUM} does not run: ${version.stderr}`)
  process.exit(1)
}
console.log(`ensure-chromium: ${version.stdout.trim()}`)
