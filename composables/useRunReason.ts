// A run's reason for one resource in the UI's language (shared/run-reasons.ts says how).
import { sayRunReason } from '#shared/run-reasons'

export function useRunReason() {
  const { t, te, locale } = useI18n()
  return (text: string): string => sayRunReason(text, { t, te, separator: locale.value === 'zh-CN' ? '；' : '; ' })
}
