import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/challenge'
import * as Policy from '@/lib/policy'
import { alphaUsd, sessionChallengeHeader } from '../support/challenges'

const origin = 'http://127.0.0.1:3000'
const photo = Challenge.parse(sessionChallengeHeader())

function approved(input: { maxDeposit?: string; priceCeiling?: string } = {}) {
  return Policy.approvalFor(photo, origin, { maxDeposit: input.maxDeposit ?? '1', priceCeiling: input.priceCeiling }, 1_700_000_000_000)
}

describe('Policy.decide', () => {
  test('no approval: ask', () => {
    expect(Policy.decide(photo, undefined)).toEqual({ kind: 'ask' })
  })

  test('the approved terms: pay', () => {
    const approval = approved()
    expect(Policy.decide(photo, approval)).toEqual({ kind: 'pay', approval })
    expect(approval).toEqual({
      origin,
      price: '10000',
      unitType: 'photo',
      maxDeposit: '1000000',
      recipient: photo.recipient,
      currency: photo.currency,
      chainId: 1337,
      priceCeiling: undefined,
      grantedAt: 1_700_000_000_000,
    })
  })

  test.each([
    ['a changed recipient', { recipient: '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC' }, 'recipientChanged'],
    ['a changed currency', { currency: alphaUsd }, 'currencyChanged'],
    ['a changed chain', { chainId: 42431 }, 'chainChanged'],
  ])('refuses %s until approved again', (_name, overrides, code) => {
    const changed = Challenge.parse(sessionChallengeHeader(overrides))
    expect(() => Policy.decide(changed, approved())).toThrow(expect.objectContaining({ code }))
  })

  test('a price above the ceiling is refused; at the ceiling it pays', () => {
    const approval = approved({ priceCeiling: '0.02' })
    expect(Policy.decide(Challenge.parse(sessionChallengeHeader({ amount: '20000' })), approval).kind).toBe('pay')
    expect(() => Policy.decide(Challenge.parse(sessionChallengeHeader({ amount: '20001' })), approval)).toThrow(
      `${origin} asks $0.020001 per photo, above your ceiling of $0.02.`,
    )
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

  test('the default max deposit is min(suggested deposit, default cap)', () => {
    expect(Policy.defaultMaxDeposit({ suggestedDeposit: 1_000_000n, amount: 10_000n }, 5_000_000n)).toBe(1_000_000n)
    expect(Policy.defaultMaxDeposit({ suggestedDeposit: 50_000_000n, amount: 10_000n }, 5_000_000n)).toBe(5_000_000n)
    expect(Policy.defaultMaxDeposit({ suggestedDeposit: undefined, amount: 10_000n }, 5_000_000n)).toBe(10_000n)
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
    expect(() => Policy.approvalFor(photo, origin, { maxDeposit })).toThrow(message)
  })

  test('refuses a price ceiling below the current price; accepts "$2.50"', () => {
    expect(() => Policy.approvalFor(photo, origin, { maxDeposit: '1', priceCeiling: '0.005' })).toThrow('below the site')
    expect(Policy.approvalFor(photo, origin, { maxDeposit: '$2.50' }).maxDeposit).toBe('2500000')
  })

  test('pending requests count repeated 402s from the same site', () => {
    const first = Policy.pendingFrom(photo, origin, undefined, 1)
    const second = Policy.pendingFrom(photo, origin, first, 2)
    expect(second).toMatchObject({ count: 2, firstSeenAt: 1, lastSeenAt: 2, amount: '10000', suggestedDeposit: '1000000' })
    expect(Policy.termsOf(second)).toMatchObject({ amount: 10_000n, chainId: 1337 })
  })
})
