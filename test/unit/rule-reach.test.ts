// What a rule reaches in the rules list (issue 15): counted from its units' last resolutions in the store, and
// said as "resolved 2 min ago".
import { describe, expect, it } from 'vitest'
import { withReach } from '../../server/utils/organizations/reach'
import type { StoredUnit } from '../../server/utils/organizations/unit-store'
import { agoOf } from '../../composables/useReachText'

const at = Date.parse('2026-12-01T18:00:00Z')
const account = (n: number) => String(100_000_000_000 + n)
const rule = (name: string, targets: { accountIds?: string[], organizationalUnits?: string[], excludeAccountIds?: string[] }) =>
  ({ name, accountIds: [], organizationalUnits: [], excludeAccountIds: [], ...targets })

/** A store holding `units`, counting its reads. */
function storeOf(units: Record<string, StoredUnit>) {
  const reads: string[][] = []
  return {
    reads,
    read: async (asked: readonly string[]) => {
      reads.push([...asked])
      return new Map(asked.filter(u => units[u]).map(u => [u, units[u]!]))
    },
  }
}

describe('a rule\'s reach in the list', () => {
  it('counts its units\' accounts and its own, each once, less the excluded, resolved when its oldest unit was', async () => {
    const store = storeOf({
      'ou-ab12-dev00001': { accountIds: [account(1), account(2), account(3)], at },
      'ou-ab12-prd00001': { accountIds: [account(3), account(4)], at: at - 120_000 },
    })
    const [reached] = await withReach(store, [rule('r', { accountIds: [account(1), account(9)], organizationalUnits: ['ou-ab12-dev00001', 'ou-ab12-prd00001'], excludeAccountIds: [account(2)] })])
    // 1, 3, 4 from the units, 9 of its own; 2 excluded.
    expect(reached!.reach).toEqual({ accounts: 4, resolvedAt: new Date(at - 120_000).toISOString() })
  })

  it('reads the store once for the page, and not at all when no rule names a unit', async () => {
    const store = storeOf({ 'ou-ab12-dev00001': { accountIds: [account(1)], at } })
    const listed = await withReach(store, [rule('a', { organizationalUnits: ['ou-ab12-dev00001'] }), rule('b', { organizationalUnits: ['ou-ab12-dev00001'] }), rule('c', { accountIds: [account(5)] })])
    expect(store.reads).toEqual([['ou-ab12-dev00001']])
    expect(listed.map(r => r.reach?.accounts)).toEqual([1, 1, undefined])

    const explicit = storeOf({})
    const only = [rule('d', { accountIds: [account(5), account(6)] })]
    expect(await withReach(explicit, only)).toBe(only)
    expect(explicit.reads).toEqual([])
  })

  it('says nothing of a rule one of whose units was never resolved', async () => {
    const store = storeOf({ 'ou-ab12-dev00001': { accountIds: [account(1)], at } })
    const [r] = await withReach(store, [rule('r', { organizationalUnits: ['ou-ab12-dev00001', 'ou-ab12-new00001'] })])
    expect(r).not.toHaveProperty('reach')
  })
})

describe('how long ago a resolution was', () => {
  it.each([
    [0, { unit: 'now', n: 0 }],
    [59_999, { unit: 'now', n: 0 }],
    [2 * 60_000 + 5_000, { unit: 'minutes', n: 2 }],
    [59 * 60_000, { unit: 'minutes', n: 59 }],
    [3 * 3_600_000, { unit: 'hours', n: 3 }],
    [47 * 3_600_000, { unit: 'hours', n: 47 }],
    [3 * 86_400_000, { unit: 'days', n: 3 }],
  ])('%i ms before is %o', (ms, expected) => {
    expect(agoOf(new Date(at - ms).toISOString(), at)).toEqual(expected)
  })
})
