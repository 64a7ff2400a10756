// Keeps the render of a page request that the page-cache middleware let through (server/utils/http/page-cache.ts),
// and hands it to the requests for the same page that waited.
import type { PageRender } from '../utils/http/page-cache'
import { PER_ANSWER_HEADERS } from '../utils/http/page-cache'

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    const render = event.context.pageRender as PageRender | undefined
    if (!render) return
    event.context.pageRender = undefined
    // The compression hook may have run first: it leaves the text it compressed in the context.
    const body = typeof response.body === 'string' ? response.body : event.context.uncompressedText as string | undefined
    const type = String(event.node.res.getHeader('content-type') ?? '')
    if (body === undefined || !type.includes('text/html')) return render.abandon()
    const headers: Record<string, string | string[]> = {}
    for (const [name, value] of Object.entries(event.node.res.getHeaders())) {
      if (value !== undefined && !PER_ANSWER_HEADERS.has(name)) headers[name] = typeof value === 'number' ? String(value) : value
    }
    render.done({ status: event.node.res.statusCode, headers, body })
  })
})
