// Internal links as plain <a href> on the parts of every page load that hydrate at once (the header): a <NuxtLink> is
// a component of its own that resolves its route as it hydrates, and the header's nine were about a seventh of the
// rules page's hydration on a phone (4x-throttled CPU profile, issue 13). These navigate in the app as NuxtLink
// does, and load the page's code on hover or focus as prefetch-on="interaction" did.
export function usePlainLink() {
  const route = useRoute()
  const href = (e: Event) => (e.currentTarget as HTMLAnchorElement).getAttribute('href') ?? '/'
  return {
    /** A click that the browser would follow in this tab: navigate in the app instead. */
    follow(e: MouseEvent) {
      if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return
      e.preventDefault()
      void navigateTo(href(e))
    },
    /** Loads the linked page's code ahead of a click. */
    preload(e: Event) {
      void preloadRouteComponents(href(e))
    },
    /** aria-current for a link to `to`: 'page' on the page it leads to. */
    current: (to: string) => (route.path === to ? 'page' as const : undefined),
  }
}
