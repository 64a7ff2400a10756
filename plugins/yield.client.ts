// The app's start in the browser in three tasks, not one: the scripts' evaluation, the plugins, then the hydration
// (see composables/yieldWhileHydrating.ts). Before Nuxt's own plugins (they run from order -30).
export default defineNuxtPlugin({
  name: 'ouroboros:yield',
  order: -100,
  async setup(nuxtApp) {
    nuxtApp.hook('app:beforeMount', nextTask)
    await nextTask()
  },
})
