// Lambda build only: a Rollup plugin that keeps @nuxtjs/i18n from setting up its per-request context for API calls.
// Its server plugin prepares a translation context (locale options, configs) on every request, and the API never
// reads it: its answers are JSON, and its messages are English by design. On a cold start that is time spent
// before the first API answer. Pages, and i18n's own message route, still get the context as before.
const I18N_SERVER_PLUGIN = /\/@nuxtjs\/i18n\/dist\/runtime\/server\/plugin\.js$/
const HOOK = 'nitro.hooks.hook("request", async (event) => {\n    await initializeI18nContext(event);\n  });'
const API_SKIPPING_HOOK = 'nitro.hooks.hook("request", async (event) => {\n    if (event.path.startsWith("/api/")) return;\n    await initializeI18nContext(event);\n  });'

export function i18nSkipsApiRequests() {
  return {
    name: 'ouroboros:i18n-skips-api-requests',
    transform(code: string, id: string) {
      if (!I18N_SERVER_PLUGIN.test(id)) return null
      // A new @nuxtjs/i18n that words the hook differently must be looked at again, not silently left as it is.
      if (!code.includes(HOOK)) throw new Error(`i18n-api-requests: @nuxtjs/i18n's request hook changed (${id}); see infra/lambda/i18n-api-requests.ts`)
      return { code: code.replace(HOOK, API_SKIPPING_HOOK), map: null }
    },
  }
}
