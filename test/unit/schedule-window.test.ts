// The schedule of many rules over a window: every firing from the shared parser, in time order, each one a calendar
// day skips with why (its local date in the rule's zone), the calendars' days, the limits; and a rule's preview.
import Holidays from 'date-holidays'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fieldIssuesOf } from '../../shared/schemas/issue'
import { scheduleQuerySchema, SchedulePreviewQuerySchema } from '../../shared/schemas/schedule'
import { createDayIndex } from '../../server/utils/calendars/days'
import { createHolidaySource } from '../../server/utils/calendars/holidays'
import { firingSkip } from '../../server/utils/calendars/skip'
import { skipContext, whyFiringSkips } from '../../server/utils/rules/firing-skip'
import { fireTimesBetween, nextFirings, scheduleWindow } from '../../server/utils/rules/schedule-window'
import type { WindowRule } from '../../server/utils/rules/schedule-window'
import { parseScheduleExpression } from '../../shared/schedule'

const index = createDayIndex([
  { name: 'eve', entries: [{ annual: '12-24', label: 'Christmas Eve' }] },
  { name: 'de-by', entries: [{ holidays: { country: 'DE', region: 'BY', types: ['public'] } }] },
], createHolidaySource(Holidays))
const context = skipContext(index)

const rule = (name: string, overrides: Partial<WindowRule> = {}): WindowRule => ({
  name, action: 'stop', scheduleExpression: 'cron(0 19 ? * MON-FRI *)', timezone: 'Europe/Berlin', enabled: true,
  updatedAt: '2026-11-01T00:00:00.000Z', skipCalendars: [], ...overrides,
})
const window = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) })

