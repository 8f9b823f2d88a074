import { describe, expect, test } from 'vitest'
import { historyCsv } from '@/lib/payments/historyCsv'
import type { LedgerEntry } from '@/lib/payments/ledger'

const channel = `0x${'ab'.repeat(32)}` as const
const tx = `0x${'cd'.repeat(32)}` as const

describe('historyCsv', () => {
  test('a header, then one row per line, oldest first, amounts in dollars', () => {
    const newestFirst: LedgerEntry[] = [
      { at: Date.UTC(2026, 10, 22, 8, 0, 2), origin: 'https://shop.example', kind: 'charge', amount: '50000', txHash: tx, detail: 'One-time payment: One article' },
      { at: Date.UTC(2026, 10, 22, 8, 0, 1), origin: 'https://news.example', kind: 'voucher', amount: '1000', cumulative: '42000', channelId: channel },
      { at: Date.UTC(2026, 10, 22, 8, 0, 0), origin: 'https://news.example', kind: 'open', amount: '100000', cumulative: '1000', channelId: channel },
    ]
    expect(historyCsv(newestFirst).split('\r\n')).toEqual([
      'date,site,kind,amount,cumulative,channel,transaction,detail',
      `2026-11-22T08:00:00.000Z,https://news.example,open,0.1,0.001,${channel},,`,
      `2026-11-22T08:00:01.000Z,https://news.example,voucher,0.001,0.042,${channel},,`,
      `2026-11-22T08:00:02.000Z,https://shop.example,charge,0.05,,,${tx},One-time payment: One article`,
      '',
    ])
  })

  test.each([
    ['a comma', 'refused, twice', '"refused, twice"'],
    ['a quote', 'the "best" poem', '"the ""best"" poem"'],
    ['a newline', 'line one\nline two', '"line one\nline two"'],
    ['a formula', '=HYPERLINK("https://evil.example")', `"'=HYPERLINK(""https://evil.example"")"`],
    ['a leading plus', '+1 word', "'+1 word"],
    ['a leading at', '@SUM(A1)', "'@SUM(A1)"],
  ])('a detail with %s is one safe cell', (_, detail, expected) => {
    const csv = historyCsv([{ at: 0, origin: 'https://a.example', kind: 'refused', detail }])
    expect(csv.split('\r\n')[1]!.endsWith(`,${expected}`)).toBe(true)
  })

  test('folded refusals show their count', () => {
    expect(historyCsv([{ at: 0, origin: 'https://a.example', kind: 'refused', detail: 'Over the cap', repeats: 500 }])).toContain('Over the cap (×500)')
  })
})
