import { describe, expect, test } from 'vitest'
import { insightsOf } from '@/lib/payments/insights'

const news = 'https://news.example'
const shop = 'https://shop.example'

describe('insightsOf', () => {
  const spending = {
    [news]: { '2026-11-22': '30000', '2026-11-21': '40000', '2026-10-31': '500000', '2026-09-01': '7' },
    [shop]: { '2026-11-22': '50000' },
    'https://idle.example': { '2026-11-20': '0' },
  }
  const insights = insightsOf(spending, new Date(2026, 10, 22, 12))

  test('the last 30 local days, oldest first, ending today', () => {
    expect(insights.days).toHaveLength(30)
    expect(insights.days[0]).toBe('2026-10-24')
    expect(insights.days.at(-1)).toBe('2026-11-22')
  })

  test('per site per day, biggest total first; a site that spent nothing is left out', () => {
    expect(insights.sites.map((s) => [s.origin, s.total])).toEqual([
      [news, '570000'],
      [shop, '50000'],
    ])
    expect(insights.sites[0]!.perDay.slice(-2)).toEqual(['40000', '30000'])
    expect(insights.sites[0]!.perDay[7]).toBe('500000') // October 31st
  })

  test('per site per month, newest month first', () => {
    expect(insights.months).toEqual([
      { month: '2026-11', origin: news, total: '70000' },
      { month: '2026-11', origin: shop, total: '50000' },
      { month: '2026-10', origin: news, total: '500000' },
      { month: '2026-09', origin: news, total: '7' },
    ])
  })
})
