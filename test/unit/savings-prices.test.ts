// Where savings get prices (savings/prices.ts): the CSV table, and the Price List Query API. moto has no Price List
// API, so its client is mocked (aws-sdk-client-mock) with an answer recorded from the real API, trimmed.
import { GetProductsCommand, PricingClient } from '@aws-sdk/client-pricing'
import { mockClient } from 'aws-sdk-client-mock'
import { describe, expect, it } from 'vitest'
import { savingsQuerySchema } from '../../shared/schemas/savings'
import { fieldIssuesOf } from '../../shared/schemas/issue'
import { awsPrices, parsePriceTable, priceOfProducts } from '../../server/utils/savings/prices'
import type { Price } from '../../server/utils/savings/repository'

// One product of GetProducts for t3.micro in us-east-1 (Linux, shared, on demand), as the API answers it: a JSON string.
const T3_MICRO = JSON.stringify({
  product: { productFamily: 'Compute Instance', attributes: { instanceType: 't3.micro', regionCode: 'us-east-1', operatingSystem: 'Linux', tenancy: 'Shared' }, sku: 'ABCD1234' },
  serviceCode: 'AmazonEC2',
  terms: {
    OnDemand: {
      'ABCD1234.JRTCKXETXF': {
        priceDimensions: {
          'ABCD1234.JRTCKXETXF.6YS6EN2CT7': { unit: 'Hrs', endRange: 'Inf', description: '$0.0104 per On Demand Linux t3.micro Instance Hour', pricePerUnit: { USD: '0.0104000000' } },
        },
        sku: 'ABCD1234',
        effectiveDate: '2026-11-01T00:00:00Z',
      },
    },
  },
})

describe('the CSV price table', () => {
  it('reads region, instance type, price and currency', () => {
    const table = parsePriceTable('region,instanceType,pricePerHour,currency\n# a comment\nus-east-1,t3.micro,0.0104,USD\neu-central-1, m5.large ,0.115,\n')
    expect([...table]).toEqual([['us-east-1|t3.micro', { perHour: 0.0104, currency: 'USD' }], ['eu-central-1|m5.large', { perHour: 0.115, currency: 'USD' }]])
  })

  it('says which line and column is wrong', () => {
    expect(() => parsePriceTable('region,instanceType\nus-east-1,t3.micro\n', 'prices.csv')).toThrow(/prices.csv needs a header line with region,instanceType,pricePerHour.*no column pricePerHour/)
    expect(() => parsePriceTable('region,instanceType,pricePerHour\nus-east-1,t3.micro,cheap\n', 'prices.csv')).toThrow('prices.csv, line 2: pricePerHour must be a number')
    expect(() => parsePriceTable('region,instanceType,pricePerHour\nus-east-1,t3.micro,1\nmars-1,t3.micro,1\n', 'prices.csv')).toThrow('line 3: region must be a region code')
    expect(() => parsePriceTable('region,instanceType,pricePerHour,currency\nus-east-1,t3.micro,1,USD\neu-west-1,t3.micro,1,EUR\n')).toThrow('mixes currencies (USD, EUR)')
  })
})

describe('the Price List Query API', () => {
  it('finds the on-demand hourly price in a product', () => {
    expect(priceOfProducts({ PriceList: [T3_MICRO] })).toEqual({ perHour: 0.0104, currency: 'USD' })
    expect(priceOfProducts({ PriceList: [] })).toBeNull()
  })

  it('asks once per type and region with the Linux, shared, on-demand filters, and caches hits and misses', async () => {
    const mock = mockClient(PricingClient)
    mock.on(GetProductsCommand).callsFake(input => ({ PriceList: input.Filters.some((f: { Value: string }) => f.Value === 't3.micro') ? [T3_MICRO] : [] }))
    const cache = new Map<string, Price | null>()
    const repo = {
      cachedPrices: async (keys: string[]) => new Map(keys.filter(k => cache.has(k)).map(k => [k, cache.get(k)!])),
      cachePrice: async (key: string, price: Price | null) => void cache.set(key, price),
    }
    const source = awsPrices(repo, async () => new PricingClient({ region: 'us-east-1' }))
    const first = await source.prices(['us-east-1|t3.micro', 'us-east-1|x9.huge'])
    expect(first.get('us-east-1|t3.micro')).toEqual({ perHour: 0.0104, currency: 'USD' })
    expect(first.get('us-east-1|x9.huge')).toBeNull()
    const calls = mock.commandCalls(GetProductsCommand)
    expect(calls).toHaveLength(2)
    expect(calls[0]!.args[0].input).toMatchObject({
      ServiceCode: 'AmazonEC2',
      Filters: expect.arrayContaining([
        { Type: 'TERM_MATCH', Field: 'regionCode', Value: 'us-east-1' },
        { Type: 'TERM_MATCH', Field: 'instanceType', Value: 't3.micro' },
        { Type: 'TERM_MATCH', Field: 'operatingSystem', Value: 'Linux' },
        { Type: 'TERM_MATCH', Field: 'tenancy', Value: 'Shared' },
        { Type: 'TERM_MATCH', Field: 'capacitystatus', Value: 'Used' },
      ]),
    })
    await source.prices(['us-east-1|t3.micro', 'us-east-1|x9.huge'])
    expect(mock.commandCalls(GetProductsCommand)).toHaveLength(2)
    mock.restore()
  })
})

describe('the savings query', () => {
  const now = () => new Date('2026-06-15T12:00:00Z')
  const parse = (q: Record<string, string>) => savingsQuerySchema(now).safeParse(q)

  it('defaults to the last 30 days by day, and takes dates (whole UTC days) or instants', () => {
    expect(parse({}).data).toEqual({ fromMs: Date.parse('2026-05-17T00:00:00Z'), toMs: now().getTime(), groupBy: 'day' })
    expect(parse({ from: '2026-06-01', to: '2026-06-01', groupBy: 'rule' }).data).toEqual({ fromMs: Date.parse('2026-06-01T00:00:00Z'), toMs: Date.parse('2026-06-02T00:00:00Z'), groupBy: 'rule' })
    expect(parse({ from: '2026-06-01T08:00:00+02:00', to: '2026-06-01T10:00Z' }).data).toMatchObject({ fromMs: Date.parse('2026-06-01T06:00:00Z'), toMs: Date.parse('2026-06-01T10:00:00Z') })
  })

  it('answers field issues with codes for a bad date, a reversed or too long range, and an unknown grouping', () => {
    const codes = (q: Record<string, string>) => fieldIssuesOf(parse(q).error!).map(i => [i.path, i.code])
    expect(codes({ from: '2026-02-30' })).toEqual([['from', 'savings.when.format']])
    expect(codes({ from: '2026-06-10', to: '2026-06-01' })).toEqual([['to', 'savings.range.order']])
    expect(codes({ from: '2025-01-01', to: '2026-06-01' })).toEqual([['to', 'savings.range.tooLong']])
    expect(codes({ groupBy: 'owner' })).toEqual([['groupBy', 'savings.groupBy.choice']])
  })
})
