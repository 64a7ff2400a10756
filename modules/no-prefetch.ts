// The browser downloads only what the page it shows needs: no prefetch hint for the app's other chunks.
// Nuxt adds a <link rel="prefetch"> for every dynamic chunk of the app (every page, every lazy component, the rule
// dialog and its zod schemas): on the rules page that was 40 hints and 383 KiB that a phone on a slow network fetched
// while the page loaded (Lighthouse, issue 13). The chunks the server rendered keep their modulepreload, and a link
// still prefetches its page's code when it is hovered or focused (prefetch-on="interaction").
import { defineNuxtModule } from 'nuxt/kit'

export default defineNuxtModule({
  meta: { name: 'ouroboros:no-prefetch' },
  setup(_options, nuxt) {
    nuxt.hook('build:manifest', (manifest) => {
      for (const chunk of Object.values(manifest)) chunk.prefetch = false
    })
  },
})
