// A schedule expression in words, in the UI's language (the shared describeSchedule speaks English and Chinese).
import { describeSchedule } from '#shared/schedule'

export function useScheduleText() {
  const { locale } = useI18n()
  /** The expression in words, or '' when it is not valid. */
  return function describe(expr: string): string {
    try {
      return describeSchedule(expr, locale.value === 'zh-CN' ? 'zh-CN' : 'en')
    }
    catch {
      return ''
    }
  }
}
