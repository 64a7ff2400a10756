// Keeps the render of a page request that the page-cache middleware marked (server/utils/http/page-cache.ts).
import { PER_ANSWER_HEADERS, usePageCache } from '../utils/http/page-cache'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    const key = event.context.pageCacheKey as string | undefined
    if (!key) return
    event.context.pageCacheKey = undefined
    const cache = usePageCache()
    // The compression hook may have run first: it leaves the text it compressed in the context.
    const body = typeof response.body === 'string' ? response.body : event.context.uncompressedText as string | undefined
    const type = String(event.node.res.getHeader('content-type') ?? '')
    if (body === undefined || !type.includes('text/html')) return cache.abandon(key)
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(event.node.res.getHeaders())) {
      if (value !== undefined && !PER_ANSWER_HEADERS.has(name)) headers[name] = typeof value === 'number' ? String(value) : value
    }
    cache.store(key, { status: event.node.res.statusCode, headers, body })
  })
})
