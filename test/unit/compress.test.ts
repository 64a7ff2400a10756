import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { acceptsGzip, gzipText, textBody } from '../../server/utils/http/compress'
import { requestFromPhone } from '../../shared/phone'

describe('text compression', () => {
  it.each([
    ['gzip, deflate, br', true],
    ['br;q=1.0, gzip;q=0.8', true],
    ['*', true],
    ['gzip;q=0', false],
    ['br', false],
    [undefined, false],
  ])('Accept-Encoding %s takes gzip: %s', (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected)
  })

  it('compresses a page or an API answer as the text h3 would send, and leaves anything else alone', () => {
    expect(textBody('<p>hi</p>')).toEqual({ text: '<p>hi</p>', json: false })
    expect(textBody({ items: [1] })).toEqual({ text: '{"items":[1]}', json: true })
    expect(textBody([1, 2])).toEqual({ text: '[1,2]', json: true })
    for (const other of [Buffer.from('x'), new Error('x'), new Map(), null, undefined, 42]) expect(textBody(other)).toBeUndefined()
    expect(gunzipSync(gzipText('héllo')).toString()).toBe('héllo')
  })
})

describe('requestFromPhone', () => {
  it.each([
    [{ 'sec-ch-ua-mobile': '?1' }, true],
    [{ 'sec-ch-ua-mobile': '?0', 'user-agent': 'Mobile' }, false],
    [{ 'user-agent': 'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130 Mobile Safari/537.36' }, true],
    [{ 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148' }, true],
    [{ 'user-agent': 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/130 Safari/537.36' }, false],
    [{ 'user-agent': 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/130 Safari/537.36' }, false],
    [{}, false],
  ])('%o is a phone: %s', (headers, expected) => {
    expect(requestFromPhone(headers)).toBe(expected)
  })
})
