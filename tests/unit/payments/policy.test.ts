import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import * as Policy from '@/lib/payments/policy'
import { parseDollars } from '@/lib/shared/amounts'
import { alphaUsd, chargeChallengeHeader, sessionChallengeHeader } from '../../support/challenges'

const origin = 'http://127.0.0.1:3000'
const photo = Challenge.parse(sessionChallengeHeader())

function approved(input: { maxDeposit?: string; priceCeiling?: string } = {}) {
  return Policy.approvalFor(
    photo,
    origin,
    { maxDeposit: parseDollars(input.maxDeposit ?? '1', 'Max deposit'), priceCeiling: input.priceCeiling === undefined ? undefined : parseDollars(input.priceCeiling, 'Price ceiling') },
    undefined,
    1_700_000_000_000,
  )
}

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
      priceCeiling: undefined,
      grantedAt: 1_700_000_000_000,
    })
  })

  test.each([
    ['a changed recipient', { recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }, 'now asks to pay 0x3C44'],
    ['a changed currency', { currency: alphaUsd }, 'now asks for currency'],
    ['a changed chain', { chainId: 42431 }, 'now asks for chain 42431'],
    ['a unit type not approved yet', { unitType: 'page' }, 'now charges per page, which you have not approved ($0.01 per photo)'],
    // Finding 1 of the hostile-site review: with no ceiling, the price was not pinned at all.
    ['a raised price with no ceiling', { amount: '4500000' }, 'now asks $4.5 per photo, but you approved $0.01'],
    ['a price one raw unit higher', { amount: '10001' }, 'now asks $0.010001'],
  ])('asks again for %s: a new pending request, never a signature', (_name, overrides, reason) => {
    const changed = Challenge.parse(sessionChallengeHeader(overrides))
    expect(Policy.decide(changed, approved())).toEqual({ kind: 'ask', reason: expect.stringContaining(reason) })
  })

  test('a lower price pays; a price above the ceiling asks again; at the ceiling it pays', () => {
    expect(Policy.decide(Challenge.parse(sessionChallengeHeader({ amount: '9000' })), approved()).kind).toBe('pay')
    const approval = approved({ priceCeiling: '0.02' })
    expect(Policy.decide(Challenge.parse(sessionChallengeHeader({ amount: '20000' })), approval).kind).toBe('pay')
    expect(Policy.decide(Challenge.parse(sessionChallengeHeader({ amount: '20001' })), approval)).toEqual({
      kind: 'ask',
      reason: `${origin} asks $0.020001 per photo, above your ceiling of $0.02.`,
    })
  })

  test('approving another unit of the same site adds its price under the new cap; new recipient terms replace the approval', () => {
    const words = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000' }))
    const both = Policy.approvalFor(words, origin, { maxDeposit: 5_000_000n }, approved({ priceCeiling: '0.02' }))
    expect(both).toMatchObject({ prices: { photo: '10000', word: '1000' }, maxDeposit: '5000000', priceCeiling: '20000' })
    expect(Policy.decide(photo, both).kind).toBe('pay')
    expect(Policy.decide(words, both).kind).toBe('pay')
    const moved = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000', recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }))
    expect(Policy.approvalFor(moved, origin, { maxDeposit: 5_000_000n }, both).prices).toEqual({ word: '1000' })
  })

  test.each([
    ['a one-time purchase pre-filled at its $0.05', 'one-time', '0.05', '1000000'],
    ['another unit at a smaller typed cap', 'word', '0.5', '1000000'],
    ['another unit at a larger typed cap', 'word', '3', '3000000'],
    ['another payee at a smaller typed cap', 'payee', '0.2', '1000000'],
  ])('approving a later request never lowers the cap: %s', (_, what, typed, cap) => {
    const later =
      what === 'one-time'
        ? (Challenge.parseOffer(chargeChallengeHeader({ amount: '50000' })) as Challenge.ChargeChallenge)
        : Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000', ...(what === 'payee' ? { recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' } : {}) }))
    expect(Policy.approvalFor(later, origin, { maxDeposit: parseDollars(typed, 'Max deposit') }, approved({ maxDeposit: '1' })).maxDeposit).toBe(cap)
  })

  test('a new max deposit keeps the pinned terms and the price ceiling', () => {
    const raised = Policy.withMaxDeposit(approved({ priceCeiling: '0.02' }), 9_000_000n)
    expect(raised).toMatchObject({ maxDeposit: '9000000', priceCeiling: '20000', prices: { photo: '10000' } })
    expect(() => Policy.withMaxDeposit(approved(), 1n)).toThrow('must cover at least one photo')
  })
})

