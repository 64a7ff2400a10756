// The guard on every URL the server calls on a user's behalf (SSRF): https only, and only public addresses, checked
// after DNS; the connection then goes to the very address checked (a custom lookup pins it, so a second DNS answer
// cannot swap in a private one: DNS rebinding), and no redirect is followed. `allowPrivate` (NUXT_NOTIFY_ALLOW_PRIVATE,
// for tests and the sandbox) lifts the https and address rules, but never the one on the cloud's metadata service.
import { lookup as dnsLookup } from 'node:dns/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { BlockList, isIP } from 'node:net'
import type { LookupFunction } from 'node:net'

/** Why an address is not called. */
export type BlockedKind = 'metadata' | 'loopback' | 'private' | 'link-local' | 'cgnat' | 'unique-local' | 'reserved'

const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254'])

const RANGES: [BlockedKind, string, number, 'ipv4' | 'ipv6'][] = [
  ['reserved', '0.0.0.0', 8, 'ipv4'],
  ['private', '10.0.0.0', 8, 'ipv4'],
  ['cgnat', '100.64.0.0', 10, 'ipv4'],
  ['loopback', '127.0.0.0', 8, 'ipv4'],
  ['link-local', '169.254.0.0', 16, 'ipv4'],
  ['private', '172.16.0.0', 12, 'ipv4'],
  ['reserved', '192.0.0.0', 24, 'ipv4'],
  ['private', '192.168.0.0', 16, 'ipv4'],
  ['reserved', '198.18.0.0', 15, 'ipv4'],
  ['reserved', '224.0.0.0', 4, 'ipv4'],
  ['reserved', '240.0.0.0', 4, 'ipv4'],
  ['reserved', '::', 128, 'ipv6'],
  ['loopback', '::1', 128, 'ipv6'],
  ['unique-local', 'fc00::', 7, 'ipv6'],
  ['link-local', 'fe80::', 10, 'ipv6'],
  ['reserved', 'ff00::', 8, 'ipv6'],
  // NAT64 maps IPv4 addresses, private ones included, into IPv6.
  ['reserved', '64:ff9b::', 96, 'ipv6'],
]

const LISTS = RANGES.map(([kind, net, prefix, type]) => {
  const list = new BlockList()
  list.addSubnet(net, prefix, type)
  return { kind, list, type }
})

/** What kind of address `ip` is when notifications must not call it, or undefined for a public one. */
export function blockedKind(ip: string): BlockedKind | undefined {
  let address = ip.toLowerCase().replace(/^\[|\]$/g, '')
  // An IPv4 address written as IPv6 (::ffff:10.0.0.1) is that IPv4 address.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)
  if (mapped) address = mapped[1]!
  const family = isIP(address)
  if (family === 0) return 'reserved'
  if (METADATA.has(address)) return 'metadata'
  if (family === 6 && /^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/.test(address)) return blockedKind(hexToV4(address))
  const type = family === 4 ? 'ipv4' : 'ipv6'
  return LISTS.find(l => l.type === type && l.list.check(address, type))?.kind
}

function hexToV4(address: string): string {
  const [hi, lo] = address.slice('::ffff:'.length).split(':').map(h => Number.parseInt(h, 16))
  return [hi! >> 8, hi! & 255, lo! >> 8, lo! & 255].join('.')
}

/** A URL the guard refuses; `code` is the issue code the API answers with, `params` its parameters. */
export class OutboundRefused extends Error {
  override name = 'OutboundRefused'
  constructor(readonly code: 'channel.url.https' | 'channel.url.private' | 'channel.url.resolve' | 'channel.url.invalid', readonly params: Record<string, string>, message: string) {
    super(message)
  }
}

export interface OutboundOptions {
  allowPrivate: boolean
  /** DNS, injectable for tests: every address of a host. */
  lookup?: (host: string) => Promise<{ address: string, family: number }[]>
}

/** A URL found safe to call, and the address the connection must go to. */
export interface CheckedUrl {
  url: URL
  address: string
  family: 4 | 6
}

const defaultLookup = (host: string) => dnsLookup(host, { all: true, verbatim: true })

/** Checks `raw` and resolves its host: every address it resolves to must be public. Throws OutboundRefused. */
export async function checkOutboundUrl(raw: string, options: OutboundOptions): Promise<CheckedUrl> {
  if (!URL.canParse(raw)) throw new OutboundRefused('channel.url.invalid', {}, 'not a URL')
  const url = new URL(raw)
  const scheme = url.protocol.slice(0, -1)
  if (scheme !== 'https' && !(options.allowPrivate && scheme === 'http')) throw new OutboundRefused('channel.url.https', { scheme }, `only https URLs are called (got ${scheme}:)`)
  const host = url.hostname.replace(/^\[|\]$/g, '')
  let addresses: { address: string, family: number }[]
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }]
  else {
    try {
      addresses = await (options.lookup ?? defaultLookup)(host)
    }
    catch {
      throw new OutboundRefused('channel.url.resolve', { host }, `the host ${host} does not resolve`)
    }
    if (addresses.length === 0) throw new OutboundRefused('channel.url.resolve', { host }, `the host ${host} does not resolve`)
  }
  for (const { address } of addresses) {
    const kind = blockedKind(address)
    if (kind && (kind === 'metadata' || !options.allowPrivate)) {
      throw new OutboundRefused('channel.url.private', { host, kind, address }, `${host} is ${kind} (${address}), which is never called`)
    }
  }
  const first = addresses[0]!
  return { url, address: first.address, family: first.family === 6 ? 6 : 4 }
}

export interface OutboundAnswer {
  status: number
  /** The start of the answer's body (at most `maxBody` characters). */
  body: string
}

export interface PostOptions extends OutboundOptions {
  headers: Record<string, string>
  body: string
  /** The whole request, connection included, must end within this time. */
  timeoutMs: number
  maxBody?: number
}

/** The lookup that answers the checked address only: the socket connects where the guard looked. */
function pinnedLookup(checked: CheckedUrl): LookupFunction {
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: { address: string, family: number }[]) => void)(null, [{ address: checked.address, family: checked.family }])
    else callback(null, checked.address, checked.family)
  }
}

/**
 * POSTs `body` to `raw` after the guard's check, to the checked address; a redirect is answered as it came (never
 * followed). Rejects on a refused URL (OutboundRefused), a network error or the timeout (an Error named TimeoutError).
 */
export async function postOutbound(raw: string, options: PostOptions): Promise<OutboundAnswer> {
  const checked = await checkOutboundUrl(raw, options)
  const send = checked.url.protocol === 'https:' ? httpsRequest : httpRequest
  const maxBody = options.maxBody ?? 1000
  return new Promise<OutboundAnswer>((resolve, reject) => {
    const signal = AbortSignal.timeout(options.timeoutMs)
    const req = send(checked.url, {
      method: 'POST',
      headers: { ...options.headers, 'content-length': String(Buffer.byteLength(options.body)) },
      lookup: pinnedLookup(checked),
      signal,
    }, (res) => {
      let text = ''
      const done = () => resolve({ status: res.statusCode ?? 0, body: text.slice(0, maxBody) })
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        text += chunk
        // Enough of the answer to record: the rest is not read (a receiver cannot make us download a large body).
        if (text.length >= maxBody) {
          done()
          res.destroy()
        }
      })
      res.on('end', done)
      res.on('error', reject)
    })
    req.on('error', (error) => {
      if (signal.aborted) {
        const timeout = new Error(`no answer within ${options.timeoutMs} ms`)
        timeout.name = 'TimeoutError'
        reject(timeout)
      }
      else reject(error)
    })
    req.end(options.body)
  })
}
