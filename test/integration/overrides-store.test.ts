// The overrides repository on moto's DynamoDB and on the embedded store: an override is found by its account and region
// and listed soonest end first while it lasts, and disappears from every read once its end has passed by the
// repository's clock (neither store deletes expired items; DynamoDB's TTL does, days late).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { OverrideNotFound } from '../../server/utils/errors'
import { createOverridesRepository } from '../../server/utils/overrides/repository'
import { embeddedStore, motoStore } from './helpers/stores'
import type { TestStore } from './helpers/stores'

const T0 = new Date('2026-12-21T09:00:00Z')
const by = { keyId: 'k1', keyName: 'ops' }
const input = (instanceId: string, until: string, region = 'eu-west-1') => ({ accountId: '123456789012', region, instanceId, until })

describe.each([
  ['moto\'s DynamoDB', motoStore],
  ['the embedded store', embeddedStore],
] as const)('overrides on %s', (_label, open) => {
  let ctx: TestStore
  let clock = T0
  const repo = () => createOverridesRepository(ctx.store.doc, ctx.tables.overrides, () => clock)

  beforeAll(async () => {
    ctx = await open()
  })
  afterAll(async () => ctx?.cleanup())

  it('keeps an override until its end, and none after it', async () => {
    clock = T0
    const overrides = repo()
    const late = await overrides.create(input('i-0000000000000000a', '2026-12-24T18:00:00.000Z'), by)
    const soon = await overrides.create({ ...input('i-0000000000000000b', '2026-12-22T18:00:00.000Z'), reason: 'release' }, by)
    await overrides.create(input('i-0000000000000000c', '2026-12-23T18:00:00.000Z', 'us-east-1'), by)
    expect(soon).toMatchObject({ createdAt: T0.toISOString(), createdBy: by, reason: 'release' })

    expect((await overrides.list({ limit: 10 })).items.map(o => o.instanceId)).toEqual(['i-0000000000000000b', 'i-0000000000000000c', 'i-0000000000000000a'])
    expect((await overrides.activeIn('123456789012', 'eu-west-1')).map(o => o.id).sort()).toEqual([late.id, soon.id].sort())
    expect(await overrides.get(soon.id)).toEqual(soon)

    clock = new Date('2026-12-22T18:00:00Z')
    expect((await overrides.activeIn('123456789012', 'eu-west-1')).map(o => o.id)).toEqual([late.id])
    expect((await overrides.list({ limit: 10 })).items.map(o => o.instanceId)).toEqual(['i-0000000000000000c', 'i-0000000000000000a'])
    await expect(overrides.get(soon.id)).rejects.toBeInstanceOf(OverrideNotFound)
    await expect(overrides.remove(soon.id)).rejects.toBeInstanceOf(OverrideNotFound)
  })

  it('pages the list with a cursor, and ends an override when it is deleted', async () => {
    clock = new Date('2026-12-23T00:00:00Z')
    const overrides = repo()
    const first = await overrides.list({ limit: 1 })
    expect(first.items).toHaveLength(1)
    const second = await overrides.list({ limit: 10, cursor: first.cursor! })
    expect([...first.items, ...second.items].map(o => o.instanceId)).toEqual(['i-0000000000000000c', 'i-0000000000000000a'])
    const ended = await overrides.remove(first.items[0]!.id)
    expect(ended.instanceId).toBe('i-0000000000000000c')
    expect((await overrides.list({ limit: 10 })).items.map(o => o.instanceId)).toEqual(['i-0000000000000000a'])
  })

  it('answers the overrides whose time ran out since an instant, for the reconcile to tell their end', async () => {
    // Last: the other tests' overrides end before these begin, and these would be in their lists.
    clock = new Date('2027-03-01T09:00:00Z')
    const overrides = repo()
    const ran = await overrides.create(input('i-0000000000000000d', '2027-03-01T10:00:00.000Z'), by)
    const earlier = await overrides.create(input('i-0000000000000000e', '2027-02-20T10:00:00.000Z'), by)
    await overrides.create(input('i-0000000000000000f', '2027-03-02T10:00:00.000Z'), by)
    const ended = await overrides.create(input('i-00000000000000010', '2027-03-01T11:00:00.000Z'), by)
    await overrides.remove(ended.id)
    expect(await overrides.endedSince(new Date('2027-02-27T12:00:00Z'))).toEqual([])

    clock = new Date('2027-03-01T12:00:00Z')
    // Still active (f), ended early (deleted), or before the instant (e): not answered.
    expect((await overrides.endedSince(new Date('2027-02-27T12:00:00Z'))).map(o => o.id)).toEqual([ran.id])
    expect((await overrides.endedSince(new Date('2027-02-19T00:00:00Z'))).map(o => o.id)).toEqual([earlier.id, ran.id])
    expect((await overrides.endedSince(new Date('2027-02-19T00:00:00Z')))[1]).toEqual(ran)
  })
})
