// A schedule expression in words, in the UI's language: English from the shared describeSchedule, and
// Simplified Chinese written here from the same parsed spec (falling back to English for rare shapes).
import { describeSchedule, parseScheduleExpression } from '#shared/schedule'
import type { DayOfMonthRule, DayOfWeekRule, ScheduleSpec } from '#shared/schedule'

type CronSpec = Extract<ScheduleSpec, { kind: 'cron' }>

const WEEKDAYS = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
const UNITS = { minute: '分钟', hour: '小时', day: '天' } as const
const pad = (n: number) => String(n).padStart(2, '0')
const clock = (h: number, m: number) => `${pad(h)}:${pad(m)}`
const weekday = (d: number) => WEEKDAYS[d - 1] ?? `第 ${d} 天`
const contiguous = (v: number[]) => v.every((x, i) => i === 0 || x === v[i - 1]! + 1)
const step = (v: number[]) => (v.length >= 2 && v.every((x, i) => x === v[0]! + i * (v[1]! - v[0]!)) ? v[1]! - v[0]! : null)
const list = (v: number[], name: (n: number) => string) => (v.length >= 3 && contiguous(v) ? `${name(v[0]!)}至${name(v.at(-1)!)}` : v.map(name).join('、'))

function zhTime(spec: CronSpec): string | null {
  const { minutes, hours } = spec
  if (minutes.length * hours.length <= 6) return hours.flatMap(h => minutes.map(m => clock(h, m))).join('、')
  const during = hours.length === 24 ? '' : contiguous(hours) ? `${clock(hours[0]!, minutes[0]!)} 至 ${clock(hours.at(-1)!, minutes.at(-1)!)} 之间` : null
  if (during === null) return null
  if (minutes.length === 60) return `${during}每分钟`
  const s = step(minutes)
  if (minutes[0] === 0 && s !== null && 60 % s === 0 && minutes.length === 60 / s) return `${during}每 ${s} 分钟`
  if (minutes.length === 1 && hours.length === 24) return minutes[0] === 0 ? '每小时整点' : `每小时第 ${minutes[0]} 分钟`
  return null
}

function zhDayOfMonth(rule: DayOfMonthRule): string {
  switch (rule.kind) {
    case 'days': return rule.days.length === 31 ? '每天' : `每月 ${list(rule.days, String)} 日`
    case 'last': return '每月最后一天'
    case 'lastWeekday': return '每月最后一个工作日'
    case 'nearestWeekday': return `每月最接近 ${rule.day} 日的工作日`
  }
}

function zhDayOfWeek(rule: DayOfWeekRule): string {
  switch (rule.kind) {
    case 'days': return rule.days.length === 7 ? '每天' : `每${list(rule.days, weekday)}`
    case 'last': return `每月最后一个${weekday(rule.day)}`
    case 'nth': return `每月第 ${rule.nth} 个${weekday(rule.day)}`
  }
}

function zhCron(spec: CronSpec): string | null {
  const time = zhTime(spec)
  // Year limits are rare: English says them precisely.
  if (time === null || spec.fields.year !== '*') return null
  const days = spec.dayOfMonth ? zhDayOfMonth(spec.dayOfMonth) : spec.dayOfWeek ? zhDayOfWeek(spec.dayOfWeek) : ''
  const months = spec.months.length === 12 ? '' : `${list(spec.months, String)} 月`
  // "Every 15 minutes" already means every day.
  const repeating = time.includes('每')
  const when = [repeating && days === '每天' ? '' : days, time].filter(Boolean).join(' ')
  return months ? `${months}，${when}` : when
}

/** Chinese wording of a valid expression, or null when only the English one says it well. */
export function describeScheduleZh(expr: string): string | null {
  const spec = parseScheduleExpression(expr)
  switch (spec.kind) {
    case 'rate': return spec.value === 1 ? `每${UNITS[spec.unit]}` : `每 ${spec.value} ${UNITS[spec.unit]}`
    case 'at': {
      const l = spec.local
      return `仅一次：${l.year}-${pad(l.month)}-${pad(l.day)} ${clock(l.hour, l.minute)}`
    }
    case 'cron': return zhCron(spec)
  }
}

export function useScheduleText() {
  const { locale } = useI18n()
  /** The expression in words, or '' when it is not valid. */
  return function describe(expr: string): string {
    try {
      return (locale.value === 'zh-CN' ? describeScheduleZh(expr) : null) ?? describeSchedule(expr)
    }
    catch {
      return ''
    }
  }
}
