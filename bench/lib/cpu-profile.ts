// A page load's main-thread work in Chromium with the CPU slowed down as Lighthouse's mobile preset slows it (4x), read
// from a sampling CPU profile and the renderer's own counters rather than from Lighthouse's simulation: far less noisy
// on a shared machine, since every figure is this page's own main thread (a loaded machine still stretches them, so
// compare against a baseline page profiled in the same run).
import { writeFileSync } from 'node:fs'
import type { Browser, BrowserContextOptions } from 'playwright-core'
import { mainThreadWork, TRACE_CATEGORIES } from './main-thread'
import type { MainThreadWork, TraceEvent } from './main-thread'

/** Lighthouse 12's mobile preset: a Moto G Power's screen and user agent. */
export const MOBILE_CONTEXT: BrowserContextOptions = {
  viewport: { width: 412, height: 823 },
  deviceScaleFactor: 1.75,
  isMobile: true,
  hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
}
export const DESKTOP_CONTEXT: BrowserContextOptions = { viewport: { width: 1350, height: 940 } }

interface ProfileNode {
  id: number
  callFrame: { functionName: string, url: string, lineNumber: number, columnNumber: number }
  children?: number[]
}
interface Profile { nodes: ProfileNode[], startTime: number, endTime: number, samples: number[], timeDeltas: number[] }

export interface LoadProfile {
  /** The renderer's counters over the load (Performance.getMetrics), in ms of (throttled) main-thread time. */
  taskMs: number
  scriptMs: number
  styleMs: number
  layoutMs: number
  /** CPU profile self time by script (file name, or `(program)`, `(garbage collector)`), most first; idle left out. */
  byScript: { script: string, ms: number }[]
  /** The functions with the most self time. */
  byFunction: { fn: string, ms: number }[]
  /** Long tasks (> 50 ms) the page saw: start and duration, ms after navigation start. */
  longTasks: { start: number, duration: number }[]
  /** Sum over the long tasks of their part beyond 50 ms, from first contentful paint on: total blocking time as observed. */
  blockingMs: number
  fcp: number
  /** The main thread's CPU time from a trace, by Lighthouse's groups (see main-thread.ts). */
  work: MainThreadWork
}

const shortName = (url: string) => url.replace(/^https?:\/\/[^/]+/, '').replace(/^\/_nuxt\//, '') || '(page)'

/** Self time per node from the samples, in ms. */
function selfTimes(profile: Profile): Map<number, number> {
  const self = new Map<number, number>()
  for (let i = 0; i < profile.samples.length; i++) {
    // Each sample's time is the delta to the next one (the last one's is not known: counted as the previous one's).
    const dt = (profile.timeDeltas[i + 1] ?? profile.timeDeltas[i] ?? 0) / 1000
    self.set(profile.samples[i]!, (self.get(profile.samples[i]!) ?? 0) + dt)
  }
  return self
}

function top<T>(map: Map<string, number>, n: number, make: (key: string, ms: number) => T): T[] {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => make(k, ms))
}

/**
 * Loads `url` once in a fresh context, the CPU throttled `rate` times, and profiles it from navigation until `settleMs`
 * after the network is idle (the rows that hydrate on view, the chunks loaded after hydration).
 */
export async function profileLoad(browser: Browser, url: string, options: { context: BrowserContextOptions, rate: number, settleMs?: number, saveTrace?: string }): Promise<LoadProfile> {
  const context = await browser.newContext({ locale: 'en-US', ...options.context })
  // Long tasks and the first paint as the page saw them (the observer is buffered: it sees what came before it).
  await context.addInitScript(() => {
    const w = window as unknown as { __long: { start: number, duration: number }[] }
    w.__long = []
    new PerformanceObserver(list => list.getEntries().forEach(e => w.__long.push({ start: e.startTime, duration: e.duration }))).observe({ type: 'longtask', buffered: true })
  })
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable')
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: options.rate })
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 1000 })
  const before = await cdp.send('Performance.getMetrics')
  await browser.startTracing(page, { categories: TRACE_CATEGORIES })
  await cdp.send('Profiler.start')
  await page.goto(url, { waitUntil: 'load' })
  await page.waitForLoadState('networkidle')
  await page.waitForTimeout(options.settleMs ?? 1500)
  const { profile } = await cdp.send('Profiler.stop') as unknown as { profile: Profile }
  const raw = await browser.stopTracing()
  if (options.saveTrace) {
    writeFileSync(options.saveTrace, raw)
    writeFileSync(options.saveTrace.replace(/\.json$/, '.cpuprofile'), JSON.stringify(profile))
  }
  const trace = JSON.parse(raw.toString('utf8')) as { traceEvents: TraceEvent[] }
  const after = await cdp.send('Performance.getMetrics')
  const seen = await page.evaluate(() => ({
    long: (window as unknown as { __long: { start: number, duration: number }[] }).__long,
    fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
  }))
  await context.close()

  const metric = (name: string) => {
    const value = (m: { metrics: { name: string, value: number }[] }) => m.metrics.find(x => x.name === name)?.value ?? 0
    return (value(after) - value(before)) * 1000
  }
  const nodes = new Map(profile.nodes.map(n => [n.id, n]))
  const scripts = new Map<string, number>()
  const functions = new Map<string, number>()
  for (const [id, ms] of selfTimes(profile)) {
    const frame = nodes.get(id)!.callFrame
    if (frame.functionName === '(idle)') continue
    const script = frame.url ? shortName(frame.url) : frame.functionName || '(anonymous)'
    scripts.set(script, (scripts.get(script) ?? 0) + ms)
    const fn = `${frame.functionName || '(anonymous)'}${frame.url ? ` ${shortName(frame.url)}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : ''}`
    functions.set(fn, (functions.get(fn) ?? 0) + ms)
  }
  const longTasks = seen.long.sort((a, b) => a.start - b.start)
  return {
    taskMs: metric('TaskDuration'),
    scriptMs: metric('ScriptDuration'),
    styleMs: metric('RecalcStyleDuration'),
    layoutMs: metric('LayoutDuration'),
    byScript: top(scripts, 12, (script, ms) => ({ script, ms })),
    byFunction: top(functions, 25, (fn, ms) => ({ fn, ms })),
    longTasks,
    blockingMs: longTasks.reduce((n, t) => n + (t.start + t.duration > seen.fcp ? Math.max(0, t.duration - 50) : 0), 0),
    fcp: seen.fcp,
    work: mainThreadWork(trace.traceEvents),
  }
}
