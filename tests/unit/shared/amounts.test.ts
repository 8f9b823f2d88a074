import { describe, expect, test } from 'vitest'
import { formatDollars, formatDollarsBeside, formatLimit, maxRawAmount, parseDollars, readRawAmount, toDollars } from '@/lib/shared/amounts'

describe('amounts', () => {
  test.each([
    ['1', 1_000_000n],
    ['0.25', 250_000n],
    ['$5', 5_000_000n],
    [' 0.000001 ', 1n],
  ])('parseDollars(%j)', (input, raw) => {
    expect(parseDollars(input, 'Amount')).toBe(raw)
  })

  test.each([
    ['', 'must be an amount'],
    ['-1', 'must be an amount'],
    ['1e6', 'must be an amount'],
    ['1.0000001', 'at most 6 decimals'],
    ['99999999999999999999999999999', 'too large'],
  ])('parseDollars(%j) refuses', (input, message) => {
    expect(() => parseDollars(input, 'Amount')).toThrow(message)
  })

  test.each([
    ['10000', 10_000n],
    ['0', 0n],
    [maxRawAmount.toString(), maxRawAmount],
    [(maxRawAmount + 1n).toString(), undefined],
    ['1e6', undefined],
    ['-1', undefined],
    [1000, undefined],
    [undefined, undefined],
  ])('readRawAmount(%j): digits that fit in uint96 only', (input, raw) => {
    expect(readRawAmount(input)).toBe(raw)
  })

  test.each([
    [0n, '$0.00'],
    [10_000n, '$0.01'],
    ['1500000', '$1.50'],
    [100_000n, '$0.10'],
    [132_000n, '$0.13'],
    [135_000n, '$0.14'],
    [998_997_180n, '$999.00'],
    [998_994_999n, '$998.99'],
    [1_000_000_000n, '$1,000.00'],
    [1_234_567_890_000n, '$1,234,567.89'],
    [1_000n, '$0.001'],
    [500n, '$0.0005'],
    [1n, '$0.000001'],
    [9_999n, '$0.009999'],
    [-30_000n, '-$0.03'],
  ])('one money format: %s raw is %s (two decimals from a cent up, more only below a cent)', (raw, shown) => {
    expect(formatDollars(raw)).toBe(shown)
  })

  test.each([
    [25_000n, '$0.025'],
    [100_000n, '$0.10'],
    [5_000_000n, '$5.00'],
    [1_000_000_000n, '$1,000.00'],
    [1n, '$0.000001'],
  ])('a limit the reader set reads as set, never rounded: %s raw is %s', (raw, shown) => {
    expect(formatLimit(raw)).toBe(shown)
  })

  test.each([
    [100_001n, 100_000n, '$0.100001'],
    [101_000n, 100_000n, '$0.101'],
    [110_000n, 100_000n, '$0.11'],
    [30_000n, 25_000n, '$0.03'],
  ])('an amount beside a limit: %s beside %s reads %s (exact only where it would read as the limit)', (amount, limit, shown) => {
    expect(formatDollarsBeside(amount, limit)).toBe(shown)
  })

  test('form fields get the exact dollars, without a sign', () => {
    expect(toDollars(1n)).toBe('0.000001')
    expect(toDollars(1_500_000n)).toBe('1.5')
  })
})
