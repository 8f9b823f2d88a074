import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import * as Lookahead from '@/lib/streams/lookahead'
import * as WaitingRequests from '@/lib/payments/waitingRequests'
import { parseDollars } from '@/lib/shared/amounts'
import { alphaUsd, chargeChallengeHeader, sessionChallengeHeader } from '../../support/challenges'

const origin = 'http://127.0.0.1:3000'
const photo = Challenge.parse(sessionChallengeHeader())

/** The demo's photos approved with a cap (default $1) and a per-payment limit (default $0.10). */
function approved(input: { maxDeposit?: string; perPaymentLimit?: string } = {}) {
  return Policy.approvalFor(
    photo,
    origin,
    { maxDeposit: parseDollars(input.maxDeposit ?? '1', 'Max deposit'), perPaymentLimit: parseDollars(input.perPaymentLimit ?? '0.1', 'Limit') },
    undefined,
    1_700_000_000_000,
  )
}
const words = (amount = '1000') => Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount }))
const charge = (amount: string) => Challenge.parseOffer(chargeChallengeHeader({ amount })) as Challenge.ChargeChallenge

describe('Policy.decide', () => {
  test('no approval: ask', () => {
    expect(Policy.decide(photo, undefined)).toEqual({ kind: 'ask', reason: undefined })
  })

  test('the approved terms: pay', () => {
    const approval = approved()
    expect(Policy.decide(photo, approval)).toEqual({ kind: 'pay', approval })
    expect(approval).toEqual({
      origin,
      prices: { photo: '10000' },
      maxDeposit: '1000000',
      recipient: photo.recipient,
      currency: photo.currency,
      chainId: 1337,
      perPaymentLimit: '100000',
      grantedAt: 1_700_000_000_000,
    })
  })

  test.each([
    // One approval covers the payee: every unit type, price and one-time payment within the per-payment limit.
    ['another unit type', words(), 'pay'],
    ['a lower price', Challenge.parse(sessionChallengeHeader({ amount: '9000' })), 'pay'],
    ['a higher price within the limit', Challenge.parse(sessionChallengeHeader({ amount: '50000' })), 'pay'],
    ['a price at the limit', Challenge.parse(sessionChallengeHeader({ amount: '100000' })), 'pay'],
    ['a one-time payment within the limit', charge('50000'), 'pay'],
    ['a one-time payment at the limit', charge('100000'), 'pay'],
  ] as const)('pays %s with no new question', (_name, terms, kind) => {
    expect(Policy.decide(terms, approved()).kind).toBe(kind)
  })

  test.each([
    ['a changed recipient', { recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }, 'now asks to pay 0x3C44'],
    ['a changed currency', { currency: alphaUsd }, 'now asks for currency'],
    ['a changed chain', { chainId: 42431 }, 'now asks for chain 42431'],
    // Finding 1 of the hostile-site review: the per-payment limit is what stops "$4.50 for one word".
    ['$4.50 for one photo', { amount: '4500000' }, 'asks $4.50 for one photo, above your limit of $0.10 for a single payment'],
    ['one raw unit above the limit', { amount: '100001' }, 'asks $0.100001 for one photo'],
    ['$4.50 for one word', { unitType: 'word', amount: '4500000' }, 'asks $4.50 for one word, above your limit'],
  ])('asks again for %s: a new pending request, never a signature', (_name, overrides, reason) => {
    const changed = Challenge.parse(sessionChallengeHeader(overrides))
    expect(Policy.decide(changed, approved())).toEqual({ kind: 'ask', reason: expect.stringContaining(reason) })
  })

  test('a one-time payment above the limit asks again, in the reader’s words', () => {
    expect(Policy.decide(charge('500000'), approved())).toEqual({ kind: 'ask', reason: `${origin} asks a one-time payment of $0.50, above your limit of $0.10 for a single payment.` })
  })

  test('approving another unit of the same site adds its price; new recipient terms replace the approval', () => {
    const both = Policy.approvalFor(words(), origin, { maxDeposit: 5_000_000n }, approved())
    expect(both).toMatchObject({ prices: { photo: '10000', word: '1000' }, maxDeposit: '5000000', perPaymentLimit: '100000' })
    const moved = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000', recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }))
    expect(Policy.approvalFor(moved, origin, { maxDeposit: 5_000_000n }, both).prices).toEqual({ word: '1000' })
  })

  test.each([
    // price seen so far (undefined: never), price now → what the reader is told
    [undefined, '1000', 'now also charges $0.001 per word, within your limit of $0.10 a payment.'],
    ['1000', '5000', 'now charges $0.005 per word, was $0.001.'],
    ['1000', '1000', undefined],
    ['5000', '1000', undefined],
  ])('price news: seen %s, now %s', (seen, now, text) => {
    const approval: Policy.Approval = { ...approved(), prices: seen === undefined ? { photo: '10000' } : { photo: '10000', word: seen } }
    const news = Policy.priceNews(words(now), approval)
    expect(news?.text).toBe(text === undefined ? undefined : `${origin} ${text}`)
    if (news) {
      expect(news.approval.prices).toEqual({ photo: '10000', word: now })
      // Told once: the same price again is no news.
      expect(Policy.priceNews(words(now), news.approval)).toBeUndefined()
    }
  })

  test.each([
    // typed cap, typed limit, existing (cap, limit) → stored (cap, limit)
    ['a fresh site', '5', '0.1', undefined, '5000000', '100000'],
    ['a later request typed lower', '0.05', '0.05', ['1', '0.1'], '1000000', '100000'],
    ['a later request typed higher', '3', '0.5', ['1', '0.1'], '3000000', '500000'],
    // The site's own cap counts, not the smaller figure typed: a limit under it is fine.
    ['a later request typed below its own limit', '0.05', '0.5', ['3', '0.1'], '3000000', '500000'],
  ] as const)('approving never lowers the cap or the limit: %s', (_name, cap, limit, existing, storedCap, storedLimit) => {
    const current = existing && approved({ maxDeposit: existing[0], perPaymentLimit: existing[1] })
    const approval = Policy.approvalFor(charge('50000'), origin, { maxDeposit: parseDollars(cap, 'Cap'), perPaymentLimit: parseDollars(limit, 'Limit') }, current)
    expect(approval).toMatchObject({ maxDeposit: storedCap, perPaymentLimit: storedLimit })
  })

  test.each([
    // typed defaults (cap, limit), this request's price, existing → pre-filled (cap, limit)
    ['the reader’s defaults', 5_000_000n, 100_000n, 10_000n, undefined, 5_000_000n, 100_000n],
    ['a price above the default limit: the limit covers it', 5_000_000n, 100_000n, 500_000n, undefined, 5_000_000n, 500_000n],
    ['an approved site keeps what it has', 1_000_000n, 100_000n, 10_000n, ['3', '0.2'], 3_000_000n, 200_000n],
    ['an approved site is not raised to the default cap', 5_000_000n, 100_000n, 10_000n, ['3', '0.2'], 3_000_000n, 200_000n],
    ['a payment above an approved site’s limit: the limit covers it', 5_000_000n, 100_000n, 500_000n, ['3', '0.2'], 3_000_000n, 500_000n],
    ['a default limit above a small default cap is the cap', 50_000n, 100_000n, 10_000n, undefined, 50_000n, 50_000n],
  ] as const)('the pre-filled request: %s', (_name, defaultCap, defaultLimit, price, existing, cap, limit) => {
    const current = existing && approved({ maxDeposit: existing[0], perPaymentLimit: existing[1] })
    expect(WaitingRequests.prefill({ amount: price }, { cap: defaultCap, perPaymentLimit: defaultLimit }, current)).toEqual({ maxDeposit: cap, perPaymentLimit: limit })
  })

  test('the reader’s own cap in Sites keeps the pinned terms and the limit, or lowers the limit with it', () => {
    const raised = Policy.withMaxDeposit(approved({ perPaymentLimit: '0.02' }), 9_000_000n)
    expect(raised).toMatchObject({ maxDeposit: '9000000', perPaymentLimit: '20000', prices: { photo: '10000' } })
    expect(Policy.withMaxDeposit(approved(), 50_000n)).toMatchObject({ maxDeposit: '50000', perPaymentLimit: '50000' })
    expect(() => Policy.withMaxDeposit(approved(), 0n)).toThrow('must be more than $0')
  })
})

