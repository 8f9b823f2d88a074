/** Activity's chart reads at a glance: dollars on one axis, days on the other, a tooltip per day, a legend of sites. */
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { SpendChart } from '@/components/SpendChart'
import type { InsightsView } from '@/lib/protocol/views'

const days = Array.from({ length: 30 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`)
const perDay = (at: Record<number, string>) => days.map((_, i) => at[i] ?? '0')
const insights: InsightsView = {
  days,
  sites: [
    { origin: 'https://news.example', perDay: perDay({ 3: '120000', 29: '40000' }), total: '160000' },
    { origin: 'https://radio.example', perDay: perDay({ 3: '80000' }), total: '80000' },
  ],
  months: [{ month: '2026-11', origin: 'https://news.example', total: '160000' }],
}

describe('SpendChart', () => {
  const html = renderToStaticMarkup(<SpendChart insights={insights} />)
  const texts = [...html.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1])
  const day = (iso: string) => new Date(`${iso}T12:00:00`).toLocaleDateString(undefined, { month: 'short', day: 'numeric' })

  test('the value axis names the busiest day’s total and half of it', () => {
    expect(texts.slice(0, 2)).toEqual(['$0.20', '$0.10'])
  })

  test('the day axis names the first, middle and last day', () => {
    expect(texts.slice(2)).toEqual([day(days[0]!), day(days[14]!), day(days[29]!)])
  })

  test('each day says its total on hover, and the legend names each site with its total', () => {
    expect(html).toContain(`<title>${day(days[3]!)}: $0.20</title>`)
    expect(html).toContain(`<title>${day(days[29]!)}: $0.04</title>`)
    expect(html.replace(/<[^>]+>/g, '')).toContain('https://news.example: $0.16')
    expect(html.replace(/<[^>]+>/g, '')).toContain('https://radio.example: $0.08')
  })
})
