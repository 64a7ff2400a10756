// Vue I18n's own options. A missing message is reported in every build, not only in development, so that the
// browser tests, which run the built app, fail on one (test/e2e/helpers/browser.ts collects these warnings).
export default defineI18nConfig(() => ({
  missing: (locale: string, key: string) => {
    console.warn(`[i18n] missing message '${key}' in ${locale}`)
  },
}))
