// A run's outcomes cut into a header and pages: every item under its size, every target kept once, in order.
import { describe, expect, it } from 'vitest'
import type { LogEntry, LogTarget, TargetOutcome } from '../../shared/schemas/log'
import { countTargets } from '../../server/utils/executor/summary'
import {
  chunkTargets, countsBy, decodeTargetCursor, encodeTargetCursor, jsonBytes, matchingTotal, MAX_HEADER_BYTES, pageMayMatch,
  PAGE_MAX_BYTES, PAGE_MAX_TARGETS, SHARED, targetPageKey, splitTargets,
} from '../../server/utils/log-pages'
import { InvalidCursor } from '../../server/utils/errors'

const OUTCOMES: TargetOutcome[] = ['stopped', 'skipped', 'failed']
const target = (i: number, region = 'us-east-1', extra: Partial<LogTarget> = {}): LogTarget => ({
  instanceId: `i-${String(i).padStart(17, '0')}`, region, name: `web-${i}`, instanceType: 't3.micro',
  stateBefore: 'running', stateAfter: 'stopped', outcome: OUTCOMES[i % 3]!, ...extra,
})
const entry = (targets: LogTarget[]): LogEntry => ({
  eventId: 'evt-1', ruleName: 'r', trigger: 'manual', scheduledTime: null, startedAt: '2026-12-01T19:00:00.000Z',
  finishedAt: '2026-12-01T19:01:00.000Z', action: 'stop', accountId: '111111111111', regions: ['us-east-1', 'eu-west-1'],
  filters: [], status: 'partial', targets, counts: countTargets(targets),
})
const headerOf = (e: LogEntry) => (inline: LogTarget[], pages: unknown[]) => ({ ...e, targets: inline, countsBy: countsBy(e), targetPages: pages })
const split = (e: LogEntry) => splitTargets(e, headerOf(e))

describe('chunk', () => {
  it('cuts at the number of targets a page takes', () => {
    const chunks = chunkTargets(Array.from({ length: PAGE_MAX_TARGETS * 2 + 1 }, (_, i) => target(i)))
    expect(chunks.map(c => c.length)).toEqual([PAGE_MAX_TARGETS, PAGE_MAX_TARGETS, 1])
  })

  it('cuts before a page would pass its size, and a page holds its targets as JSON within it', () => {
    const big = Array.from({ length: 40 }, (_, i) => target(i, 'us-east-1', { error: 'x'.repeat(5_000) }))
    const chunks = chunkTargets(big)
    expect(chunks.length).toBeGreaterThan(1)
    for (const c of chunks) expect(jsonBytes(c)).toBeLessThanOrEqual(PAGE_MAX_BYTES)
    // Each page but the last is full: one more target would not have fitted.
    for (const c of chunks.slice(0, -1)) expect(jsonBytes([...c, big[0]])).toBeGreaterThan(PAGE_MAX_BYTES)
    expect(chunks.flat()).toEqual(big)
  })

  it('fills a page to exactly its size, and starts another one byte beyond', () => {
    const one = target(1)
    const size = jsonBytes([one, one])
    expect(chunkTargets([one, one], size).length).toBe(1)
    expect(chunkTargets([one, one], size - 1).length).toBe(2)
  })

  it('keeps a target larger than a page alone on its own page', () => {
    const huge = target(1, 'us-east-1', { error: 'y'.repeat(PAGE_MAX_BYTES) })
    expect(chunkTargets([target(0), huge, target(2)]).map(c => c.length)).toEqual([1, 1, 1])
  })
})

