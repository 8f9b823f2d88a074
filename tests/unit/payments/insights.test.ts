import { describe, expect, test } from 'vitest'
import { dayOf } from '@/lib/payments/budgets'
import { insightsOf } from '@/lib/payments/insights'

const news = 'https://news.example'
const shop = 'https://shop.example'

describe('insightsOf', () => {
  // "Today" is the 22nd of next month, whatever day the tests run: the window then always crosses a month's end.
  const run = new Date()
  const day = (date: number, monthsBack = 0) => new Date(run.getFullYear(), run.getMonth() + 1 - monthsBack, date, 12)
  const today = day(22)
  const month = (monthsBack: number) => dayOf(day(1, monthsBack)).slice(0, 7)
  const spending = {
    [news]: { [dayOf(today)]: '30000', [dayOf(day(21))]: '40000', [dayOf(day(0))]: '500000', [dayOf(day(1, 2))]: '7' },
    [shop]: { [dayOf(today)]: '50000' },
    'https://idle.example': { [dayOf(day(20))]: '0' },
  }
  const insights = insightsOf(spending, today)

  test('the last 30 local days, oldest first, ending today', () => {
    expect(insights.days).toHaveLength(30)
    expect(insights.days[0]).toBe(dayOf(day(22 - 29)))
    expect(insights.days.at(-1)).toBe(dayOf(today))
    expect(new Set(insights.days).size).toBe(30)
  })

  test('per site per day, biggest total first; a site that spent nothing is left out', () => {
    expect(insights.sites.map((s) => [s.origin, s.total])).toEqual([
      [news, '570000'],
      [shop, '50000'],
    ])
    expect(insights.sites[0]!.perDay.slice(-2)).toEqual(['40000', '30000'])
    expect(insights.sites[0]!.perDay[7]).toBe('500000') // the last day of last month, 22 days before today
  })

  test('per site per month, newest month first', () => {
    expect(insights.months).toEqual([
      { month: month(0), origin: news, total: '70000' },
      { month: month(0), origin: shop, total: '50000' },
      { month: month(1), origin: news, total: '500000' },
      { month: month(2), origin: news, total: '7' },
    ])
  })
})
