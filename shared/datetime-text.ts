// Dates as the UI writes them, in English and Chinese, from wall-clock fields: the same text on the server and in the
// browser, and no Intl in the browser while a page loads. The first Intl.DateTimeFormat of a page makes Chromium load
// its date data: 25-90 ms on this machine, 4 times that on Lighthouse's phone, the longest task of the rules page
// (issue 13). The output is Intl.DateTimeFormat's for 'en' and 'zh-CN' with hourCycle h23 (test/unit/datetime-text.test.ts).
import type { LocalDateTime } from './schedule/timezone'

/** `dateTime` "Dec 1, 2026, 19:00"; `runTime` "Tue, Dec 1, 19:00"; `exact` "Dec 1, 2026, 19:00:52". */
export type DateTextStyle = 'dateTime' | 'runTime' | 'exact'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

const pad = (n: number) => String(n).padStart(2, '0')

/** The fields of `date` in the zone whose offset from UTC is `offsetMinutes` at that instant. */
export function wallClockWithOffset(date: Date, offsetMinutes: number): LocalDateTime {
  const d = new Date(date.getTime() + offsetMinutes * 60_000)
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() }
}

/** The fields of `date` in the runtime's own zone (the browser's): Date's local getters, which need no Intl. */
export function localWallClock(date: Date): LocalDateTime {
  return wallClockWithOffset(date, -date.getTimezoneOffset())
}

const ISO_LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/

/** The fields of an ISO 8601 time as written (`2026-12-01T19:00:00+01:00` is 19:00): the zone it was written in. */
export function wallClockAsWritten(iso: string): LocalDateTime | null {
  const m = ISO_LOCAL.exec(iso)
  if (!m) return null
  return { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]), hour: Number(m[4]), minute: Number(m[5]), second: Number(m[6] ?? 0) }
}

/** A wall-clock time as the UI writes it in `locale` ('zh-CN', or English for anything else). */
export function formatWallClock(w: LocalDateTime, style: DateTextStyle, locale: string): string {
  const time = style === 'exact' ? `${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}` : `${pad(w.hour)}:${pad(w.minute)}`
  const weekday = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay()
  if (locale === 'zh-CN') {
    return style === 'runTime'
      ? `${w.month}月${w.day}日${WEEKDAYS_ZH[weekday]} ${time}`
      : `${w.year}年${w.month}月${w.day}日 ${time}`
  }
  const month = MONTHS[w.month - 1]
  return style === 'runTime'
    ? `${WEEKDAYS_EN[weekday]}, ${month} ${w.day}, ${time}`
    : `${month} ${w.day}, ${w.year}, ${time}`
}
