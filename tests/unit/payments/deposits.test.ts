import { describe, expect, test } from 'vitest'
import * as Deposits from '@/lib/payments/deposits'

describe('Deposits.openingDeposit', () => {
  test.each([
    ['no suggestion: one unit', 10_000n, undefined, 1_000_000n, 10_000n],
    ['the site suggests $1 under a $5 cap', 10_000n, 1_000_000n, 5_000_000n, 1_000_000n],
    ['the site suggests $50 under a $5 cap: the cap', 10_000n, 50_000_000n, 5_000_000n, 5_000_000n],
    ['a suggestion below one unit: one unit', 10_000n, 1n, 5_000_000n, 10_000n],
  ] as const)('%s', (_name, price, suggestedDeposit, cap, deposit) => {
    expect(Deposits.openingDeposit({ price, suggestedDeposit, cap })).toBe(deposit)
  })

  test('a price past the cap opens nothing', () => {
    expect(() => Deposits.openingDeposit({ price: 2_000_000n, suggestedDeposit: undefined, cap: 1_000_000n })).toThrow()
  })
})

describe('Deposits.topUp', () => {
  test.each([
    ['covered: nothing', 100_000n, 90_000n, undefined, 1_000_000n, 0n],
    ['short by one unit, no suggestion: the shortfall', 100_000n, 110_000n, undefined, 1_000_000n, 10_000n],
    ['short, the site suggests $0.5: the suggestion', 100_000n, 110_000n, 500_000n, 1_000_000n, 500_000n],
    ['the suggestion would pass the cap: up to the cap', 900_000n, 910_000n, 500_000n, 1_000_000n, 100_000n],
  ] as const)('%s', (_name, deposit, required, suggestedDeposit, cap, additional) => {
    expect(Deposits.topUp({ deposit, required, suggestedDeposit, cap })).toBe(additional)
  })

  test('a voucher past the cap tops up nothing and throws', () => {
    expect(() => Deposits.topUp({ deposit: 1_000_000n, required: 1_010_000n, suggestedDeposit: undefined, cap: 1_000_000n })).toThrow()
  })
})
