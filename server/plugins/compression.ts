// gzip for rendered pages and API answers (server/utils/http/compress.ts), on the node-server build only: in Lambda,
// API Gateway's payload is text or base64 and the function does not compress (a CDN in front of it can).
import { getRequestHeader, getResponseHeader, setResponseHeader } from 'h3'
import { acceptsGzip, gzipText, MIN_COMPRESS_BYTES, textBody } from '../utils/http/compress'

export default defineNitroPlugin((nitroApp) => {
  if (import.meta.dev || process.env.AWS_LAMBDA_FUNCTION_NAME) return
  // beforeResponse runs after every handler, the page renderer included, and after render:response (where the page's
  // CSP is computed from its inline scripts), so what is compressed is the final body.
  nitroApp.hooks.hook('beforeResponse', (event, response) => {
    if (event.node.res.headersSent || getResponseHeader(event, 'content-encoding')) return
    // A cache between must keep one copy per Accept-Encoding, whatever this one took.
    if (!acceptsGzip(getRequestHeader(event, 'accept-encoding'))) {
      if (response.body !== undefined && !ArrayBuffer.isView(response.body)) setResponseHeader(event, 'vary', 'accept-encoding')
      return
    }
    const body = textBody(response.body)
    if (!body || Buffer.byteLength(body.text) < MIN_COMPRESS_BYTES) return
    setResponseHeader(event, 'vary', 'accept-encoding')
    if (body.json && !getResponseHeader(event, 'content-type')) setResponseHeader(event, 'content-type', 'application/json')
    setResponseHeader(event, 'content-encoding', 'gzip')
    // The page cache keeps the text, whichever of the two hooks runs first (server/plugins/page-cache.ts).
    event.context.uncompressedText = body.text
    response.body = gzipText(body.text)
  })
})
