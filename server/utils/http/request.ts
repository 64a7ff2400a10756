// Facts about an incoming request that access control and the audit trail both read.
import { isIP } from 'node:net'
import { getRequestHeader } from 'h3'
import type { H3Event } from 'h3'

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Whether `method` only reads: GET, HEAD or OPTIONS. Everything else changes something. */
export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method.toUpperCase())
}

/** The last X-Forwarded-For entry, the one the nearest proxy added, if it is an address. */
function lastForwarded(event: H3Event): string | undefined {
  const last = getRequestHeader(event, 'x-forwarded-for')?.split(',').at(-1)?.trim()
  return last && isIP(last) ? last : undefined
}

/** The client's address: the socket's, or with `trustProxy` the last X-Forwarded-For entry (the one the proxy added). */
export function clientIp(event: H3Event, trustProxy: boolean): string {
  const forwarded = lastForwarded(event)
  if (trustProxy && forwarded) return forwarded
  const address = event.node?.req?.socket?.remoteAddress
  if (address && isIP(address)) return address
  // `nuxt dev` runs the server in a worker behind its own proxy, over a socket with no address; the proxy says who
  // the client is in X-Forwarded-For. Only in development: elsewhere the header is the client's own word.
  if (import.meta.dev && forwarded) return forwarded
  return 'unknown'
}
