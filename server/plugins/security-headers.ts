// Security headers on every answer (set when the request starts, so assets and errors carry them too), and on
// each rendered page a CSP that allows exactly its own inline scripts (server/utils/http/security-headers.ts).
import { setResponseHeaders } from 'h3'
import { pageCsp, SECURITY_HEADERS } from '../utils/http/security-headers'

// The dev server's Vite client injects scripts and styles of its own: the CSPs are for built apps.
const { 'Content-Security-Policy': _csp, ...DEV_HEADERS } = SECURITY_HEADERS

export default defineNitroPlugin((nitroApp) => {
  nitroApp.hooks.hook('request', (event) => {
    setResponseHeaders(event, import.meta.dev ? DEV_HEADERS : SECURITY_HEADERS)
  })
  nitroApp.hooks.hook('render:response', (response) => {
    if (import.meta.dev) return
    const type = String(response.headers?.['content-type'] ?? '')
    if (!type.includes('text/html')) return
    const html = typeof response.body === 'string' ? response.body : null
    response.headers = { ...response.headers, 'content-security-policy': pageCsp(html) }
  })
})