describe('a site’s own sign-ahead', () => {
  test.each([
    // name, set, expected stored
    ['none: the reader’s default holds', undefined, undefined],
    ['$0 pays exactly as delivered', 0n, '0'],
    ['$0.05', 50_000n, '50000'],
    ['the most, $1', 1_000_000n, '1000000'],
  ] as const)('%s', (_name, set, stored) => {
    const site = Policy.withSignAhead(approved(), set)
    expect(site.signAhead).toBe(stored)
    expect(Lookahead.signAheadFor(site, 10_000n)).toBe(set ?? 10_000n)
  })

  test('above $1 or below $0 is refused with words', () => {
    expect(() => Policy.withSignAhead(approved(), 1_000_001n)).toThrow('from $0 to $1')
    expect(() => Policy.withSignAhead(approved(), -1n)).toThrow('from $0 to $1')
  })

  test('back to the default removes it; approving another unit of the same site keeps it; another payee does not inherit it', () => {
    const own = Policy.withSignAhead(approved(), 0n)
    expect(Policy.withSignAhead(own, undefined)).not.toHaveProperty('signAhead')
    expect(Policy.approvalFor(words(), origin, { maxDeposit: 1_000_000n }, own).signAhead).toBe('0')
    const otherPayee = Challenge.parse(sessionChallengeHeader({ recipient: '0x00000000000000000000000000000000000000aa' }))
    expect(Policy.approvalFor(otherPayee, origin, { maxDeposit: 1_000_000n }, own)).not.toHaveProperty('signAhead')
  })
})

