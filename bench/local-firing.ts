// Local firing benchmark (issue 3, section 5): how late the in-process scheduler fires, on the real clock.
// 100 one-time at() schedules in five time zones, five due each whole second for 20 s, through createLocalBackend;
// a plain setTimeout per firing, computed from Date.now() and due half a second apart from ours, is the baseline.
// Asserted: every schedule fires once, at the instant its at() names, and the worst delay is under 1 s.
import { formatInZone } from '../shared/schedule'
import { createLocalBackend } from '../server/utils/schedules/local'
import type { DesiredSchedule } from '../server/utils/schedules/spec'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { ms, percentile } from './lib/stats'

const COMMAND = 'npm run bench -- local-firing'
const FIRINGS = 100
const SPREAD_S = 20
/** The first firing is at least this far ahead, so every schedule is armed before its time. */
const LEAD_MS = 2_000
/** The baseline's timers are due this long after ours, so the two never share a due instant. */
const BASELINE_OFFSET_MS = 500
/** After the last due time, wait this long for stragglers (a firing later than this fails anyway). */
const GRACE_MS = 1_500
const TARGET_MAX_MS = 1_000
/** A firing this much before its time counts as early; the backend checks the clock before firing, so none should be. */
const EARLY_MS = 50
// Zones with whole, half-hour and DST offsets: at() is local wall-clock time in the schedule's zone.
const ZONES = ['UTC', 'Asia/Kolkata', 'America/New_York', 'Europe/Berlin', 'Australia/Adelaide']

/** Written under the figures when a firing never came. */
const LOST_NOTE = `A schedule that never fires fails the run, however small the delays of the others (the table counts only the firings
that came). This benchmark found such losses when the local backend used croner 10.0.1 for its timers (about one in 500 to
1,000 one-time timers armed in a burst: a timer that woke a few ms early by the wall clock was re-armed to nothing). The
backend now waits on plain timers and re-waits the remainder when one wakes early.`

const log = (line: string) => console.log(`[local-firing] ${line}`)
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL')
const sleep = (msValue: number) => new Promise(r => setTimeout(r, msValue))

/** at() to the second, in the zone's wall-clock time (as test/integration/local-scheduler-realtime.test.ts writes it). */
function atExpression(date: Date, timezone: string): string {
  return `at(${formatInZone(date, timezone).slice(0, 19)})`
}

function schedule(name: string, due: Date, timezone: string): DesiredSchedule {
  return {
    name,
    group: 'ouroboros',
    expression: atExpression(due, timezone),
    timezone,
    state: 'ENABLED',
    targetArn: '',
    roleArn: '',
    input: '',
    retryAttempts: 3,
    maxEventAgeSeconds: 3600,
    dlqArn: '',
  }
}

interface Stats {
  count: number
  p50: number
  p95: number
  max: number
  min: number
  mean: number
}

function stats(delays: number[]): Stats {
  const sorted = [...delays].sort((a, b) => a - b)
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    max: sorted.at(-1)!,
    min: sorted[0]!,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  }
}

interface Firings {
  due: number[]
  names: string[]
  fired: { rule: string, at: number, scheduled: number }[]
  baseline: { k: number, at: number, due: number }[]
  putMs: number
  /** Schedules that never fired, and the next time the backend still held for them once all were past. */
  unfired: { name: string, nextFire: string | null }[]
}

/** Arms the schedules and the baseline's timers, and waits for all of them on the real clock. */
async function measure(): Promise<Firings> {
  const fired: Firings['fired'] = []
  const backend = createLocalBackend({
    fire: (r) => {
      fired.push({ rule: r.rule, at: Date.now(), scheduled: Date.parse(r.scheduledTime) })
    },
  })
  const baseline: Firings['baseline'] = []
  const timers: ReturnType<typeof setTimeout>[] = []

  // Due times: five a second, at whole seconds, from LEAD_MS ahead.
  const first = Math.ceil((Date.now() + LEAD_MS) / 1000) * 1000
  const due = Array.from({ length: FIRINGS }, (_, k) => first + (k % SPREAD_S) * 1000)
  const names = due.map((_, k) => `fire-${String(k).padStart(3, '0')}`)
  try {
    const p0 = performance.now()
    for (const [k, at] of due.entries()) await backend.put(schedule(names[k]!, new Date(at), ZONES[k % ZONES.length]!))
    const putMs = performance.now() - p0
    // The baseline: one setTimeout per firing, its delay computed from Date.now() when it is set.
    for (const [k, at] of due.entries()) {
      const target = at + BASELINE_OFFSET_MS
      timers.push(setTimeout(() => baseline.push({ k, at: Date.now(), due: target }), target - Date.now()))
    }
    log(`${FIRINGS} schedules armed in ${ms(putMs)} ms; firing from ${new Date(first).toISOString()} for ${SPREAD_S} s ...`)
    await sleep(Math.max(...due) + BASELINE_OFFSET_MS + GRACE_MS - Date.now())
    // A schedule that never fired but is still held as due at a past time lost its timer.
    const seen = new Set(fired.map(f => f.rule))
    const unfired = names.filter(n => !seen.has(n)).map(name => ({ name, nextFire: backend.nextFire(name)?.toISOString() ?? null }))
    return { due, names, fired, baseline, putMs, unfired }
  }
  finally {
    for (const t of timers) clearTimeout(t)
    await backend.close()
  }
}