describe('splitTargets', () => {
  it('keeps a run that fits one page in its header, as before', () => {
    const e = entry(Array.from({ length: 30 }, (_, i) => target(i, i % 2 ? 'eu-west-1' : 'us-east-1')))
    expect(split(e)).toEqual({ inline: e.targets, pages: [] })
  })

  it('puts 3,000 outcomes over two regions in pages of one account-region each, every one kept once, in order', () => {
    const targets = Array.from({ length: 3000 }, (_, i) => target(i, i < 1800 ? 'us-east-1' : 'eu-west-1'))
    const e = entry(targets)
    const { inline, pages } = split(e)
    const all = [...inline, ...pages.flatMap(p => p.targets)]
    expect(all).toEqual(targets)
    expect(inline).toHaveLength(PAGE_MAX_TARGETS)
    // us-east-1's 1,800 in pages 0 (the header's) to 8, eu-west-1's 1,200 in pages 0 to 5, each full.
    const east = Math.ceil(1800 / PAGE_MAX_TARGETS)
    const west = Math.ceil(1200 / PAGE_MAX_TARGETS)
    expect(pages.map(p => [p.ref.region, p.ref.page])).toEqual([
      ...Array.from({ length: east - 1 }, (_, i) => ['us-east-1', i + 1]),
      ...Array.from({ length: west }, (_, i) => ['eu-west-1', i]),
    ])
    expect(pages.reduce((n, p) => n + p.ref.count, inline.length)).toBe(3000)
    for (const p of pages) {
      expect(p.targets.every(t => t.region === p.ref.region)).toBe(true)
      expect(p.ref.outcomes).toEqual(countTargetsBy(p.targets))
      expect(jsonBytes({ eventId: targetPageKey('evt-1', 'w', p.ref), targets: p.targets, expiresAt: 1 })).toBeLessThan(PAGE_MAX_BYTES + 1_000)
    }
    expect(jsonBytes(headerOf(e)(inline, pages.map(p => p.ref)))).toBeLessThanOrEqual(MAX_HEADER_BYTES)
  })

  it('groups by each target\'s own account when a run spans accounts', () => {
    const targets = Array.from({ length: 2 * PAGE_MAX_TARGETS + 20 }, (_, i) => target(i, 'us-east-1', i % 2 ? { accountId: '222222222222' } : {}))
    const { inline, pages } = split(entry(targets))
    const accounts = [...new Set(inline.map(t => t.accountId))]
    expect(accounts).toEqual([undefined])
    // Each account's PAGE_MAX_TARGETS + 10: a full page and one of 10; the first account's full page is the header's.
    expect(pages.map(p => [p.ref.account, p.ref.count])).toEqual([['111111111111', 10], ['222222222222', PAGE_MAX_TARGETS], ['222222222222', 10]])
  })

  it('lets small account-regions share pages: 1,000 accounts × 2 regions × 5 outcomes in 50 pages, in order, each page naming its accounts', () => {
    const accounts = Array.from({ length: 1000 }, (_, i) => String(300_000_000_000 + i))
    const targets = accounts.flatMap((accountId, a) => ['us-east-1', 'eu-west-1'].flatMap(region => Array.from({ length: 5 }, (_, i) => target(a * 10 + i, region, { accountId }))))
    const e = { ...entry(targets), accountId: '' }
    const { inline, pages } = split(e)
    expect([...inline, ...pages.flatMap(p => p.targets)]).toEqual(targets)
    expect(pages.length + 1).toBe(10_000 / PAGE_MAX_TARGETS)
    for (const p of [{ targets: inline }, ...pages]) expect(p.targets).toHaveLength(PAGE_MAX_TARGETS)
    for (const p of pages) {
      expect(p.ref).toMatchObject({ account: SHARED, region: SHARED, count: PAGE_MAX_TARGETS })
      expect(p.ref.accounts).toEqual([...new Set(p.targets.map(t => t.accountId!))])
    }
    // An account-region is never cut across two pages: 20 of them fill each page.
    expect(new Set(pages.map(p => p.ref.accounts!.length))).toEqual(new Set([20]))
    // The page keys stay apart, and the header's references are a few kilobytes.
    expect(new Set(pages.map(p => targetPageKey('evt-1', 'w', p.ref))).size).toBe(pages.length)
    expect(jsonBytes(pages.map(p => p.ref))).toBeLessThan(30_000)
    // A filter by account reads only the pages that hold it.
    expect(pages.filter(p => pageMayMatch(p.ref, { account: accounts[999]! })).map(p => p.ref.page)).toEqual([pages.at(-1)!.ref.page])
  })

  it('gives an account-region larger than a page pages of its own between shared ones', () => {
    const targets = [
      ...Array.from({ length: 3 }, (_, i) => target(i, 'us-east-1', { accountId: 'a1' })),
      ...Array.from({ length: PAGE_MAX_TARGETS + 5 }, (_, i) => target(100 + i, 'us-east-1', { accountId: 'a2' })),
      ...Array.from({ length: 4 }, (_, i) => target(1000 + i, 'us-east-1', { accountId: 'a3' })),
      ...Array.from({ length: 4 }, (_, i) => target(2000 + i, 'eu-west-1', { accountId: 'a3' })),
    ]
    const { inline, pages } = split({ ...entry(targets), accountId: '' })
    expect([inline, ...pages.map(p => p.targets)].map(t => t.length)).toEqual([3, PAGE_MAX_TARGETS, 5, 8])
    expect(pages.map(p => [p.ref.account, p.ref.region, p.ref.page])).toEqual([['a2', 'us-east-1', 0], ['a2', 'us-east-1', 1], [SHARED, SHARED, 1]])
    expect(pages[2]!.ref.accounts).toEqual(['a3'])
  })

  it('writes the first page as an item too when the header would not hold it', () => {
    const e = { ...entry(Array.from({ length: PAGE_MAX_TARGETS + 100 }, (_, i) => target(i))), message: 'm'.repeat(MAX_HEADER_BYTES - 20_000) }
    const { inline, pages } = split(e)
    expect(inline).toEqual([])
    expect(pages.map(p => p.ref.count)).toEqual([PAGE_MAX_TARGETS, 100])
  })
})

