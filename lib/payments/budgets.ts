/**
 * Budgets over time, as pure functions: a daily and/or monthly limit per
 * site and overall, on what Drip signs (vouchers' increments and one-shot
 * charges; deposits are refundable and do not count). Days and months are
 * the reader's local calendar, so a limit resets on its own at midnight and
 * on the first of the month. A payment that would pass a limit is refused
 * before anything is signed; crossing 80% and 100% of a limit raises an
 * alert.
 */
import { formatDollars, formatLimit, type RawAmount, type RawAmountString } from '@/lib/shared/amounts'
import { RefusedError } from './challenge'

export type Limits = {
  /** Most signed in one calendar day, raw units; absent: no daily limit. */
  daily?: RawAmountString
  /** Most signed in one calendar month, raw units; absent: no monthly limit. */
  monthly?: RawAmountString
}

export type Budgets = {
  overall: Limits
  /** By page origin. */
  sites: Record<string, Limits>
  /** Browser notifications at 80% and 100% (the popup shows the alerts either way). */
  notify: boolean
}

/** What was signed, by page origin, by local day (`YYYY-MM-DD`), raw units as strings. */
export type Spending = Record<string, Record<string, RawAmountString>>

export type Period = 'daily' | 'monthly'

/** Days of spending kept: enough for this month and the last 30 days' chart. */
export const keptDays = 62

/** The reader's local calendar day of `now`. */
export function dayOf(now: Date): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`
}

/** Signed by `origin` (or every site) in the day or month of `now`. */
export function spentIn(spending: Spending, period: Period, now: Date, origin?: string): RawAmount {
  const today = dayOf(now)
  const month = today.slice(0, 7)
  let total = 0n
  for (const [site, days] of Object.entries(spending)) {
    if (origin !== undefined && site !== origin) continue
    for (const [day, amount] of Object.entries(days)) if (period === 'daily' ? day === today : day.startsWith(month)) total += BigInt(amount)
  }
  return total
}

type Scope = { label: string; limits: Limits; origin?: string }

function scopes(budgets: Budgets, origin: string): Scope[] {
  return [
    { label: `${origin}'s`, limits: budgets.sites[origin] ?? {}, origin },
    { label: 'your overall', limits: budgets.overall },
  ]
}

/** Before a signature of `amount` more for `origin`: refuses one that would pass any limit. */
export function assertWithinBudgets(budgets: Budgets, spending: Spending, origin: string, amount: RawAmount, now: Date) {
  if (amount <= 0n) return
  for (const scope of scopes(budgets, origin))
    for (const period of ['daily', 'monthly'] as const) {
      const limit = scope.limits[period]
      if (limit === undefined) continue
      const spent = spentIn(spending, period, now, scope.origin)
      if (spent + amount > BigInt(limit))
        throw new RefusedError(
          'budget',
          `Paying ${formatDollars(amount)} more would pass ${scope.label} ${period} budget of ${formatLimit(limit)} (${formatDollars(spent)} spent ${period === 'daily' ? 'today' : 'this month'}). It resets ${period === 'daily' ? 'at midnight' : 'on the 1st'}, or raise it in Drip.`,
        )
    }
}

/** `spending` with `amount` more signed for `origin` on the day of `now` (a negative amount gives back, never below zero), days older than `keptDays` dropped. */
export function withSpent(spending: Spending, origin: string, amount: RawAmount, now: Date): Spending {
  const day = dayOf(now)
  const oldest = dayOf(new Date(now.getFullYear(), now.getMonth(), now.getDate() - keptDays + 1))
  const next: Spending = {}
  for (const [site, days] of Object.entries({ ...spending, [origin]: spending[origin] ?? {} })) {
    const kept = Object.fromEntries(Object.entries(days).filter(([d]) => d >= oldest))
    if (site === origin) {
      const total = BigInt(kept[day] ?? '0') + amount
      kept[day] = (total > 0n ? total : 0n).toString()
    }
    if (Object.keys(kept).length) next[site] = kept
  }
  return next
}

export type BudgetAlert = { origin?: string; period: Period; threshold: 80 | 100; limit: RawAmountString; spent: RawAmountString }

/** The 80% and 100% marks a payment crossed, from `before` to `after` spending. */
export function alertsCrossed(budgets: Budgets, before: Spending, after: Spending, origin: string, now: Date): BudgetAlert[] {
  const alerts: BudgetAlert[] = []
  for (const scope of scopes(budgets, origin))
    for (const period of ['daily', 'monthly'] as const) {
      const limit = scope.limits[period]
      if (limit === undefined || BigInt(limit) === 0n) continue
      const was = spentIn(before, period, now, scope.origin)
      const is = spentIn(after, period, now, scope.origin)
      for (const threshold of [80, 100] as const) {
        const mark = (BigInt(limit) * BigInt(threshold) + 99n) / 100n
        if (was < mark && is >= mark) alerts.push({ ...(scope.origin ? { origin: scope.origin } : {}), period, threshold, limit, spent: is.toString() })
      }
    }
  return alerts
}

/** An alert in words, for the popup, the history and a notification. */
export function alertText(alert: BudgetAlert): string {
  const whose = alert.origin ? `${alert.origin}'s` : 'Your overall'
  return `${whose} ${alert.period} budget is ${alert.threshold === 100 ? 'used up' : '80% used'}: ${formatDollars(alert.spent)} of ${formatLimit(alert.limit)}.`
}
