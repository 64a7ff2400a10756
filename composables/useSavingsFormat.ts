// How savings read: hours to a tenth ("12.5 h"), money in its currency to the cent; the savings page, the rule
// preview's projection and the rules list's column all say them the same way.
export function useSavingsFormat() {
  const { t, locale } = useI18n()
  const hours = (n: number) => t('savings.hoursValue', { n: n.toLocaleString(locale.value, { maximumFractionDigits: 1 }) })
  const money = (n: number, currency: string) => n.toLocaleString(locale.value, { style: 'currency', currency, maximumFractionDigits: 2 })
  return { hours, money }
}