function countTargetsBy(targets: LogTarget[]) {
  const out: Record<string, number> = {}
  for (const t of targets) out[t.outcome] = (out[t.outcome] ?? 0) + 1
  return out
}

describe('countsBy and the filters', () => {
  const targets = [target(0), target(1), target(2, 'eu-west-1'), target(3, 'eu-west-1', { accountId: '222222222222', resourceType: 'rds' })]
  const by = countsBy(entry(targets))

  it('counts outcomes in all, by account, region and resource type', () => {
    expect(by).toEqual({
      outcome: { stopped: 2, skipped: 1, failed: 1 },
      account: { 111111111111: { stopped: 1, skipped: 1, failed: 1 }, 222222222222: { stopped: 1 } },
      region: { 'us-east-1': { stopped: 1, skipped: 1 }, 'eu-west-1': { failed: 1, stopped: 1 } },
      resourceType: { ec2: { stopped: 1, skipped: 1, failed: 1 }, rds: { stopped: 1 } },
    })
  })

  it.each([
    [{}, 4],
    [{ outcome: 'stopped' as const }, 2],
    [{ account: '222222222222' }, 1],
    [{ account: '111111111111', outcome: 'failed' as const }, 1],
    [{ resourceType: 'rds', outcome: 'skipped' as const }, 0],
    [{ account: '999999999999' }, 0],
    [{ account: '111111111111', resourceType: 'ec2' }, null],
  ])('tells how many match %o', (filter, total) => {
    expect(matchingTotal(by, filter)).toBe(total)
  })

  it('skips a page of another account or without the outcome asked for', () => {
    const ref = { account: '111111111111', region: 'us-east-1', page: 0, count: 2, outcomes: { stopped: 2 } }
    expect(pageMayMatch(ref, {})).toBe(true)
    expect(pageMayMatch(ref, { outcome: 'stopped' })).toBe(true)
    expect(pageMayMatch(ref, { outcome: 'failed' })).toBe(false)
    expect(pageMayMatch(ref, { account: '222222222222' })).toBe(false)
  })
})

describe('the targets cursor', () => {
  it('reads back the position it was made from, and starts at the first page without one', () => {
    expect(decodeTargetCursor(encodeTargetCursor({ c: 3, o: 41 })!)).toEqual({ c: 3, o: 41 })
    expect(decodeTargetCursor(undefined)).toEqual({ c: 0, o: 0 })
    expect(encodeTargetCursor(null)).toBeNull()
  })

  it.each(['not base64!', Buffer.from('{"c":-1,"o":0}').toString('base64url'), Buffer.from('{"c":1,"o":0,"x":1}').toString('base64url'), Buffer.from('[]').toString('base64url')])(
    'refuses %s', (cursor) => {
      expect(() => decodeTargetCursor(cursor)).toThrow(InvalidCursor)
    })
})
