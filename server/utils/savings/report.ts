// The savings of a range: the daily aggregates of its UTC days and the roll-ups of its whole months, plus the
// intervals still open counted up to now, grouped one way, and priced where a price is known. Pure but for the prices
// it is handed.
import type { SavingsAnswer, SavingsGroup, SavingsItem } from '#shared/schemas/savings'
import { hoursByDay, utcDay } from './intervals'
import type { OffInterval } from './intervals'
import type { DayAggregate, MonthRollup, Price } from './repository'
import { priceKey } from './prices'
import type { PriceSource } from './prices'

/** One day's hours of one rule in one account, region and instance type. */
interface Cell {
  day: string
  rule: string
  accountId: string
  region: string
  instanceType: string
  hours: number
  /** From an interval still open. */
  open: boolean
}

const keyOf: Record<SavingsGroup, (c: Cell) => string> = {
  rule: c => c.rule,
  account: c => c.accountId,
  region: c => c.region,
  type: c => c.instanceType,
  day: c => c.day,
}

// Hours to the hundredth, money to the cent: enough for a page, and sums that read the same as their parts.
const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits

/** The cells of a range: the aggregates of the days it touches, and the open intervals within it, up to `nowMs`. */
export function cellsOf(days: DayAggregate[], open: OffInterval[], range: { fromMs: number, toMs: number }, nowMs: number): Cell[] {
  const first = utcDay(range.fromMs)
  const last = utcDay(range.toMs - 1)
  const cells: Cell[] = []
  for (const d of days) {
    if (d.day < first || d.day > last) continue
    for (const c of d.cells) cells.push({ day: d.day, rule: d.rule, accountId: c.accountId, region: c.region, instanceType: c.instanceType, hours: c.hours, open: false })
  }
  const end = Math.min(range.toMs, nowMs)
  for (const i of open) {
    for (const { day, hours } of hoursByDay(Math.max(Date.parse(i.since), range.fromMs), end)) {
      cells.push({ day, rule: i.rule, accountId: i.accountId, region: i.region, instanceType: i.instanceType ?? '', hours: hours * (i.units ?? 1), open: true })
    }
  }
  return cells
}

/**
 * The cells of whole months, from their roll-ups: by day (without the account, which the day's grouping does not
 * need) for the day's grouping; by account, region and type for the others (the day then is the month's).
 */
export function rollupCellsOf(rollups: MonthRollup[], groupBy: SavingsGroup): Cell[] {
  // Summed by what the grouping and the prices read (the group's key, the region and the type): a year of a large
  // fleet is 100,000 roll-up cells and more, which sum to a few hundred.
  const merged = new Map<string, Cell>()
  const add = (cell: Cell) => {
    const key = `${keyOf[groupBy](cell)}|${cell.region}|${cell.instanceType}`
    const seen = merged.get(key)
    if (seen) seen.hours += cell.hours
    else merged.set(key, cell)
  }
  for (const r of rollups) {
    if (groupBy === 'day') {
      for (const c of r.days) add({ day: c.day, rule: '', accountId: '', region: c.region, instanceType: c.instanceType, hours: c.hours, open: false })
    }
    else {
      for (const c of r.cells) add({ day: r.month, rule: r.rule, accountId: c.accountId, region: c.region, instanceType: c.instanceType, hours: c.hours, open: false })
    }
  }
  return [...merged.values()]
}

/** Groups and prices the cells of a range. */
export async function savingsReport(cells: Cell[], range: { fromMs: number, toMs: number }, groupBy: SavingsGroup, prices: PriceSource): Promise<SavingsAnswer> {
  const priceKeys = [...new Set(cells.filter(c => c.instanceType).map(c => priceKey(c.region, c.instanceType)))]
  const priced: Map<string, Price | null> = prices.source === 'none' || priceKeys.length === 0 ? new Map() : await prices.prices(priceKeys)
  const groups = new Map<string, { hours: number, amount: number }>()
  let hours = 0
  let openHours = 0
  let amount = 0
  let pricedHours = 0
  let currency = ''
  for (const c of cells) {
    const price = c.instanceType ? priced.get(priceKey(c.region, c.instanceType)) : undefined
    const money = price ? c.hours * price.perHour : 0
    if (price) {
      pricedHours += c.hours
      currency ||= price.currency
    }
    hours += c.hours
    if (c.open) openHours += c.hours
    amount += money
    const key = keyOf[groupBy](c)
    const g = groups.get(key) ?? { hours: 0, amount: 0 }
    g.hours += c.hours
    g.amount += money
    groups.set(key, g)
  }
  const withCost = prices.source !== 'none'
  const items: SavingsItem[] = [...groups].map(([key, g]) => ({ key, hours: round(g.hours, 2), ...(withCost ? { amount: round(g.amount, 2) } : {}) }))
  // Days in order; everything else biggest first.
  items.sort(groupBy === 'day' ? (a, b) => (a.key < b.key ? -1 : 1) : (a, b) => b.hours - a.hours || (a.key < b.key ? -1 : 1))
  return {
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    groupBy,
    hours: round(hours, 2),
    ...(withCost
      ? { cost: { amount: round(amount, 2), currency: currency || 'USD', estimated: true as const, source: prices.source as 'csv' | 'aws', priced: round(pricedHours, 2), unpriced: round(hours - pricedHours, 2) } }
      : {}),
    openHours: round(openHours, 2),
    items,
  }
}
