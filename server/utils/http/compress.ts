// Text compression of a rendered page or an API answer, when the client accepts it (issue 13: Lighthouse counted
// 413 KiB that went uncompressed). Static assets are compressed at build time instead (nitro.compressPublicAssets).

/** Smaller answers gain too little to be worth the CPU (and gzip's own 20 bytes). */
export const MIN_COMPRESS_BYTES = 1024

/** True when the request's Accept-Encoding takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false
  return acceptEncoding.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';')
    if (coding !== 'gzip' && coding !== '*') return false
    const q = params.map(p => p.trim()).find(p => p.startsWith('q='))
    return q === undefined || Number(q.slice(2)) > 0
  })
}

/**
 * The body as text, for an answer h3 would send as text: a string (a rendered page) or a plain object or array
 * (an API answer, which h3 would send as JSON). Anything else (a buffer, a stream, an error) answers undefined.
 */
export function textBody(body: unknown): { text: string, json: boolean } | undefined {
  if (typeof body === 'string') return { text: body, json: false }
  if (body === null || typeof body !== 'object' || body instanceof Error || ArrayBuffer.isView(body)) return undefined
  const proto = Object.getPrototypeOf(body)
  if (!Array.isArray(body) && proto !== Object.prototype && proto !== null) return undefined
  return { text: JSON.stringify(body), json: true }
}

/**
 * gzip at level 6 (zlib's default): a 60 KiB page takes about a millisecond. Brotli would save a few more bytes,
 * but browsers offer it only over HTTPS, and this server speaks HTTP behind whatever terminates TLS.
 */
export function gzipText(text: string): Buffer {
  // zlib is loaded on the first answer big enough to compress, not at import: a Lambda cold start that answers a
  // small JSON list (issue 12's benchmark) would otherwise load it for nothing.
  return process.getBuiltinModule('node:zlib').gzipSync(text, { level: 6 })
}
