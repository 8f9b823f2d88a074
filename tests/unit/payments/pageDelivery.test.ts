/**
 * The delivery state of page vouchers (`pageDelivery.ts`) as a table: when
 * the next page payment offers the last voucher again instead of signing one
 * more unit, and how the page's word on a voucher (the site's status, or no
 * answer at all) moves it.
 */
import { Challenge, Credential } from 'mppx'
import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { type ChannelRecord, ChannelRecords } from '@/lib/payments/channelRecords'
import { PageDelivery, type PaidVoucher } from '@/lib/payments/pageDelivery'
import * as Schema from '@/lib/storage/schema'

const account = '0x1000000000000000000000000000000000000001'
const origin = 'https://news.example'
const channelId = `0x${'aa'.repeat(32)}` as const

/** A session voucher as Drip hands it to a page: the channel and the cumulative are what delivery reads. */
function voucher(cumulative: bigint, id: `0x${string}` = channelId): PaidVoucher {
  const challenge = Challenge.from({ id: 'c', realm: 'news.example', method: 'tempo', intent: 'session', request: { amount: '1000' } } as never)
  const authorization = Credential.serialize({ challenge, payload: { action: 'voucher', channelId: id, cumulativeAmount: cumulative.toString(), signature: '0x' } })
  return { authorization, channelId: id, cumulative, added: 1000n }
}

function record(cumulative: bigint, notes: Partial<ChannelRecord> = {}): ChannelRecord {
  return {
    channelId,
    origin,
    key: 'k',
    chainId: 1337,
    escrow: '0x0000000000000000000000000000000000000000',
    descriptor: {} as ChannelRecord['descriptor'],
    deposit: '1000000',
    cumulative: cumulative.toString(),
    resourceUrl: `${origin}/api`,
    openedAt: 0,
    status: 'open',
    ...notes,
  }
}

let records: ChannelRecords
beforeEach(async () => {
  fakeBrowser.reset()
  records = new ChannelRecords(Schema.accountItems(account))
})

const store = (value: ChannelRecord) => records.update(channelId, () => value)

describe('offering a page voucher again', () => {
  test.each([
    ['nothing unconfirmed: a new unit', record(3000n), false, false],
    ['the last voucher unconfirmed, not in flight here (the worker or the page died): offered again', record(3000n, { unconfirmed: '3000' }), false, true],
    ['the last voucher unconfirmed but still in flight from this worker (another request of the site): a new unit', record(3000n, { unconfirmed: '3000' }), true, false],
    ['an older voucher unconfirmed (a newer one was signed since): a new unit', record(4000n, { unconfirmed: '3000' }), false, false],
  ])('%s', (_name, open, inFlight, expected) => {
    const delivery = new PageDelivery()
    if (inFlight) delivery.sent(channelId, BigInt(open.cumulative))
    expect(delivery.offersAgain(open)).toBe(expected)
  })
})

describe('the page’s word on a voucher', () => {
  test.each([
    ['delivered (200): the mark is cleared, the next payment signs a new unit', {}, 200, { unconfirmed: undefined, reoffered: undefined }],
    ['refused the first time (402): kept, offered again next', {}, 402, { unconfirmed: '3000', reoffered: false }],
    ['refused after it was offered again (the site held it): cleared, a new unit next', { reoffered: true }, 402, { unconfirmed: undefined, reoffered: undefined }],
    ['another error (500) is an answer too: cleared', {}, 500, { unconfirmed: undefined, reoffered: undefined }],
  ])('%s', async (_name, notes, status, after) => {
    await store(record(3000n, { unconfirmed: '3000', reoffered: false, ...notes }))
    const delivery = new PageDelivery()
    delivery.sent(channelId, 3000n)
    expect(await delivery.delivered(records, origin, voucher(3000n), status)).toBe(true)
    expect(await records.get(channelId)).toMatchObject(after)
    // No longer in flight: had the mark stayed, the next payment would offer it again.
    expect(delivery.offersAgain(record(3000n, { unconfirmed: '3000' }))).toBe(true)
  })

  test('another site’s word, a voucher that is not the unconfirmed one, or one of another channel: nothing moves', async () => {
    await store(record(3000n, { unconfirmed: '3000' }))
    const delivery = new PageDelivery()
    expect(await delivery.delivered(records, 'https://other.example', voucher(3000n), 200)).toBe(false)
    expect(await delivery.delivered(records, origin, voucher(2000n), 200)).toBe(false)
    expect(await delivery.delivered(records, origin, voucher(3000n, `0x${'ee'.repeat(32)}`), 200)).toBe(false)
    expect((await records.get(channelId))?.unconfirmed).toBe('3000')
  })

  test('a voucher lost before any answer is no longer in flight: the next payment offers it again', () => {
    const delivery = new PageDelivery()
    delivery.sent(channelId, 3000n)
    expect(delivery.offersAgain(record(3000n, { unconfirmed: '3000' }))).toBe(false)
    delivery.lost(voucher(3000n))
    expect(delivery.offersAgain(record(3000n, { unconfirmed: '3000' }))).toBe(true)
  })
})
