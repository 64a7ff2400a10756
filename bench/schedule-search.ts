// Schedule search benchmark (issue 11): how long nextRuns takes for expressions that match rarely or never, which
// must search up to the parser's horizon (2199), against a weekday cron's next 5 runs measured in the same run.
// The unit tests check what these searches find; how fast they are on this machine is asserted only here.
// Asserted: each rare or empty search is at most TARGET_RATIO times the baseline, and under TARGET_MAX_MS.
import { nextRuns } from '../shared/schedule'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { ms } from './lib/stats'

const COMMAND = 'npm run bench -- schedule-search'
const FROM = new Date('2026-01-01T00:00:00Z')
const REPEATS = 15
const TARGET_MAX_MS = 1_000
const TARGET_RATIO = 200

interface Case { label: string, expression: string, timezone: string, count: number }

const BASELINE: Case = { label: 'baseline: weekdays at 19:00, next 5', expression: 'cron(0 19 ? * MON-FRI *)', timezone: 'Europe/Berlin', count: 5 }
const CASES: Case[] = [
  { label: '31 February (never)', expression: 'cron(0 0 31 2 ? *)', timezone: 'Europe/Berlin', count: 3 },
  { label: '30 February (never)', expression: 'cron(0 0 30 2 ? *)', timezone: 'Europe/Berlin', count: 3 },
  { label: 'weekday nearest 31 April (never)', expression: 'cron(0 0 31W 4 ? *)', timezone: 'Europe/Berlin', count: 3 },
  { label: 'every leap day to 2199 (42)', expression: 'cron(0 0 29 2 ? *)', timezone: 'America/New_York', count: 100 },
  { label: 'fifth Fridays, next 200', expression: 'cron(0 0 ? * 6#5 *)', timezone: 'Australia/Sydney', count: 200 },
]

const log = (line: string) => console.log(`[schedule-search] ${line}`)

/** The median of REPEATS timed searches, after one untimed warm-up. */
function median(c: Case): number {
  nextRuns(c.expression, c.timezone, { from: FROM, count: c.count })
  const times: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    const started = performance.now()
    nextRuns(c.expression, c.timezone, { from: FROM, count: c.count })
    times.push(performance.now() - started)
  }
  return times.sort((a, b) => a - b)[Math.floor(REPEATS / 2)]!
}

export default async function scheduleSearch(): Promise<boolean> {
  const baseline = median(BASELINE)
  log(`baseline ${ms(baseline)}`)
  const rows = CASES.map((c) => {
    const t = median(c)
    const ratio = t / baseline
    const ok = t < TARGET_MAX_MS && ratio <= TARGET_RATIO
    log(`${c.label}: ${ms(t)} (${ratio.toFixed(0)}x the baseline) ${ok ? 'PASS' : 'FAIL'}`)
    return { ...c, ms: t, ratio, ok }
  })
  const ok = rows.every(r => r.ok)
  const table = markdownTable(
    ['search', 'expression', 'median', 'vs baseline', 'target'],
    [
      [BASELINE.label, `\`${BASELINE.expression}\``, ms(baseline), '1x', '-'],
      ...rows.map(r => [r.label, `\`${r.expression}\``, ms(r.ms), `${r.ratio.toFixed(0)}x`, r.ok ? 'PASS' : 'FAIL']),
    ],
  )
  writeSectionAtomically('schedule-search', `## Schedule search: expressions that match rarely or never

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${new Date().toISOString()}. Machine: ${machine()}.

\`nextRuns\` (\`shared/schedule/\`) searches day by day up to its horizon (2199) for an expression that matches rarely or never.
Each search is timed ${REPEATS} times after one warm-up; the median is shown. The baseline, measured in the same run, is a weekday cron's next 5 runs.
Targets: each search under ${TARGET_MAX_MS} ms and at most ${TARGET_RATIO.toLocaleString('en')} times the baseline. These figures were asserted in
\`test/unit/schedule-next.test.ts\` until issue 11 took speed out of the tests; the tests still check what each search finds.

${table}

Result: **${ok ? 'PASS' : 'FAIL'}**.`)
  writeResults('schedule-search', { baseline, rows })
  return ok
}