describe('caps', () => {
  test('a signature may reach the cap but never pass it', () => {
    const approval = approved({ maxDeposit: '1' })
    expect(() => Policy.assertWithinApproval(1_000_000n, approval)).not.toThrow()
    expect(() => Policy.assertWithinApproval(1_000_001n, approval)).toThrow(
      expect.objectContaining({ code: 'cap', message: expect.stringContaining('beyond the $1.00 you approved') }),
    )
  })

})

describe('approval input', () => {
  test.each([
    ['', 'Max deposit must be an amount'],
    ['-1', 'Max deposit must be an amount'],
    ['1.0000001', 'at most 6 decimals'],
    ['abc', 'Max deposit must be an amount'],
    ['0.001', `The most ${origin} may spend must cover at least this payment ($0.01 for one photo)`],
    ['99999999999999999999999999999', 'too large'],
  ])('refuses max deposit %j', (maxDeposit, message) => {
    expect(() => Policy.approvalFor(photo, origin, { maxDeposit: parseDollars(maxDeposit, 'Max deposit') })).toThrow(message)
  })

  test('refuses a per-payment limit below the price or above the cap; accepts "$2.50"', () => {
    expect(() => approved({ perPaymentLimit: '0.005' })).toThrow(`The limit for a single payment is below what ${origin} asks: $0.01 for one photo.`)
    expect(() => approved({ maxDeposit: '0.05', perPaymentLimit: '0.1' })).toThrow('cannot be above the most')
    expect(approved({ maxDeposit: '$2.50' }).maxDeposit).toBe('2500000')
  })

  test('pending requests count repeated 402s from the same site and keep their first terms', () => {
    const first = WaitingRequests.pendingFrom(photo, origin, undefined, 1)
    const second = WaitingRequests.pendingFrom(photo, origin, first, 2)
    expect(second).toMatchObject({ count: 2, firstSeenAt: 1, lastSeenAt: 2, amount: '10000', suggestedDeposit: '1000000' })
    expect(WaitingRequests.termsOf(second)).toMatchObject({ amount: 10_000n, chainId: 1337 })
    // Finding 7: a site that swaps its request before the click does not change what the reader approves.
    const swapped = Challenge.parse(sessionChallengeHeader({ amount: '500000', recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }))
    const third = WaitingRequests.pendingFrom(swapped, origin, second, 3)
    expect(third).toMatchObject({ count: 3, amount: '10000', recipient: photo.recipient })
    expect(Policy.sameTerms(WaitingRequests.termsOf(third), swapped)).toBe(false)
    expect(Policy.sameTerms(WaitingRequests.termsOf(third), photo)).toBe(true)
  })
})

