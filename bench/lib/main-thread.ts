// A page load's main-thread work from a Chromium trace, in thread CPU time (each event's `tdur`): the time the
// renderer's main thread ran, not the wall time it took, so other processes on a shared machine do not stretch it
// (Lighthouse's observed durations are wall times). Grouped as Lighthouse groups it (its tracehouse task groups).
import { taskNameToGroup } from 'lighthouse/core/lib/tracehouse/task-groups.js'

export const TRACE_CATEGORIES = ['toplevel', 'v8', 'v8.execute', 'devtools.timeline', 'disabled-by-default-devtools.timeline', 'loading', 'blink.user_timing']

export interface TraceEvent {
  name: string
  cat: string
  ph: string
  ts: number
  dur?: number
  tdur?: number
  pid: number
  tid: number
  args?: { name?: string, data?: { frame?: string, isMainFrame?: boolean, isOutermostMainFrame?: boolean } }
}

export interface MainThreadWork {
  /** CPU ms of the main thread by Lighthouse's groups ('Script Evaluation', 'Style & Layout', 'Other', ...). */
  byGroup: Record<string, number>
  totalMs: number
  /** Top-level tasks of 10 ms or more: start (ms after navigation start) and CPU ms. */
  tasks: { start: number, cpu: number, wall: number }[]
  /** ms after navigation start. */
  fcp: number
  /** Total blocking time in CPU time: each top-level task's part beyond 50 ms, from first contentful paint on. */
  blockingMs: number
}

/** The main thread of the page's renderer: the CrRendererMain that parsed HTML. */
function mainThread(events: TraceEvent[]): { pid: number, tid: number } {
  const mains = events.filter(e => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
  const parsed = (m: TraceEvent) => events.filter(e => e.pid === m.pid && e.tid === m.tid && e.name === 'ParseHTML').length
  const main = mains.sort((a, b) => parsed(b) - parsed(a))[0]
  if (!main) throw new Error('no renderer main thread in the trace')
  return { pid: main.pid, tid: main.tid }
}

/** Sums each event's own CPU time (its children's taken out) into its group, as Lighthouse's main-thread-tasks does with wall time. */
export function mainThreadWork(events: TraceEvent[]): MainThreadWork {
  const { pid, tid } = mainThread(events)
  const mine = events.filter(e => e.pid === pid && e.tid === tid)
  const navigation = mine.find(e => e.name === 'navigationStart' && (e.args?.data?.isOutermostMainFrame ?? e.args?.data?.isMainFrame ?? true))?.ts
    ?? Math.min(...mine.map(e => e.ts))
  const fcpEvent = mine.find(e => e.name === 'firstContentfulPaint' && e.ts >= navigation)
  const complete = mine.filter(e => e.ph === 'X' && e.ts >= navigation && e.dur !== undefined).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const byGroup: Record<string, number> = {}
  const tasks: MainThreadWork['tasks'] = []
  const stack: { end: number, group: string, cpu: number, childCpu: number }[] = []
  const close = (frame: { group: string, cpu: number, childCpu: number }) => {
    byGroup[frame.group] = (byGroup[frame.group] ?? 0) + Math.max(0, frame.cpu - frame.childCpu) / 1000
  }
  for (const e of complete) {
    while (stack.length && stack[stack.length - 1]!.end <= e.ts) close(stack.pop()!)
    const parent = stack[stack.length - 1]
    const cpu = e.tdur ?? e.dur!
    const group = taskNameToGroup[e.name]?.label ?? parent?.group ?? 'Other'
    if (parent) parent.childCpu += cpu
    else if (cpu >= 10_000) tasks.push({ start: (e.ts - navigation) / 1000, cpu: cpu / 1000, wall: e.dur! / 1000 })
    stack.push({ end: e.ts + e.dur!, group, cpu, childCpu: 0 })
  }
  while (stack.length) close(stack.pop()!)
  const fcp = fcpEvent ? (fcpEvent.ts - navigation) / 1000 : Number.NaN
  return {
    byGroup,
    totalMs: Object.values(byGroup).reduce((n, v) => n + v, 0),
    tasks,
    fcp,
    blockingMs: tasks.filter(t => t.start + t.wall > fcp).reduce((n, t) => n + Math.max(0, t.cpu - 50), 0),
  }
}
