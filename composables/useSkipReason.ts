// Why a firing will do nothing, in the UI's language, from the cause the schedule answers (a holiday's Chinese name
// where the data has one); the server's English reason for a cause the UI does not know yet.
import type { FiringSkipped } from '#shared/schemas/schedule'

export function useSkipReason() {
  const { t, locale } = useI18n()
  const { exact } = useTimeFormat()
  return (skipped: FiringSkipped): string => {
    const cause = skipped.cause
    if (cause?.kind === 'pause') return t('calendarView.reasonPaused', { until: exact(cause.until) })
    if (cause?.kind === 'calendar') {
      const label = locale.value === 'zh-CN' && cause.names?.some(n => n.zh)
        ? cause.names.map(n => n.zh ?? n.en).join('、')
        : cause.label
      return t('calendarView.reasonCalendar', { date: cause.date, label, calendar: cause.calendar })
    }
    if (cause?.kind === 'missingCalendar') return t('calendarView.reasonMissing', { calendars: cause.calendars.join(', ') })
    return skipped.reason
  }
}
