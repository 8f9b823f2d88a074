import { describe, expect, test } from 'vitest'
import { formatDollars, maxRawAmount, parseDollars, readRawAmount, toDollars } from '@/lib/shared/amounts'

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

  test('formatting: raw units to dollars', () => {
    expect(formatDollars(10_000n)).toBe('$0.01')
    expect(formatDollars('1500000')).toBe('$1.5')
    expect(toDollars(1n)).toBe('0.000001')
  })
})