describe('another site’s API, approved by name for a page', () => {
  const api = 'http://localhost:3000'
  const fromApi = { ...photo, resourceOrigin: api }

  test.each([
    { what: 'the page’s own origin', terms: photo, apiOrigins: [] as string[], kind: 'pay' },
    { what: 'an API not approved for the page', terms: fromApi, apiOrigins: [], kind: 'ask' },
    { what: 'another API than the one approved', terms: { ...photo, resourceOrigin: 'https://evil.test' }, apiOrigins: [api], kind: 'ask' },
    { what: 'the API approved for the page', terms: fromApi, apiOrigins: [api], kind: 'pay' },
  ])('$what: $kind', ({ terms, apiOrigins, kind }) => {
    const approval = { ...approved(), ...(apiOrigins.length ? { apiOrigins } : {}) }
    expect(Policy.decide(terms, approval).kind).toBe(kind)
  })

  test('the reason names both sites; approving adds the API to the page’s approval and keeps its prices', () => {
    expect(Policy.decide(fromApi, approved())).toEqual({ kind: 'ask', reason: `${origin} asks Drip to pay ${api}, another site, which you have not approved for it.` })
    const withApi = Policy.approvalFor(fromApi, origin, { maxDeposit: parseDollars('2', 'Max deposit') }, approved())
    expect(withApi).toMatchObject({ origin, apiOrigins: [api], prices: { photo: '10000' }, maxDeposit: '2000000' })
    expect(Policy.approvalFor(photo, origin, { maxDeposit: parseDollars('3', 'Max deposit') }, withApi).apiOrigins).toEqual([api])
  })

  test('a pending request names the API, and approve fails if the API is not the one the reader saw', () => {
    const pending = WaitingRequests.pendingFrom({ ...fromApi, suggestedDeposit: undefined }, origin, undefined, 1)
    expect(pending.resourceOrigin).toBe(api)
    expect(Policy.sameTerms(WaitingRequests.termsOf(pending), fromApi)).toBe(true)
    expect(Policy.sameTerms(WaitingRequests.termsOf(pending), photo)).toBe(false)
  })
})

describe('one-shot charges under the same cap as the channel', () => {
  const site = () => Policy.approvalFor(charge('50000'), origin, { maxDeposit: 1_000_000n }, Policy.approvalFor(photo, origin, { maxDeposit: 1_000_000n }, undefined, 1), 2)

  test('approving a charge adds "one-time payment" at its amount beside the site’s unit prices', () => {
    expect(site().prices).toEqual({ photo: '10000', 'one-time payment': '50000' })
    expect(site().charged).toBe('0')
  })

  test.each([
    // Approved with no typed limit: the charge's own amount is the per-payment limit.
    ['a cheaper charge', '20000', 'pay'],
    ['the approved amount', '50000', 'pay'],
    ['a dearer charge', '50001', 'ask'],
  ])('%s: %s', (_, amount, kind) => {
    expect(Policy.decide(charge(amount), site()).kind).toBe(kind)
  })

  test.each([
    // charged so far, channel cumulative, this charge, cap → allowed
    ['0', 0n, 50_000n, true],
    ['0', 950_000n, 50_000n, true],
    ['0', 950_001n, 50_000n, false],
    ['900000', 50_000n, 50_000n, true],
    ['900000', 50_001n, 50_000n, false],
  ])('charged %s, channel %s, charge %s: within the $1 cap is %s', (charged, channel, amount, allowed) => {
    const approval = { ...site(), charged }
    const check = () => Policy.assertChargeWithinApproval(amount, channel, approval)
    if (allowed) expect(check).not.toThrow()
    else expect(check).toThrow(expect.objectContaining({ code: 'cap' }))
  })

  test('charges shrink what the channel may carry: vouchers and deposits', () => {
    const approval = Policy.withCharge(Policy.withCharge(site(), 50_000n), 50_000n)
    expect(approval.charged).toBe('100000')
    expect(Policy.channelCap(approval)).toBe(900_000n)
    expect(() => Policy.assertWithinApproval(900_000n, approval)).not.toThrow()
    expect(() => Policy.assertWithinApproval(900_001n, approval)).toThrow(expect.objectContaining({ code: 'cap' }))
    expect(Policy.channelCap({ ...approval, charged: '2000000' })).toBe(0n)
  })

  test('re-approving or changing the cap keeps the charges counted; new recipient terms start afresh', () => {
    const charged = Policy.withCharge(site(), 50_000n)
    expect(Policy.withMaxDeposit(charged, 2_000_000n).charged).toBe('50000')
    expect(Policy.approvalFor(photo, origin, { maxDeposit: 2_000_000n }, charged).charged).toBe('50000')
    const elsewhere = Challenge.parse(sessionChallengeHeader({ recipient: alphaUsd }))
    expect(Policy.approvalFor(elsewhere, origin, { maxDeposit: 2_000_000n }, charged).charged).toBeUndefined()
  })
})
