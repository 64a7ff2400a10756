import { describe, expect, it } from 'vitest'
import { createPageCache, isPageRequest, pageKey } from '../../server/utils/http/page-cache'
import type { PageCache, PageRender } from '../../server/utils/http/page-cache'

const page = (body: string, status = 200) => ({ status, headers: { 'content-type': 'text/html' }, body })
const key = (generation: number, extra: Partial<Parameters<typeof pageKey>[0]> = {}) => pageKey({ path: '/', phone: false, generation, ...extra })

/** Asks for a key and expects to be the one that renders it. */
async function renderOf(cache: PageCache, k: string): Promise<PageRender> {
  const got = await cache.get(k)
  if (!('render' in got)) throw new Error('expected to render')
  return got.render
}
const bodyOf = async (p: ReturnType<PageCache['get']>) => {
  const got = await p
  return 'page' in got ? got.page.body : 'render'
}

describe('page cache', () => {
  it('serves a render again while it is fresh, and renders afresh once it has expired', async () => {
    let clock = 0
    const cache = createPageCache({ maxAgeMs: 1000, now: () => clock })
    ;(await renderOf(cache, key(0))).done(page('<p>one</p>'))
    clock = 1000
    expect(await bodyOf(cache.get(key(0)))).toBe('<p>one</p>')
    clock = 1001
    const refresh = await renderOf(cache, key(0))
    // While it renders again, the copy that has just expired is served, not waited on.
    expect(await bodyOf(cache.get(key(0)))).toBe('<p>one</p>')
    refresh.done(page('<p>two</p>'))
    expect(await bodyOf(cache.get(key(0)))).toBe('<p>two</p>')
  })

  it('serves no copy older than twice its maximum age, even while the page renders again', async () => {
    let clock = 0
    const cache = createPageCache({ maxAgeMs: 1000, now: () => clock })
    ;(await renderOf(cache, key(0))).done(page('old'))
    clock = 2001
    const render = await renderOf(cache, key(0))
    const waiting = bodyOf(cache.get(key(0)))
    render.done(page('new'))
    expect(await waiting).toBe('new')
  })

  it('never serves a copy from before a write: the store\'s generation is part of the key', async () => {
    const cache = createPageCache()
    ;(await renderOf(cache, key(0))).done(page('before'))
    expect(await bodyOf(cache.get(key(1)))).toBe('render')
  })

  it('keeps one copy per language, cookie and phone', () => {
    const keys = [key(0), key(0, { acceptLanguage: 'zh-CN' }), key(0, { cookie: 'ouroboros_locale=zh-CN' }), key(0, { phone: true }), key(0, { path: '/logs' })]
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('renders a page once for a burst of requests: the others get that render', async () => {
    const cache = createPageCache()
    const render = await renderOf(cache, key(0))
    const waiting = [bodyOf(cache.get(key(0))), bodyOf(cache.get(key(0)))]
    render.done(page('rendered once'))
    expect(await Promise.all(waiting)).toEqual(['rendered once', 'rendered once'])
  })

  it('hands an error page to the requests that waited, and keeps none', async () => {
    const cache = createPageCache()
    const render = await renderOf(cache, key(0))
    const waiting = bodyOf(cache.get(key(0)))
    render.done(page('oops', 500))
    expect(await waiting).toBe('oops')
    expect(cache.size()).toBe(0)
  })

  it('after a render ends with no answer, one waiting request renders and the others wait for it', async () => {
    const cache = createPageCache()
    const first = await renderOf(cache, key(0))
    const a = cache.get(key(0))
    const b = cache.get(key(0))
    first.abandon()
    const ga = await a
    if (!('render' in ga)) throw new Error('the first waiting request renders')
    ga.render.done(page('second'))
    expect(await bodyOf(b)).toBe('second')
  })

  it('an old render that ends late does not release the waiters of a newer one', async () => {
    let clock = 0
    const cache = createPageCache({ maxAgeMs: 10, now: () => clock })
    const old = await renderOf(cache, key(0))
    old.done(page('old'))
    clock = 21
    const newer = await renderOf(cache, key(0))
    const waiting = bodyOf(cache.get(key(0)))
    old.abandon()
    newer.done(page('newer'))
    expect(await waiting).toBe('newer')
  })

  it('drops the least recently used copy beyond its size', async () => {
    const cache = createPageCache({ maxEntries: 2 })
    for (const g of [1, 2]) (await renderOf(cache, key(g))).done(page(`g${g}`))
    expect(await bodyOf(cache.get(key(1)))).toBe('g1')
    ;(await renderOf(cache, key(3))).done(page('g3'))
    expect(cache.size()).toBe(2)
    expect(await bodyOf(cache.get(key(1)))).toBe('g1')
    expect(await bodyOf(cache.get(key(2)))).toBe('render')
  })

  it.each([
    ['GET', '/', true],
    ['GET', '/logs?rule=web', true],
    ['HEAD', '/audit', true],
    ['POST', '/', false],
    ['GET', '/api/rules', false],
    ['GET', '//API/rules', false],
    ['GET', '/_nuxt/entry.js', false],
    ['GET', '/_i18n/x/en/messages.json', false],
    ['GET', '/favicon.ico', false],
  ])('%s %s is a page request: %s', (method, path, expected) => {
    expect(isPageRequest(method, path)).toBe(expected)
  })
})
