/**
 * The stream driver's money rule against a site that refuses vouchers after
 * receiving them: a refused voucher was still signed (the site may hold it),
 * so it counts as this stream's, and the next one is never larger for it.
 * A hostile-SSE fuzzer found the opposite: each refused refill was counted as
 * another tab's payment, and the next refill signed a whole window on top.
 */
import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import type { Payer } from '@/lib/payments/payer'
import { UndeliveredVoucherError } from '@/lib/payments/undeliveredVoucher'
import * as Policy from '@/lib/payments/policy'
import * as Driver from '@/lib/streams/driver'
import type * as Sse from '@/lib/streams/sse'
import { sessionChallengeHeader } from '../../support/challenges'

const origin = 'https://site.test'
const price = 1_000n
const challenge = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000' })) as Challenge.SessionChallenge
const channelId = `0x${'cd'.repeat(32)}` as const

/** A payer whose every voucher is signed, then refused by the site (HTTP 500 to the POST). */
function refusingPayer(start: bigint) {
  const state = { channel: start, vouchers: 0 }
  const payer = {
    signed: async () => ({ channelId, cumulative: state.channel }),
    voucher: async (_origin: string, _challenge: unknown, additional: bigint) => {
      state.channel += additional
      state.vouchers++
      throw new UndeliveredVoucherError(`${origin} refused a voucher (HTTP 500).`, state.channel)
    },
  } as unknown as Payer
  return { payer, state }
}

/** `words` messages, a task apart (so each refill runs before the next word), then the receipt. */
async function* words(count: number, after?: (delivered: number) => void): AsyncGenerator<Sse.Event> {
  for (let i = 0; i < count; i++) {
    await new Promise((resolve) => setImmediate(resolve))
    yield { type: 'message', data: `w${i}` }
    after?.(i + 1)
  }
}

describe('stream driver: refused refills', () => {
  test.each([2, 5, 20])('sign-ahead %i: a site refusing every refill holds at most the words delivered plus the sign-ahead', async (lookaheadUnits) => {
    const cap = 5_000_000n
    const approval = Policy.approvalFor({ ...challenge, amount: price }, origin, { maxDeposit: cap })
    // The first unit was paid when the stream connected.
    const { payer, state } = refusingPayer(price)
    let delivered = 0
    let worst = 0n
    let told = 0n
    const end = await Driver.meterEvents(
      { payer, ledger: { append: async () => {} } as never, fetch: globalThis.fetch },
      { origin, url: `${origin}/poem`, challenge, approval, lookaheadUnits, signal: new AbortController().signal, onSigned: (amount) => void (told += amount) },
      { channelId, cumulative: price },
      words(30, (n) => {
        delivered = n
        const beyond = state.channel - price * BigInt(delivered + 1)
        if (beyond > worst) worst = beyond
      }),
      () => undefined,
    )
    expect(delivered).toBe(30)
    expect(end.type).toBe('end')
    expect(state.vouchers).toBeGreaterThan(0)
    // Never more than the sign-ahead window beyond what was delivered plus the unit in flight.
    expect(worst).toBeLessThanOrEqual(price * BigInt(lookaheadUnits))
    expect(state.channel).toBeLessThanOrEqual(price * BigInt(30 + 1 + lookaheadUnits))
    // The tab's tally is told every amount signed, refused vouchers too (the site may hold them): the channel less the first unit.
    expect(told).toBe(state.channel - price)
  })
})
