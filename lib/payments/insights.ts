/**
 * What the reader spent, for the popup's chart and table, as pure
 * functions over the per-day spending the budgets keep (`budgets.ts`): per
 * site per day over the last 30 days, and per site per month.
 */
import type { RawAmountString } from '@/lib/shared/amounts'
import { dayOf, type Spending } from './budgets'

export const chartDays = 30

export type Insights = {
  /** The last 30 local days, oldest first (`YYYY-MM-DD`). */
  days: string[]
  /** Per site, what it took each of those days (raw units), and in total; biggest first. */
  sites: { origin: string; perDay: RawAmountString[]; total: RawAmountString }[]
  /** Per site per month (`YYYY-MM`), newest month first, then biggest first. */
  months: { month: string; origin: string; total: RawAmountString }[]
}

export function insightsOf(spending: Spending, now: Date): Insights {
  const days = Array.from({ length: chartDays }, (_, i) => dayOf(new Date(now.getFullYear(), now.getMonth(), now.getDate() - (chartDays - 1 - i))))
  const sites = Object.entries(spending)
    .map(([origin, byDay]) => {
      const perDay = days.map((day) => BigInt(byDay[day] ?? '0'))
      return { origin, perDay, total: perDay.reduce((a, b) => a + b, 0n) }
    })
    .filter((site) => site.total > 0n)
    .sort((a, b) => (b.total > a.total ? 1 : b.total < a.total ? -1 : a.origin.localeCompare(b.origin)))
    .map(({ origin, perDay, total }) => ({ origin, perDay: perDay.map(String), total: total.toString() }))
  const byMonth = new Map<string, bigint>()
  for (const [origin, byDay] of Object.entries(spending))
    for (const [day, amount] of Object.entries(byDay)) {
      const key = `${day.slice(0, 7)}\u0000${origin}`
      byMonth.set(key, (byMonth.get(key) ?? 0n) + BigInt(amount))
    }
  const months = [...byMonth]
    .filter(([, total]) => total > 0n)
    .map(([key, total]) => {
      const [month, origin] = key.split('\u0000') as [string, string]
      return { month, origin, total }
    })
    .sort((a, b) => (a.month !== b.month ? b.month.localeCompare(a.month) : b.total > a.total ? 1 : b.total < a.total ? -1 : 0))
    .map(({ month, origin, total }) => ({ month, origin, total: total.toString() }))
  return { days, sites, months }
}
