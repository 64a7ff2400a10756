// Measures a page in headless Chromium: the JavaScript it loads (bytes as served, and gzipped) and its first
// contentful paint, each time in a fresh browser context (empty cache).
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { gzipSync } from 'node:zlib'
import type { Browser } from 'playwright-core'
import { freePort } from '../../test/integration/helpers/server'

export interface ScriptFile {
  url: string
  bytes: number
  gzip: number
}

export interface PageLoad {
  scripts: ScriptFile[]
  jsBytes: number
  jsGzip: number
  cssGzip: number
  /** First contentful paint, ms after navigation start. */
  fcp: number
  /** When `ready` (a selector) was first visible, ms after navigation start. */
  ready: number
}

const gzip = (body: Buffer) => gzipSync(body, { level: 9 }).length

/** Loads `url` once in a fresh context; waits for `ready` and for the network to be idle. */
export async function loadOnce(browser: Browser, url: string, ready: string): Promise<PageLoad> {
  const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } })
  // Records when `ready` first appears in the document (the browser has no entry for that).
  await context.addInitScript((selector) => {
    const w = window as unknown as { __ready?: number }
    const check = () => {
      if (w.__ready === undefined && document.querySelector(selector)) w.__ready = performance.now()
    }
    new MutationObserver(check).observe(document, { subtree: true, childList: true })
  }, ready)
  const page = await context.newPage()
  const pending: Promise<{ type: string, file: ScriptFile }>[] = []
  page.on('response', (res) => {
    const type = res.request().resourceType()
    if (type !== 'script' && type !== 'stylesheet') return
    pending.push(res.body().then(body => ({ type, file: { url: new URL(res.url()).pathname, bytes: body.length, gzip: gzip(body) } })))
  })
  await page.goto(url, { waitUntil: 'load' })
  await page.locator(ready).first().waitFor()
  await page.waitForLoadState('networkidle')
  const timing = await page.evaluate(() => ({
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    ready: (window as unknown as { __ready?: number }).__ready ?? Number.NaN,
  }))
  const files = await Promise.all(pending)
  await context.close()
  const scripts = files.filter(f => f.type === 'script').map(f => f.file)
  return {
    scripts,
    jsBytes: scripts.reduce((n, s) => n + s.bytes, 0),
    jsGzip: scripts.reduce((n, s) => n + s.gzip, 0),
    cssGzip: files.filter(f => f.type === 'stylesheet').reduce((n, f) => n + f.file.gzip, 0),
    fcp: timing.fcp,
    ready: timing.ready,
  }
}

export interface Served {
  url: string
  /** The server's process id (benchmarks read its CPU time). */
  pid: number
  stop: () => Promise<void>
}

/** Starts a built Nuxt node-server output on a free port; resolves once `/` answers 200. */
export async function serveOutput(outputDir: string, env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort()
  let log = ''
  const child: ChildProcess = spawn(process.execPath, [`${outputDir}/server/index.mjs`], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  child.stdout?.on('data', (d) => {
    log += d
  })
  child.stderr?.on('data', (d) => {
    log += d
  })
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 30_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${outputDir} exited with ${child.exitCode}:\n${log}`)
    if (Date.now() > deadline) throw new Error(`${outputDir} did not start:\n${log}`)
    try {
      if ((await fetch(url)).ok) break
    }
    catch { /* not up yet */ }
    await new Promise(r => setTimeout(r, 100))
  }
  return {
    url,
    pid: child.pid!,
    stop: () => new Promise((ok) => {
      if (child.exitCode !== null) return ok()
      child.once('exit', () => ok())
      child.kill('SIGTERM')
    }),
  }
}
