// On-demand hourly prices of an instance type in a region (Linux, shared tenancy), from one of: a CSV table the user
// provides (NUXT_PRICE_TABLE), the AWS Price List Query API (in AWS, cached in the savings table for 7 days), or none.
import { readFileSync } from 'node:fs'
import { z } from 'zod'
import type { GetProductsCommandOutput, PricingClient } from '@aws-sdk/client-pricing'
import type { ServerConfig } from '../config'
import { ConfigError } from '../config'
import type { Price, SavingsRepository } from './repository'

/** region|instanceType, the key of a price. */
export const priceKey = (region: string, instanceType: string) => `${region}|${instanceType}`

export interface PriceSource {
  source: ServerConfig['pricing']['source']
  /** The price of each `region|type` key asked for: null when there is none. */
  prices: (keys: string[]) => Promise<Map<string, Price | null>>
}

const CsvRow = z.object({
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, 'must be a region code such as us-east-1'),
  instanceType: z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/, 'must be an instance type such as t3.micro'),
  pricePerHour: z.coerce.number({ message: 'must be a number' }).nonnegative('must be 0 or more'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be a currency code such as USD').default('USD'),
})

/** Parses a price table: a header line with region,instanceType,pricePerHour[,currency], then one row per price. */
export function parsePriceTable(text: string, file = 'the price table'): Map<string, Price> {
  const lines = text.split(/\r?\n/).map(l => l.trim()).filter(l => l && !l.startsWith('#'))
  const header = (lines.shift() ?? '').split(',').map(h => h.trim())
  for (const column of ['region', 'instanceType', 'pricePerHour']) {
    if (!header.includes(column)) throw new ConfigError(`invalid configuration: NUXT_PRICE_TABLE: ${file} needs a header line with region,instanceType,pricePerHour[,currency] (no column ${column})`)
  }
  const prices = new Map<string, Price>()
  lines.forEach((line, i) => {
    const cells = line.split(',').map(c => c.trim())
    const row = CsvRow.safeParse(Object.fromEntries(header.map((h, j) => [h, cells[j] === '' ? undefined : cells[j]])))
    if (!row.success) {
      const issue = row.error.issues[0]!
      throw new ConfigError(`invalid configuration: NUXT_PRICE_TABLE: ${file}, line ${i + 2}: ${String(issue.path[0])} ${issue.message}`)
    }
    prices.set(priceKey(row.data.region, row.data.instanceType), { perHour: row.data.pricePerHour, currency: row.data.currency })
  })
  const currencies = new Set([...prices.values()].map(p => p.currency))
  if (currencies.size > 1) throw new ConfigError(`invalid configuration: NUXT_PRICE_TABLE: ${file} mixes currencies (${[...currencies].join(', ')}): use one`)
  return prices
}

/** Prices from a CSV file, read on first use. */
export function csvPrices(file: string): PriceSource {
  let table: Map<string, Price> | undefined
  return {
    source: 'csv',
    async prices(keys) {
      table ??= parsePriceTable(readFileSync(file, 'utf8'), file)
      return new Map(keys.map(k => [k, table!.get(k) ?? null]))
    },
  }
}

const CACHE_SECONDS = 7 * 86_400

/** The on-demand USD price per hour in a GetProducts answer (its first product with one), or null. */
export function priceOfProducts(out: Pick<GetProductsCommandOutput, 'PriceList'>): Price | null {
  for (const doc of out.PriceList ?? []) {
    const product = JSON.parse(String(doc)) as { terms?: { OnDemand?: Record<string, { priceDimensions?: Record<string, { unit?: string, pricePerUnit?: Record<string, string> }> }> } }
    for (const offer of Object.values(product.terms?.OnDemand ?? {})) {
      for (const dimension of Object.values(offer.priceDimensions ?? {})) {
        const usd = Number(dimension.pricePerUnit?.USD)
        if (dimension.unit === 'Hrs' && Number.isFinite(usd) && usd > 0) return { perHour: usd, currency: 'USD' }
      }
    }
  }
  return null
}

/** Prices from the AWS Price List Query API, cached in the savings table; the client loads on first use. */
export function awsPrices(repo: Pick<SavingsRepository, 'cachedPrices' | 'cachePrice'>, client: () => Promise<PricingClient>): PriceSource {
  return {
    source: 'aws',
    async prices(keys) {
      const found = await repo.cachedPrices(keys)
      const missing = [...new Set(keys)].filter(k => !found.has(k))
      if (missing.length === 0) return found
      const [pricing, { GetProductsCommand }] = await Promise.all([client(), import('@aws-sdk/client-pricing')])
      for (const key of missing) {
        const [region = '', instanceType = ''] = key.split('|')
        const match = (Field: string, Value: string) => ({ Type: 'TERM_MATCH' as const, Field, Value })
        const out = await pricing.send(new GetProductsCommand({
          ServiceCode: 'AmazonEC2',
          Filters: [
            match('regionCode', region),
            match('instanceType', instanceType),
            match('operatingSystem', 'Linux'),
            match('tenancy', 'Shared'),
            match('preInstalledSw', 'NA'),
            match('capacitystatus', 'Used'),
            match('licenseModel', 'No License required'),
          ],
          MaxResults: 10,
        }))
        const price = priceOfProducts(out)
        found.set(key, price)
        await repo.cachePrice(key, price, CACHE_SECONDS)
      }
      return found
    },
  }
}

/** No prices: the savings are hours only. */
export const noPrices: PriceSource = { source: 'none', prices: async keys => new Map(keys.map(k => [k, null])) }
