// The SSRF guard on outbound URLs: which addresses are never called, https only, checked after DNS (injected here),
// and what NUXT_NOTIFY_ALLOW_PRIVATE lifts (everything but the metadata service).
import { describe, expect, it } from 'vitest'
import { blockedKind, checkOutboundUrl, OutboundRefused } from '../../server/utils/net/outbound'

describe('blockedKind', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.8.9.10', 'loopback'],
    ['::1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'metadata'],
    ['fd00:ec2::254', 'metadata'],
    ['169.254.10.1', 'link-local'],
    ['fe80::1', 'link-local'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.254', 'cgnat'],
    ['fd12:3456::1', 'unique-local'],
    ['fc00::1', 'unique-local'],
    ['0.0.0.0', 'reserved'],
    ['::', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'reserved'],
    ['not-an-ip', 'reserved'],
  ])('%s is %s', (ip, kind) => {
    expect(blockedKind(ip)).toBe(kind)
  })

  it.each(['8.8.8.8', '203.0.113.7', '172.32.0.1', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('%s is public', (ip) => {
    expect(blockedKind(ip)).toBeUndefined()
  })
})

const resolvingTo = (...addresses: string[]) => async () => addresses.map(address => ({ address, family: address.includes(':') ? 6 : 4 }))

async function refusal(url: string, options: Parameters<typeof checkOutboundUrl>[1]): Promise<OutboundRefused> {
  const error = await checkOutboundUrl(url, options).then(() => undefined, (e: unknown) => e)
  expect(error).toBeInstanceOf(OutboundRefused)
  return error as OutboundRefused
}

describe('checkOutboundUrl', () => {
  it('answers the address a public host resolves to, which the connection is then pinned to', async () => {
    const checked = await checkOutboundUrl('https://hooks.example.com/x', { allowPrivate: false, lookup: resolvingTo('203.0.113.9') })
    expect(checked).toMatchObject({ address: '203.0.113.9', family: 4 })
    expect(checked.url.hostname).toBe('hooks.example.com')
  })

  it('refuses http', async () => {
    expect((await refusal('http://hooks.example.com/x', { allowPrivate: false, lookup: resolvingTo('203.0.113.9') })).code).toBe('channel.url.https')
  })

  it('refuses a host when any of its addresses is private, after DNS', async () => {
    const e = await refusal('https://rebind.example.com/x', { allowPrivate: false, lookup: resolvingTo('203.0.113.9', '10.0.0.5') })
    expect(e.code).toBe('channel.url.private')
    expect(e.params).toMatchObject({ host: 'rebind.example.com', kind: 'private', address: '10.0.0.5' })
  })

  it.each([
    ['https://127.0.0.1/x', 'loopback'],
    ['https://[::1]/x', 'loopback'],
    ['https://169.254.169.254/latest/meta-data/', 'metadata'],
    ['https://[fd00:ec2::254]/x', 'metadata'],
  ])('refuses the literal address of %s', async (url, kind) => {
    expect((await refusal(url, { allowPrivate: false })).params.kind).toBe(kind)
  })

  it('refuses a host that does not resolve', async () => {
    const lookup = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })
    }
    expect((await refusal('https://nowhere.invalid/x', { allowPrivate: false, lookup })).code).toBe('channel.url.resolve')
  })

  it('with allowPrivate, calls loopback over http, but never the metadata service', async () => {
    await expect(checkOutboundUrl('http://127.0.0.1:8080/x', { allowPrivate: true })).resolves.toMatchObject({ address: '127.0.0.1' })
    expect((await refusal('http://169.254.169.254/x', { allowPrivate: true })).params.kind).toBe('metadata')
    expect((await refusal('https://meta.example.com/x', { allowPrivate: true, lookup: resolvingTo('169.254.169.254') })).params.kind).toBe('metadata')
  })
})
