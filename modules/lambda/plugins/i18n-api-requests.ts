// Lambda build only: keeps @nuxtjs/i18n from setting up its per-request context for API calls.
// Its server plugin prepares a translation context (locale options, configs) on every request, and the API never
// reads it: its answers are JSON, and its messages are English by design. On a cold start that is time spent
// before the first API answer. Pages, and i18n's own message route, still get the context as before.
import { patchDependency } from './patch-dependency'

export const I18N_API_REQUESTS = {
  name: 'i18n-api-requests',
  pkg: '@nuxtjs/i18n',
  file: /\/@nuxtjs\/i18n\/dist\/runtime\/server\/plugin\.js$/,
  find: 'nitro.hooks.hook("request", async (event) => {\n    await initializeI18nContext(event);\n  });',
  replace: 'nitro.hooks.hook("request", async (event) => {\n    if (event.path.startsWith("/api/")) return;\n    await initializeI18nContext(event);\n  });',
}

export const i18nSkipsApiRequests = () => patchDependency(I18N_API_REQUESTS)