/** Runs the local firing benchmark; answers true when every asserted figure passes. */
export default async function localFiring(): Promise<boolean> {
  const started = new Date()
  const t0 = performance.now()
  const { due, names, fired, baseline, putMs, unfired } = await measure()

  // Each schedule fired once, for the instant its at() names.
  const problems: string[] = []
  const byRule = new Map<string, number>()
  for (const f of fired) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1)
  const twice = [...byRule].filter(([, n]) => n > 1).map(([r]) => r)
  const wrongTime = fired.filter(f => f.scheduled !== due[names.indexOf(f.rule)])
  if (unfired.length) {
    const held = unfired.map(u => `${u.name}${u.nextFire ? ` (still held as due at ${u.nextFire}, now past)` : ''}`)
    problems.push(`${unfired.length} schedule${unfired.length > 1 ? 's' : ''} never fired: ${held.slice(0, 5).join(', ')}`)
  }
  if (twice.length) problems.push(`${twice.length} schedules fired more than once: ${twice.slice(0, 5).join(', ')}`)
  if (wrongTime.length) problems.push(`${wrongTime.length} firings carried another scheduled time than their at(): ${wrongTime.slice(0, 3).map(f => `${f.rule} ${new Date(f.scheduled).toISOString()}`).join(', ')}`)
  if (baseline.length !== FIRINGS) problems.push(`the baseline fired ${baseline.length} timers of ${FIRINGS}`)

  // Delay against the intended due time, not the reported one, so a wrong scheduledTime cannot hide lateness.
  const ours = stats(fired.map(f => f.at - due[names.indexOf(f.rule)]!))
  const theirs = stats(baseline.map(b => b.at - b.due))
  const checks = [
    { figure: `every one of the ${FIRINGS} schedules fired exactly once, at the time its at() names`, ok: problems.length === 0, detail: problems.join('; ') || `${fired.length} firings` },
    { figure: `max delay < ${TARGET_MAX_MS} ms`, ok: ours.max < TARGET_MAX_MS, detail: `${ours.max} ms` },
    { figure: `none more than ${EARLY_MS} ms early`, ok: ours.min >= -EARLY_MS, detail: `earliest ${ours.min} ms` },
  ]
  const ok = checks.every(c => c.ok)

  // Date.now() counts whole milliseconds: no decimals but for the mean.
  const whole = (v: number) => String(Math.round(v))
  const fmt = (s: Stats) => [String(s.count), whole(s.p50), whole(s.p95), whole(s.max), whole(s.min), s.mean.toFixed(1)]
  const table = markdownTable(['path', 'firings', 'p50 ms', 'p95 ms', 'max ms', 'min ms', 'mean ms'], [
    ['**ours:** `createLocalBackend` (at() in a zone, parsed by the shared parser, plain timer, fire callback)', ...fmt(ours)],
    ['baseline: `setTimeout(fn, due - Date.now())`', ...fmt(theirs)],
    ['ours − baseline', '', whole(ours.p50 - theirs.p50), whole(ours.p95 - theirs.p95), whole(ours.max - theirs.max), '', (ours.mean - theirs.mean).toFixed(1)],
  ])
  const checkTable = markdownTable(['check', 'figure', 'result'], checks.map(c => [c.figure, c.detail, verdict(c.ok)]))
  for (const c of checks) console.log(`${verdict(c.ok)}  ${c.figure}: ${c.detail}`)
  console.log(`\n${table}\n`)

  const section = `## Local scheduler: firing delay on the real clock

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${started.toISOString()}. Machine: ${machine()}.

${FIRINGS} one-time schedules put into the local backend (\`createLocalBackend({ fire })\`, as the server builds it, with a \`fire\` that records
\`Date.now()\`), each \`at(...)\` a whole second in one of ${ZONES.length} zones (${ZONES.join(', ')}), five due each second for ${SPREAD_S} s.
Delay = the time the fire callback ran − the instant the at() names (checked equal to the firing's \`scheduledTime\`), by \`Date.now()\`
(whole milliseconds, the clock the scheduler itself reads).
The ${FIRINGS} schedules were armed in ${ms(putMs)} ms. Baseline: a plain \`setTimeout\` per firing, its delay computed from \`Date.now()\`,
in the same process at the same time, each due ${BASELINE_OFFSET_MS} ms after one of ours so that the two never share an instant.
The delays are one run's, and depend on the machine and on its load at the time.

${table}

${checkTable}
${unfired.length ? `\n${LOST_NOTE}\n` : ''}
Result: **${verdict(ok)}**${ok ? '' : ` (${checks.filter(c => !c.ok).map(c => c.figure).join('; ')})`}.
`
  const file = writeSectionAtomically('local-firing', section)
  const raw = writeResults('local-firing', { started, machine: machine(), putMs, ours, baseline: theirs, problems, fired, baselineFired: baseline })
  log(`figures written to ${file} (raw: ${raw}); took ${((performance.now() - t0) / 1000).toFixed(1)} s: ${verdict(ok)}`)
  return ok
}