describe('the firings of rules in a window', () => {
  it('lists each firing from `from` (included) to `to` (excluded), in time order and then by rule', () => {
    const answer = scheduleWindow(
      [rule('b-stop'), rule('a-start', { action: 'start', scheduleExpression: 'cron(0 18 ? * MON-FRI *)', timezone: 'UTC' })],
      context, [], window('2026-12-07T18:00:00Z', '2026-12-08T18:00:00Z'),
    )
    // 19:00 in Berlin is 18:00 UTC in December: both rules fire at the same instant, and a-start comes first.
    expect(answer.items).toEqual([
      { rule: 'a-start', at: '2026-12-07T18:00:00.000Z', action: 'start' },
      { rule: 'b-stop', at: '2026-12-07T18:00:00.000Z', action: 'stop' },
    ])
    expect(answer.truncated).toBeUndefined()
  })

  it('greys out the firings on a calendar day, judged by the local date in the rule\'s zone', () => {
    // 23:30 in Los Angeles on 24 December is already the 25th in UTC: the calendar holding the 24th skips it.
    const la = rule('la', { scheduleExpression: 'cron(30 23 * * ? *)', timezone: 'America/Los_Angeles', skipCalendars: ['eve'] })
    const answer = scheduleWindow([la], context, ['eve'], window('2026-12-24T00:00:00Z', '2026-12-27T00:00:00Z'))
    expect(answer.items.map(i => [i.at, i.skipped?.cause])).toEqual([
      ['2026-12-24T07:30:00.000Z', undefined],
      ['2026-12-25T07:30:00.000Z', { kind: 'calendar', date: '2026-12-24', calendar: 'eve', label: 'Christmas Eve' }],
      ['2026-12-26T07:30:00.000Z', undefined],
    ])
    expect(answer.items[1]!.skipped!.reason).toBe('2026-12-24 is Christmas Eve (calendar eve)')
    expect(answer.days.map(d => [d.date, d.calendar, d.label])).toEqual([['2026-12-24', 'eve', 'Christmas Eve']])
  })

  it('names a holiday in English and in Chinese, and lists the holidays of the window', () => {
    const daily = rule('daily', { scheduleExpression: 'cron(0 8 * * ? *)', skipCalendars: ['de-by'] })
    const answer = scheduleWindow([daily], context, ['de-by'], window('2026-12-24T00:00:00Z', '2026-12-27T00:00:00Z'))
    const skipped = answer.items.filter(i => i.skipped).map(i => i.skipped!.cause)
    expect(skipped).toEqual([
      { kind: 'calendar', date: '2026-12-25', calendar: 'de-by', label: expect.any(String), names: [expect.objectContaining({ en: expect.stringMatching(/Christmas/) })] },
      { kind: 'calendar', date: '2026-12-26', calendar: 'de-by', label: expect.any(String), names: [expect.objectContaining({ en: expect.any(String) })] },
    ])
    expect(answer.items.filter(i => !i.skipped).map(i => i.at)).toEqual(['2026-12-24T07:00:00.000Z'])
    expect(answer.days.map(d => d.date)).toEqual(['2026-12-25', '2026-12-26'])
  })

  it('lets a disabled rule fire never, and says a firing fails when its calendar is gone', () => {
    const gone = skipContext(index, ['deleted'])
    const answer = scheduleWindow(
      [rule('off', { enabled: false }), rule('orphan', { skipCalendars: ['deleted', 'eve'] })],
      gone, ['eve'], window('2026-12-07T00:00:00Z', '2026-12-08T00:00:00Z'),
    )
    expect(answer.items).toEqual([{
      rule: 'orphan', at: '2026-12-07T18:00:00.000Z', action: 'stop',
      skipped: { reason: expect.stringMatching(/calendar 'deleted', which no longer exists/), cause: { kind: 'missingCalendar', calendars: ['deleted'] } },
    }])
  })

  it('cuts a rule that fires more often than the limit, and the whole list past its limit, saying until when it is whole', () => {
    const often = rule('often', { scheduleExpression: 'rate(1 minute)', updatedAt: '2026-12-01T00:00:00.000Z' })
    const daily = rule('daily', { scheduleExpression: 'cron(0 12 * * ? *)', timezone: 'UTC' })
    const cut = scheduleWindow([often, daily], context, [], { ...window('2026-12-01T00:00:00Z', '2026-12-03T00:00:00Z'), perRule: 100 })
    expect(cut.items.filter(i => i.rule === 'often')).toHaveLength(100)
    expect(cut.items.filter(i => i.rule === 'daily')).toHaveLength(2)
    expect(cut.truncated).toEqual({ until: '2026-12-03T00:00:00.000Z', rules: ['often'] })

    const capped = scheduleWindow([daily], context, [], { ...window('2026-12-01T00:00:00Z', '2026-12-11T00:00:00Z'), maxItems: 4 })
    expect(capped.items.map(i => i.at.slice(0, 10))).toEqual(['2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04'])
    expect(capped.truncated).toEqual({ until: '2026-12-05T12:00:00.000Z', rules: [] })
  })

  it('finds the fire times of a rare expression without walking minutes, and a one-time rule once', () => {
    const leap = fireTimesBetween(parseScheduleExpression('cron(0 0 29 2 ? *)'), 'UTC', new Date(0), new Date('2027-01-01T00:00:00Z'), new Date('2028-12-31T00:00:00Z'), 10)
    expect(leap).toEqual({ times: [new Date('2028-02-29T00:00:00Z')], cut: false })
    const once = fireTimesBetween(parseScheduleExpression('at(2026-12-24T18:00:00)'), 'Europe/Berlin', new Date(0), new Date('2026-12-24T17:00:00Z'), new Date('2026-12-25T00:00:00Z'), 10)
    expect(once.times).toEqual([new Date('2026-12-24T17:00:00Z')])
  })

  it('judges every instant in every zone as the executor\'s check does, reading the local date only near a calendar day', () => {
    const zones = ['Pacific/Kiritimati', 'Etc/GMT+12', 'America/Los_Angeles', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Berlin']
    const calendars = [['eve'], ['de-by'], ['eve', 'de-by']]
    fc.assert(fc.property(
      fc.integer({ min: Date.parse('2026-01-01T00:00:00Z'), max: Date.parse('2028-01-01T00:00:00Z') }),
      fc.constantFrom(...zones),
      fc.constantFrom(...calendars),
      (at, timezone, skipCalendars) => {
        const rule = { timezone, skipCalendars }
        expect(whyFiringSkips(rule, at, context)?.reason ?? null).toBe(firingSkip(rule, at, index)?.reason ?? null)
      },
    ), { numRuns: 3000, examples: [[Date.parse('2026-12-25T10:30:00Z'), 'Pacific/Kiritimati', ['eve']], [Date.parse('2026-12-25T11:30:00Z'), 'Etc/GMT+12', ['eve']]] })
  })

  it('greys out the firings before the end of a pause, as the executor will, and none after it', () => {
    const answer = scheduleWindow([rule('paused', { pausedUntil: '2026-12-09T00:00:00.000Z' })], context, [], window('2026-12-07T00:00:00Z', '2026-12-11T00:00:00Z'))
    expect(answer.items.map(i => [i.at, i.skipped?.cause.kind])).toEqual([
      ['2026-12-07T18:00:00.000Z', 'pause'],
      ['2026-12-08T18:00:00.000Z', 'pause'],
      ['2026-12-09T18:00:00.000Z', undefined],
      ['2026-12-10T18:00:00.000Z', undefined],
    ])
    expect(answer.items[0]!.skipped!.reason).toBe('paused until 2026-12-09T00:00Z')
  })

  it('skips nothing for a rule without calendars', () => {
    expect(whyFiringSkips({ timezone: 'UTC' }, new Date('2026-12-24T12:00:00Z'), context)).toBeNull()
  })
})

describe('the preview of a rule before it is saved', () => {
  it('lists the next firings until `count` of them act, the skipped ones between them', () => {
    const items = nextFirings({ scheduleExpression: 'cron(0 8 * * ? *)', timezone: 'Europe/Berlin', skipCalendars: ['de-by'] }, context, 2, new Date('2026-12-24T12:00:00Z'))
    expect(items.map(i => [i.at.slice(0, 10), i.skipped?.cause.kind ?? 'runs'])).toEqual([
      ['2026-12-25', 'calendar'],
      ['2026-12-26', 'calendar'],
      ['2026-12-27', 'runs'],
      ['2026-12-28', 'runs'],
    ])
  })

  it('stops looking after `examined` firings when every one is skipped', () => {
    const items = nextFirings({ scheduleExpression: 'cron(0 8 24 12 ? *)', timezone: 'UTC', skipCalendars: ['eve'] }, context, 5, new Date('2026-01-01T00:00:00Z'), 3)
    expect(items.map(i => i.at.slice(0, 4))).toEqual(['2026', '2027', '2028'])
    expect(items.every(i => i.skipped)).toBe(true)
  })
})

describe('the schedule\'s query', () => {
  const NOW = new Date('2026-12-01T10:00:00Z')
  const parse = (q: Record<string, unknown>) => scheduleQuerySchema(NOW).safeParse(q)
  const issues = (q: Record<string, unknown>) => {
    const r = parse(q)
    return r.success ? [] : fieldIssuesOf(r.error).map(i => [i.path, i.code])
  }

  it('defaults to 31 days from now, reads dates as their start in UTC, and takes rules as a list or repeated', () => {
    expect(parse({}).data).toEqual({ from: NOW, to: new Date('2027-01-01T10:00:00Z'), rules: undefined })
    expect(parse({ from: '2026-12-01', to: '2026-12-08T00:00:00+01:00', rules: 'a, b,,a' }).data)
      .toEqual({ from: new Date('2026-12-01T00:00:00Z'), to: new Date('2026-12-07T23:00:00Z'), rules: ['a', 'b'] })
    expect(parse({ rules: ['a', 'b,c'] }).data?.rules).toEqual(['a', 'b', 'c'])
  })

  it('refuses a window over 62 days, one that ends before it starts, an unreadable instant and a bad rule name', () => {
    expect(issues({ from: '2026-12-01', to: '2027-02-01T00:00:01Z' })).toEqual([['to', 'window.tooLong']])
    expect(issues({ from: '2026-12-01', to: '2027-02-01' })).toEqual([])
    expect(issues({ from: '2026-12-08', to: '2026-12-01' })).toEqual([['to', 'window.order']])
    expect(issues({ from: 'next tuesday' })).toEqual([['from', 'window.instant']])
    expect(issues({ rules: 'ok,not ok' })).toEqual([['rules.1', 'rule.name.chars']])
  })

  it('takes a preview\'s expression, zone, calendars and count, and refuses what it cannot use', () => {
    expect(SchedulePreviewQuerySchema.parse({ expression: 'cron(0 8 * * ? *)', calendars: 'de-by,eve' }))
      .toEqual({ expression: 'cron(0 8 * * ? *)', timezone: 'UTC', calendars: ['de-by', 'eve'], count: 5 })
    const r = SchedulePreviewQuerySchema.safeParse({ expression: 'cron(0 8 * *)', timezone: 'Mars/Base', count: '99' })
    expect(r.success ? [] : fieldIssuesOf(r.error).map(i => [i.path, i.code])).toEqual([
      ['expression', 'schedule.cron.fields'], ['timezone', 'rule.timezone.unknown'], ['count', 'window.count'],
    ])
  })
})
