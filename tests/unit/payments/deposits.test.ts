import { describe, expect, test } from 'vitest'
import * as Deposits from '@/lib/payments/deposits'

describe('Deposits.openingDeposit: min(cap, max(suggestion, step units × price))', () => {
  test.each([
    // price, suggested, cap, step units → deposit
    ['no suggestion, a step of 100 words: $0.10', 1_000n, undefined, 5_000_000n, 100, 100_000n],
    ['no suggestion, a step of 1 (mppx alone): one unit', 10_000n, undefined, 1_000_000n, 1, 10_000n],
    ['the site suggests $1, more than 100 photos’ $1: $1', 10_000n, 1_000_000n, 5_000_000n, 100, 1_000_000n],
    ['the site suggests $0.05, less than the step: the step', 1_000n, 50_000n, 5_000_000n, 100, 100_000n],
    ['the site suggests $50 under a $5 cap: the cap', 10_000n, 50_000_000n, 5_000_000n, 100, 5_000_000n],
    ['a step past a $0.02 cap: the cap', 1_000n, undefined, 20_000n, 100, 20_000n],
    ['automatic (0), no suggestion: half the $5 cap', 1_000n, undefined, 5_000_000n, 0, 2_500_000n],
    ['automatic, an odd cap: half, rounded up', 1n, undefined, 3n, 0, 2n],
    ['automatic, the site suggests more than half: the suggestion', 1_000n, 4_000_000n, 5_000_000n, 0, 4_000_000n],
    ['automatic, a unit above half the cap: one unit', 60_000n, undefined, 100_000n, 0, 60_000n],
  ] as const)('%s', (_name, price, suggestedDeposit, cap, stepUnits, deposit) => {
    expect(Deposits.openingDeposit({ price, suggestedDeposit, cap, stepUnits })).toBe(deposit)
  })

  test('a price past the cap opens nothing', () => {
    expect(() => Deposits.openingDeposit({ price: 2_000_000n, suggestedDeposit: undefined, cap: 1_000_000n, stepUnits: 100 })).toThrow()
  })
})

describe('Deposits.topUp: one step, at least the shortfall, never past the cap', () => {
  test.each([
    // deposit, required, price, suggested, cap, step units → additional
    ['covered: nothing', 100_000n, 90_000n, 10_000n, undefined, 1_000_000n, 1, 0n],
    ['short by one unit, a step of 1: the shortfall', 100_000n, 110_000n, 10_000n, undefined, 1_000_000n, 1, 10_000n],
    ['short by one word, a step of 100 words: $0.10', 100_000n, 101_000n, 1_000n, undefined, 5_000_000n, 100, 100_000n],
    ['short, the site suggests $0.5: the suggestion', 100_000n, 110_000n, 10_000n, 500_000n, 1_000_000n, 1, 500_000n],
    ['the step would pass the cap: up to the cap', 900_000n, 910_000n, 10_000n, 500_000n, 1_000_000n, 100, 100_000n],
    ['automatic, half of $5 spent: the other half, so the channel never tops up again', 2_500_000n, 2_501_000n, 1_000n, undefined, 5_000_000n, 0, 2_500_000n],
  ] as const)('%s', (_name, deposit, required, price, suggestedDeposit, cap, stepUnits, additional) => {
    expect(Deposits.topUp({ deposit, required, price, suggestedDeposit, cap, stepUnits })).toBe(additional)
  })

  test('a voucher past the cap tops up nothing and throws', () => {
    expect(() => Deposits.topUp({ deposit: 1_000_000n, required: 1_010_000n, price: 10_000n, suggestedDeposit: undefined, cap: 1_000_000n, stepUnits: 100 })).toThrow()
  })
})
