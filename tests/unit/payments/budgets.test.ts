import { describe, expect, test } from 'vitest'
import * as Budgets from '@/lib/payments/budgets'

const news = 'https://news.example'
const shop = 'https://shop.example'
/** Local time, as the reader's calendar. */
const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h)

const spending: Budgets.Spending = {
  [news]: { '2026-11-21': '40000', '2026-11-22': '30000', '2026-10-31': '500000' },
  [shop]: { '2026-11-22': '50000' },
}

describe('spentIn: local calendar days and months', () => {
  test.each([
    ['news today', 'daily', at(2026, 11, 22), news, 30_000n],
    ['news this month', 'monthly', at(2026, 11, 22), news, 70_000n],
    ['everyone today', 'daily', at(2026, 11, 22), undefined, 80_000n],
    ['everyone this month', 'monthly', at(2026, 11, 22), undefined, 120_000n],
    ['news yesterday', 'daily', at(2026, 11, 21), news, 40_000n],
    ['news in October', 'monthly', at(2026, 10, 15), news, 500_000n],
    ['a new day (just past midnight): nothing yet', 'daily', at(2026, 11, 23, 0), undefined, 0n],
    ['a new month: nothing yet', 'monthly', at(2026, 12, 1, 0), undefined, 0n],
  ] as const)('%s', (_, period, now, origin, expected) => {
    expect(Budgets.spentIn(spending, period, now, origin)).toBe(expected)
  })
})

describe('assertWithinBudgets: refused before signing', () => {
  const budgets = (overall: Budgets.Limits, site: Budgets.Limits = {}): Budgets.Budgets => ({ overall, sites: { [news]: site }, notify: true })
  test.each([
    // overall, news's own, amount, now → allowed, or the words of the refusal
    ['no limits', {}, {}, 1_000_000n, at(2026, 11, 22), true],
    ['news daily $0.04: 0.03 spent + 0.01 reaches it', {}, { daily: '40000' }, 10_000n, at(2026, 11, 22), true],
    ['news daily $0.04: 0.03 spent + 0.011 passes it', {}, { daily: '40000' }, 11_000n, at(2026, 11, 22), "https://news.example's daily budget of $0.04 ($0.03 spent today)"],
    ['news daily $0.04, the next day: reset', {}, { daily: '40000' }, 40_000n, at(2026, 11, 23), true],
    ['overall daily $0.08: shop’s spend counts', { daily: '80000' }, {}, 1n, at(2026, 11, 22), 'your overall daily budget of $0.08 ($0.08 spent today)'],
    ['overall monthly $0.15: 0.12 spent + 0.03 reaches it', { monthly: '150000' }, {}, 30_000n, at(2026, 11, 22), true],
    ['overall monthly $0.15: + 0.031 passes it', { monthly: '150000' }, {}, 31_000n, at(2026, 11, 22), 'your overall monthly budget of $0.15 ($0.12 spent this month)'],
    ['overall monthly $0.15 on December 1st: reset', { monthly: '150000' }, {}, 150_000n, at(2026, 12, 1, 0), true],
    ['a zero increment (a voucher offered again) always passes', { daily: '0' }, {}, 0n, at(2026, 11, 22), true],
  ] as const)('%s', (_, overall, site, amount, now, expected) => {
    const check = () => Budgets.assertWithinBudgets(budgets(overall, site), spending, news, amount, now)
    if (expected === true) expect(check).not.toThrow()
    else expect(check).toThrow(expect.objectContaining({ code: 'budget', message: expect.stringContaining(expected) }))
  })
})

describe('withSpent and alerts', () => {
  test('adds to the local day and drops days older than 62', () => {
    // 62 days back from February 1st is December 2nd: November's days go.
    const next = Budgets.withSpent(spending, news, 1_000n, at(2027, 2, 1))
    expect(next[news]).toEqual({ '2027-02-01': '1000' })
    expect(next[shop]).toBeUndefined()
    expect(Budgets.withSpent(spending, news, 1_000n, at(2026, 11, 22))[news]!['2026-11-22']).toBe('31000')
  })

  test.each([
    // daily limit on news, spent before (today), amount → alerts
    ['0.03 → 0.032 of 0.04: 80%', '40000', 2_000n, [80]],
    ['0.03 → 0.04 of 0.04: 80% and 100%', '40000', 10_000n, [80, 100]],
    ['0.03 → 0.031 of 0.1: none', '100000', 1_000n, []],
  ] as const)('%s', (_, daily, amount, thresholds) => {
    const budgets: Budgets.Budgets = { overall: {}, sites: { [news]: { daily } }, notify: true }
    const now = at(2026, 11, 22)
    const alerts = Budgets.alertsCrossed(budgets, spending, Budgets.withSpent(spending, news, amount, now), news, now)
    expect(alerts.map((a) => a.threshold)).toEqual(thresholds)
  })

  test('an alert in words', () => {
    expect(Budgets.alertText({ origin: news, period: 'daily', threshold: 80, limit: '40000', spent: '32000' })).toBe(
      "https://news.example's daily budget is 80% used: $0.03 of $0.04.",
    )
    expect(Budgets.alertText({ period: 'monthly', threshold: 100, limit: '150000', spent: '150000' })).toBe('Your overall monthly budget is used up: $0.15 of $0.15.')
  })
})
