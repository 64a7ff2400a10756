import { describe, expect, it } from 'vitest'
import { createPageCache, isPageRequest, pageKey } from '../../server/utils/http/page-cache'

const page = (body: string, status = 200) => ({ status, headers: { 'content-type': 'text/html' }, body })
const key = (generation: number, extra: Partial<Parameters<typeof pageKey>[0]> = {}) => pageKey({ path: '/', phone: false, generation, ...extra })

describe('page cache', () => {
  it('serves a render again while it is fresh, and renders afresh once it has expired', async () => {
    let clock = 0
    const cache = createPageCache({ maxAgeMs: 1000, now: () => clock })
    expect(await cache.get(key(0))).toBeUndefined()
    cache.store(key(0), page('<p>one</p>'))
    clock = 1000
    expect((await cache.get(key(0)))?.body).toBe('<p>one</p>')
    clock = 1001
    expect(await cache.get(key(0))).toBeUndefined()
  })

  it('never serves a copy from before a write: the store\'s generation is part of the key', async () => {
    const cache = createPageCache()
    await cache.get(key(0))
    cache.store(key(0), page('before'))
    expect(await cache.get(key(1))).toBeUndefined()
  })

  it('keeps one copy per language, cookie and phone', () => {
    const keys = [key(0), key(0, { acceptLanguage: 'zh-CN' }), key(0, { cookie: 'ouroboros_locale=zh-CN' }), key(0, { phone: true }), key(0, { path: '/logs' })]
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('renders a page once for a burst of requests: the others wait for that render', async () => {
    const cache = createPageCache()
    expect(await cache.get(key(0))).toBeUndefined()
    const waiting = [cache.get(key(0)), cache.get(key(0))]
    cache.store(key(0), page('rendered once'))
    expect((await Promise.all(waiting)).map(p => p?.body)).toEqual(['rendered once', 'rendered once'])
  })

  it('keeps no error page, and lets the requests that waited render for themselves', async () => {
    const cache = createPageCache()
    await cache.get(key(0))
    const waiting = cache.get(key(0))
    cache.store(key(0), page('oops', 500))
    expect(await waiting).toBeUndefined()
    expect(cache.size()).toBe(0)
    // A render abandoned without an answer (a closed connection) releases them too.
    await cache.get(key(0))
    const again = cache.get(key(0))
    cache.abandon(key(0))
    expect(await again).toBeUndefined()
  })

  it('drops the least recently used copy beyond its size', async () => {
    const cache = createPageCache({ maxEntries: 2 })
    for (const g of [1, 2]) {
      await cache.get(key(g))
      cache.store(key(g), page(`g${g}`))
    }
    expect((await cache.get(key(1)))?.body).toBe('g1')
    await cache.get(key(3))
    cache.store(key(3), page('g3'))
    expect(cache.size()).toBe(2)
    expect((await cache.get(key(1)))?.body).toBe('g1')
    expect(await cache.get(key(2))).toBeUndefined()
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
