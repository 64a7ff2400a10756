// The rendered pages, kept for a few seconds and served again to the same kind of request while the data they show
// has not changed (issue 13: 200 clients on the rules page timed out; a render costs tens of ms, a copy almost none).
//
// Correct because of what a page depends on. The server renders every page read-only (the API key lives in the
// browser and is never sent with a page request), so a page is the same for everyone who asks for it the same way:
// its URL, the cookies (language, time zone), Accept-Language, and whether the request comes from a phone. The data
// it shows is this process's store, and the key carries the store's write generation (`Store.writes`): any write
// makes every earlier copy unreachable. Only the embedded store has that generation (this process is its only
// writer); on DynamoDB, which other processes write, nothing is cached. Copies also expire after MAX_AGE_MS, as a
// page's next runs are "from now".

/** How long a copy may be served after its render. */
export const PAGE_CACHE_MAX_AGE_MS = 5_000
/** At most this many copies (a page per language, phone or not, and cookie set), the oldest dropped first. */
export const PAGE_CACHE_MAX_ENTRIES = 200

export interface CachedPage {
  status: number
  headers: Record<string, string | string[]>
  body: string
  at: number
}

export interface PageKeyParts {
  path: string
  cookie?: string
  acceptLanguage?: string
  phone: boolean
  generation: number
}

export function pageKey(p: PageKeyParts): string {
  return JSON.stringify([p.generation, p.path, p.cookie ?? '', p.acceptLanguage ?? '', p.phone])
}

/** The render of one request, which only settles its own slot (a later render of the same key has its own). */
export interface PageRender {
  /** Hands the answer to the requests that waited for it, and keeps it if it is a 200 page. */
  done: (page: Omit<CachedPage, 'at'>) => void
  /** Ends a render with no answer to hand on (a closed connection): the requests that waited ask again. */
  abandon: () => void
}

/** A small LRU of rendered pages, with the renders in flight, so that a burst of one page renders it once. */
export function createPageCache(options: { maxAgeMs?: number, maxEntries?: number, now?: () => number } = {}) {
  const maxAgeMs = options.maxAgeMs ?? PAGE_CACHE_MAX_AGE_MS
  const maxEntries = options.maxEntries ?? PAGE_CACHE_MAX_ENTRIES
  const now = options.now ?? Date.now
  const pages = new Map<string, CachedPage>()
  const inFlight = new Map<string, Promise<CachedPage | undefined>>()

  /** The copy of `key` and how old it is; a copy older than twice the maximum age is dropped. */
  function copy(key: string): { page: CachedPage, age: number } | undefined {
    const page = pages.get(key)
    if (!page) return undefined
    const age = now() - page.at
    if (age > 2 * maxAgeMs) {
      pages.delete(key)
      return undefined
    }
    // Most recently used last, so that the first key is the one to drop.
    pages.delete(key)
    pages.set(key, page)
    return { page, age }
  }

  return {
    /**
     * A fresh copy, or the answer of another request's render of the same key (waited for); otherwise the caller
     * renders, with the handle answered, and must end it with `done` or `abandon`.
     */
    async get(key: string): Promise<{ page: CachedPage } | { render: PageRender }> {
      for (;;) {
        const known = copy(key)
        if (known && known.age <= maxAgeMs) return { page: known.page }
        const pending = inFlight.get(key)
        if (!pending) break
        // A copy that has just expired is still served while its next render is under way (one render's time, so
        // that an expiry does not hold every request of the page): never one from before a write, which has another key.
        if (known) return { page: known.page }
        const answer = await pending
        if (answer) return { page: answer }
      }
      let settle!: (page: CachedPage | undefined) => void
      const slot = new Promise<CachedPage | undefined>((ok) => {
        settle = ok
      })
      inFlight.set(key, slot)
      let settled = false
      const finish = (page: CachedPage | undefined) => {
        if (settled) return
        settled = true
        if (inFlight.get(key) === slot) inFlight.delete(key)
        settle(page)
      }
      return {
        render: {
          done(page) {
            const answer = { ...page, at: now() }
            if (page.status === 200) {
              pages.set(key, answer)
              while (pages.size > maxEntries) pages.delete(pages.keys().next().value!)
            }
            finish(answer)
          },
          abandon: () => finish(undefined),
        },
      }
    },
    size: () => pages.size,
  }
}

export type PageCache = ReturnType<typeof createPageCache>

let shared: PageCache | undefined
/** The process's page cache. */
export function usePageCache(): PageCache {
  shared ??= createPageCache()
  return shared
}

/** Response headers that are per answer, not per page: the compression step sets them again for each request. */
export const PER_ANSWER_HEADERS = new Set(['content-length', 'content-encoding', 'vary', 'date'])

/** True for a request of a page: a GET of a path that is not the API, Nuxt's own (/_nuxt, /_i18n …) or a file. */
export function isPageRequest(method: string, path: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false
  const pathname = path.split('?')[0]!.replace(/\/{2,}/g, '/').toLowerCase()
  if (pathname === '/api' || pathname.startsWith('/api/') || pathname.startsWith('/_')) return false
  return !/\.[a-z0-9]+$/.test(pathname)
}
