/** The popup's line about the site under it: its spend today and this month, or that Drip pays it nothing. */
import { renderToStaticMarkup } from 'react-dom/server'
import { describe, expect, test } from 'vitest'
import { SiteSpend } from '@/components/SiteSpend'
import type { BudgetsView, SiteView } from '@/lib/protocol/views'

const site = 'http://127.0.0.1:3000'
const sites = [{ origin: site } as SiteView]
const budgets = {
  spent: { today: '130000', month: '2130000', sites: { [site]: { today: '42000', month: '1234567' }, 'https://old.example': { today: '0', month: '5000' } } },
} as unknown as BudgetsView
const text = (origin: string | null, inTab?: string) => renderToStaticMarkup(<SiteSpend origin={origin} inTab={inTab} sites={sites} budgets={budgets} />).replace(/<[^>]+>/g, '')

describe('SiteSpend', () => {
  test.each([
    ['an approved site: today and this month, in dollars', site, '127.0.0.1:3000: $0.04 today, $1.23 this month'],
    ['a site paid before but no longer approved still shows what it cost', 'https://old.example', 'old.example: $0.00 today, $0.005 this month'],
    ['a site Drip does not pay says so', 'https://news.example', 'news.example: not approved, Drip pays it nothing'],
    ['a tab that is no web page: nothing', null, ''],
  ])('%s', (_name, origin, expected) => {
    expect(text(origin)).toBe(expected)
  })

  test('with what this tab paid, first', () => {
    expect(text(site, '7000')).toBe('127.0.0.1:3000: $0.007 in this tab, $0.04 today, $1.23 this month')
  })
})
