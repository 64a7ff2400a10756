// Serves a page from the page cache (server/utils/http/page-cache.ts) when a copy is fresh, or the answer of the render
// of the same page that another request started; otherwise this request renders, and its answer is kept and handed
// on by server/plugins/page-cache.ts.
import { getRequestHeader, setResponseHeader, setResponseStatus } from 'h3'
import { requestFromPhone } from '#shared/phone'
import { isPageRequest, pageKey, usePageCache } from '../utils/http/page-cache'
import { useServices } from '../utils/services'

export default defineEventHandler(async (event) => {
  if (import.meta.dev || !isPageRequest(event.method, event.path)) return
  const { store } = await useServices()
  // Only a store this process alone writes tells when a copy is stale.
  if (!store.writes) return
  const header = (name: string) => getRequestHeader(event, name)
  const key = pageKey({
    path: event.path,
    cookie: header('cookie'),
    acceptLanguage: header('accept-language'),
    phone: requestFromPhone({ 'sec-ch-ua-mobile': header('sec-ch-ua-mobile'), 'user-agent': header('user-agent') }),
    generation: store.writes.generation(),
  })
  const got = await usePageCache().get(key)
  if ('page' in got) {
    for (const [name, value] of Object.entries(got.page.headers)) setResponseHeader(event, name, value)
    setResponseStatus(event, got.page.status)
    return got.page.body
  }
  event.context.pageRender = got.render
  // A render that ends without an answer (a closed connection) releases the requests waiting on it; once it has
  // answered, this does nothing.
  event.node.res.once('close', () => got.render.abandon())
})
