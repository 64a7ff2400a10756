// Calendar schedule benchmark (issue 14, section 4): the computation behind GET /api/schedule for 1,000 rules with 2
// holiday calendars each over 31 days, against the same computation for the same rules without calendars, measured
// in the same run, interleaved. Both run in-process on rules already read, so the figures are the computation's alone.
// Asserted: ours at most TARGET_RATIO times the baseline (median of REPEATS), and the same firings in both.
import Holidays from 'date-holidays'
import { createDayIndex } from '../server/utils/calendars/days'
import { createHolidaySource } from '../server/utils/calendars/holidays'
import { skipContext } from '../server/utils/rules/firing-skip'
import { scheduleWindow } from '../server/utils/rules/schedule-window'
import type { WindowRule } from '../server/utils/rules/schedule-window'
import { machine, markdownTable, writeResults } from './lib/report'
import { writeSectionAtomically } from './lib/section'
import { ms, percentile } from './lib/stats'

const COMMAND = 'npm run bench -- calendar-schedule'
const RULES = 1000
const WINDOW_DAYS = 31
const REPEATS = 15
const TARGET_RATIO = 2
// A fixed window, so that every run computes the same firings: December holds many holidays.
const FROM = new Date('2026-12-01T00:00:00Z')
const TO = new Date(FROM.getTime() + WINDOW_DAYS * 86_400_000)
// The API answers at most MAX_SCHEDULE_ITEMS firings; the computation of them all is what is measured, on both sides.
const WINDOW = { from: FROM, to: TO, maxItems: Infinity }

const REGIONS = [['DE', 'BY'], ['DE', 'BE'], ['US', 'CA'], ['US', 'NY'], ['GB', undefined], ['FR', undefined], ['CN', undefined], ['JP', undefined], ['AT', undefined], ['CH', 'ZH']] as const
const ZONES = ['Europe/Berlin', 'America/Los_Angeles', 'America/New_York', 'Europe/London', 'Asia/Shanghai', 'Asia/Tokyo', 'Australia/Sydney', 'UTC']
const EXPRESSIONS = ['cron(0 19 ? * MON-FRI *)', 'cron(0 7 ? * MON-FRI *)', 'cron(30 20 * * ? *)', 'cron(0 8,12,18 ? * MON-SAT *)', 'rate(6 hours)']

const calendarName = ([country, region]: readonly [string, string | undefined]) => `${country}${region ? `-${region}` : ''}`.toLowerCase()
const calendars = REGIONS.map(r => ({ name: calendarName(r), entries: [{ holidays: { country: r[0], ...(r[1] ? { region: r[1] } : {}), types: ['public' as const] } }] }))

function rules(withCalendars: boolean): WindowRule[] {
  return Array.from({ length: RULES }, (_, i) => ({
    name: `rule-${String(i).padStart(4, '0')}`,
    action: i % 2 ? 'start' : 'stop',
    scheduleExpression: EXPRESSIONS[i % EXPRESSIONS.length]!,
    timezone: ZONES[i % ZONES.length]!,
    enabled: true,
    updatedAt: '2026-11-01T00:00:00.000Z',
    skipCalendars: withCalendars ? [calendars[i % calendars.length]!.name, calendars[(i + 3) % calendars.length]!.name] : [],
  }))
}

const log = (line: string) => console.log(`[calendar-schedule] ${line}`)
const median = (samples: number[]) => percentile([...samples].sort((a, b) => a - b), 50)

export default async function calendarSchedule(): Promise<boolean> {
  const withCalendars = rules(true)
  const without = rules(false)
  const names = calendars.map(c => c.name)
  const none = skipContext(createDayIndex([], createHolidaySource(Holidays)))

  // As the server does: one holiday source per process (its expanded years cached), one day index per request.
  const holidays = createHolidaySource(Holidays)
  const ours = () => scheduleWindow(withCalendars, skipContext(createDayIndex(calendars, holidays)), names, WINDOW)
  const baseline = () => scheduleWindow(without, none, [], WINDOW)

  // The first request of a process also expands each region's years: timed once, reported, not asserted.
  let t0 = performance.now()
  const first = ours()
  const cold = performance.now() - t0
  const plain = baseline()

  const oursMs: number[] = []
  const baseMs: number[] = []
  for (let i = 0; i < REPEATS; i++) {
    t0 = performance.now()
    baseline()
    baseMs.push(performance.now() - t0)
    t0 = performance.now()
    ours()
    oursMs.push(performance.now() - t0)
  }
  const [o, b] = [median(oursMs), median(baseMs)]
  const ratio = o / b
  const skipped = first.items.filter(i => i.skipped).length
  const sameFirings = first.items.length === plain.items.length && first.items.every((item, k) => item.at === plain.items[k]!.at && item.rule === plain.items[k]!.rule)
  const ok = ratio <= TARGET_RATIO && sameFirings && skipped > 0 && !first.truncated
  log(`baseline ${ms(b)} ms, ours ${ms(o)} ms (${ratio.toFixed(2)}x), cold ${ms(cold)} ms; ${first.items.length} firings, ${skipped} skipped ${ok ? 'PASS' : 'FAIL'}`)

  const table = markdownTable(
    ['computation', 'median', 'p95', 'vs baseline', 'target'],
    [
      ['baseline: the same 1,000 rules without calendars', `${ms(b)} ms`, `${ms(percentile([...baseMs].sort((x, y) => x - y), 95))} ms`, '1x', '-'],
      ['**ours: 1,000 rules, 2 holiday calendars each**', `**${ms(o)} ms**`, `${ms(percentile([...oursMs].sort((x, y) => x - y), 95))} ms`, `**${ratio.toFixed(2)}x**`, `≤ ${TARGET_RATIO}x: ${ratio <= TARGET_RATIO ? 'PASS' : 'FAIL'}`],
      ['ours, first request of a process (each region\'s years expanded)', `${ms(cold)} ms (once)`, '-', `${(cold / b).toFixed(1)}x`, 'not asserted'],
    ],
  )
  writeSectionAtomically('calendar-schedule', `## Calendar schedule: 1,000 rules with holiday calendars over 31 days

Command: \`${COMMAND}\` (also part of \`npm run bench\`). Date: ${new Date().toISOString()}. Machine: ${machine()}.

What \`GET /api/schedule\` computes once its rules are read (\`scheduleWindow\`, \`server/utils/rules/schedule-window.ts\`): every firing of
${RULES.toLocaleString('en')} enabled rules from ${FROM.toISOString()} for ${WINDOW_DAYS} days, from the shared schedule parser (each expression parsed once,
its fire times walked field by field), each firing judged by \`whyFiringSkips\` (its local date in the rule's zone, looked up in a day index).
Rules: ${EXPRESSIONS.length} expressions (${EXPRESSIONS.map(e => `\`${e}\``).join(', ')}) in ${ZONES.length} zones; each skips 2 of ${calendars.length} public-holiday
calendars (${names.join(', ')}), a fresh day index per computation as per request, over the process's holiday source (its expanded years cached).
Baseline, in the same run: the same rules without calendars. The two were run alternately ${REPEATS} times after one untimed run of each; medians shown.
Both found the same ${first.items.length.toLocaleString('en')} firings${sameFirings ? '' : ' (NOT the same: FAIL)'}; ours greyed out ${skipped.toLocaleString('en')} of them as holidays.

${table}

Result: **${ok ? 'PASS' : 'FAIL'}**.`)
  writeResults('calendar-schedule', { baseline: baseMs, ours: oursMs, cold, firings: first.items.length, skipped, ratio })
  return ok
}