describe('caps', () => {
  test('a signature may reach the cap but never pass it', () => {
    const approval = approved({ maxDeposit: '1' })
    expect(() => Policy.assertWithinApproval(1_000_000n, approval)).not.toThrow()
    expect(() => Policy.assertWithinApproval(1_000_001n, approval)).toThrow(
      expect.objectContaining({ code: 'cap', message: expect.stringContaining('beyond the $1 you approved') }),
    )
  })

  test.each([
    // suggested, price, unit, default cap, step units → pre-filled max deposit
    ['the site suggests $1 for photos', 1_000_000n, 10_000n, 'photo', 5_000_000n, 100, 1_000_000n],
    ['the site suggests $50: the default cap', 50_000_000n, 10_000n, 'photo', 5_000_000n, 100, 5_000_000n],
    ['the seeds suggest nothing: 100 words, $0.10 (was one word)', undefined, 1_000n, 'word', 5_000_000n, 100, 100_000n],
    ['the seeds suggest nothing: 100 photos, $1', undefined, 10_000n, 'photo', 5_000_000n, 100, 1_000_000n],
    ['a one-time payment: its amount', undefined, 50_000n, 'one-time payment', 5_000_000n, 100, 50_000n],
  ] as const)('the pre-filled max deposit: %s', (_name, suggestedDeposit, amount, unitType, defaultCap, stepUnits, expected) => {
    expect(Policy.defaultMaxDeposit({ suggestedDeposit, amount, unitType }, defaultCap, stepUnits)).toBe(expected)
  })
})

describe('approval input', () => {
  test.each([
    ['', 'Max deposit must be an amount'],
    ['-1', 'Max deposit must be an amount'],
    ['1.0000001', 'at most 6 decimals'],
    ['abc', 'Max deposit must be an amount'],
    ['0.001', 'Max deposit must cover at least one photo ($0.01)'],
    ['99999999999999999999999999999', 'too large'],
  ])('refuses max deposit %j', (maxDeposit, message) => {
    expect(() => Policy.approvalFor(photo, origin, { maxDeposit: parseDollars(maxDeposit, 'Max deposit') })).toThrow(message)
  })

  test('refuses a price ceiling below the current price; accepts "$2.50"', () => {
    expect(() => approved({ priceCeiling: '0.005' })).toThrow('below the site')
    expect(approved({ maxDeposit: '$2.50' }).maxDeposit).toBe('2500000')
  })

  test('pending requests count repeated 402s from the same site and keep their first terms', () => {
    const first = Policy.pendingFrom(photo, origin, undefined, 1)
    const second = Policy.pendingFrom(photo, origin, first, 2)
    expect(second).toMatchObject({ count: 2, firstSeenAt: 1, lastSeenAt: 2, amount: '10000', suggestedDeposit: '1000000' })
    expect(Policy.termsOf(second)).toMatchObject({ amount: 10_000n, chainId: 1337 })
    // Finding 7: a site that swaps its request before the click does not change what the reader approves.
    const swapped = Challenge.parse(sessionChallengeHeader({ amount: '500000', recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }))
    const third = Policy.pendingFrom(swapped, origin, second, 3)
    expect(third).toMatchObject({ count: 3, amount: '10000', recipient: photo.recipient })
    expect(Policy.sameTerms(Policy.termsOf(third), swapped)).toBe(false)
    expect(Policy.sameTerms(Policy.termsOf(third), photo)).toBe(true)
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
    const pending = Policy.pendingFrom({ ...fromApi, suggestedDeposit: undefined }, origin, undefined, 1)
    expect(pending.resourceOrigin).toBe(api)
    expect(Policy.sameTerms(Policy.termsOf(pending), fromApi)).toBe(true)
    expect(Policy.sameTerms(Policy.termsOf(pending), photo)).toBe(false)
  })
})

describe('one-shot charges under the same cap as the channel', () => {
  const charge = (amount: string) => Challenge.parseOffer(chargeChallengeHeader({ amount })) as Challenge.ChargeChallenge
  const site = () => Policy.approvalFor(charge('50000'), origin, { maxDeposit: 1_000_000n }, Policy.approvalFor(photo, origin, { maxDeposit: 1_000_000n }, undefined, 1), 2)

  test('approving a charge adds "one-time payment" at its amount beside the site’s unit prices', () => {
    expect(site().prices).toEqual({ photo: '10000', 'one-time payment': '50000' })
    expect(site().charged).toBe('0')
  })

  test.each([
    ['a cheaper charge', '20000', 'pay'],
    ['the approved amount', '50000', 'pay'],
    ['a dearer charge', '50001', 'ask'],
  ])('%s: %s', (_, amount, kind) => {
    expect(Policy.decide(charge(amount), site()).kind).toBe(kind)
  })

  test('the price ceiling is for metered units: a charge above its approved amount asks even under the ceiling', () => {
    const approval = { ...site(), priceCeiling: '1000000' }
    expect(Policy.decide(charge('60000'), approval)).toEqual({ kind: 'ask', reason: expect.stringContaining('one-time payment of $0.06, above the $0.05 you approved') })
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
