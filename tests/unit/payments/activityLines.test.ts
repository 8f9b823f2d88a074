/** Activity shows one line per payment: a site's receipt confirms its payment's line (`activityLines.ts`). */
import { describe, expect, test } from 'vitest'
import { activityLines } from '@/lib/payments/activityLines'
import type { ActivityView } from '@/lib/protocol/views'

const channel = `0x${'ab'.repeat(32)}` as const
const other = `0x${'cd'.repeat(32)}` as const
const paid = (cumulative: string, channelId = channel): ActivityView => ({ at: Number(cumulative), origin: 'https://news.example', kind: 'voucher', channelId, cumulative, amount: '10000' })
const receipt = (cumulative: string, channelId = channel): ActivityView => ({ at: Number(cumulative) + 1, origin: 'https://news.example', kind: 'receipt', channelId, cumulative })

describe('one line per payment', () => {
  test.each([
    ['each receipt confirms its payment: two photos, two lines', [receipt('20000'), paid('20000'), receipt('10000'), paid('10000')], [['voucher', '20000', true], ['voucher', '10000', true]]],
    ['a payment the site has not confirmed stays unconfirmed', [paid('20000'), receipt('10000'), paid('10000')], [['voucher', '20000', undefined], ['voucher', '10000', true]]],
    ['the first photo is paid with the open: its receipt confirms the open’s line', [receipt('10000'), { ...paid('10000'), kind: 'open' }], [['open', '10000', true]]],
    ['a receipt for another channel, or with no payment in view, stays a line', [receipt('10000', other), receipt('5000'), paid('10000')], [['receipt', '10000', undefined], ['receipt', '5000', undefined], ['voucher', '10000', undefined]]],
  ] as const)('%s', (_name, entries, lines) => {
    expect(activityLines([...entries]).map((line) => [line.kind, line.cumulative, line.confirmed])).toEqual(lines)
  })

  test('other lines pass untouched, in order', () => {
    const approved: ActivityView = { at: 1, origin: 'https://news.example', kind: 'approved', detail: 'Approved to spend up to $5.00' }
    expect(activityLines([approved])).toEqual([approved])
  })
})
