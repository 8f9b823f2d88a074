import { describe, expect, test } from 'vitest'
import * as Lookahead from '@/lib/streams/lookahead'

/** A $0.001 word, 10 words delivered, $1 cap, on a channel that carried $0.5 before this stream. */
const at = (lookaheadUnits: number, overrides: Partial<Lookahead.StreamPosition> = {}): Lookahead.StreamPosition => ({
  base: 500_000n,
  price: 1_000n,
  delivered: 10,
  lookaheadUnits,
  cap: 1_000_000n,
  ...overrides,
})

describe('Lookahead.answerNeedVoucher', () => {
  test.each([
    // name, lookahead, required, answer
    ['exact: sign what is asked', 0, 511_000n, { kind: 'sign', cumulative: 511_000n }],
    ['exact: asking for less than earned still signs only that', 0, 505_000n, { kind: 'sign', cumulative: 505_000n }],
    ['lookahead 1 signs one unit ahead', 1, 511_000n, { kind: 'sign', cumulative: 512_000n }],
    ['lookahead 2 signs two units ahead', 2, 511_000n, { kind: 'sign', cumulative: 513_000n }],
    ['a large lookahead is bounded by the cap', 1_000, 511_000n, { kind: 'sign', cumulative: 1_000_000n }],
    ['a dishonest ask one unit past delivery is refused', 100, 512_000n, { kind: 'ahead', earned: 511_000n }],
  ] as const)('%s', (_name, lookahead, required, answer) => {
    expect(Lookahead.answerNeedVoucher(at(lookahead), required)).toEqual(answer)
  })

  test('at the cap: an ask past it stops the stream, an ask at it signs exactly the cap', () => {
    const nearCap = at(5, { delivered: 499, cap: 1_000_000n })
    expect(Lookahead.answerNeedVoucher(nearCap, 1_000_000n)).toEqual({ kind: 'sign', cumulative: 1_000_000n })
    expect(Lookahead.answerNeedVoucher(at(5, { delivered: 500, cap: 1_000_000n }), 1_001_000n)).toEqual({ kind: 'cap' })
  })

  test('never signs past earned + lookahead, whatever is asked', () => {
    for (let lookahead = 0; lookahead < 20; lookahead++)
      for (let required = 500_000n; required <= 540_000n; required += 1_000n) {
        const answer = Lookahead.answerNeedVoucher(at(lookahead), required)
        if (answer.kind === 'sign') expect(answer.cumulative).toBeLessThanOrEqual(511_000n + 1_000n * BigInt(lookahead))
      }
  })
})

describe('Lookahead.refillTarget', () => {
  test.each([
    ['no lookahead: never refills', 0, 511_000n, undefined],
    ['lookahead 1: never refills (the site asks)', 1, 511_000n, undefined],
    ['lookahead 10 with 10 units of headroom: nothing yet', 10, 520_000n, undefined],
    ['lookahead 10 with 6 units of headroom: nothing yet', 10, 516_000n, undefined],
    ['lookahead 10 with 5 units of headroom: refills to delivered + 10', 10, 515_000n, 520_000n],
    ['lookahead 10 with none left: refills to delivered + 10', 10, 510_000n, 520_000n],
  ] as const)('%s', (_name, lookahead, signed, target) => {
    expect(Lookahead.refillTarget(at(lookahead), signed)).toBe(target)
  })

  test('a refill never passes delivered + lookahead, whatever was signed', () => {
    for (let signed = 500_000n; signed <= 530_000n; signed += 1_000n) {
      const target = Lookahead.refillTarget(at(10), signed)
      if (target !== undefined) expect(target).toBeLessThanOrEqual(510_000n + 10_000n)
    }
  })

  test('near the cap it refills only up to the cap, then stops', () => {
    expect(Lookahead.refillTarget(at(10, { cap: 515_000n }), 510_000n)).toBe(515_000n)
    expect(Lookahead.refillTarget(at(10, { cap: 515_000n }), 515_000n)).toBeUndefined()
  })
})

describe('Lookahead.unitsAhead: the reader signs ahead in money, so the units depend on the price', () => {
  test.each([
    // sign ahead, price → units
    ['$0.01 at $0.001 a word: ten words', 10_000n, 1_000n, 10],
    ['$0.01 at $0.01 a photo: one photo', 10_000n, 10_000n, 1],
    ['$0.01 at $0.05 a clip: none (paid as delivered)', 10_000n, 50_000n, 0],
    ['$0.015 at $0.01: one whole unit', 15_000n, 10_000n, 1],
    ['$0: none', 0n, 1_000n, 0],
    ['a price of 0: none', 10_000n, 0n, 0],
    ['$1 at 1 raw unit: the bound of 1,000 units', 1_000_000n, 1n, Lookahead.maxLookaheadUnits],
  ] as const)('%s', (_name, signAhead, price, units) => {
    expect(Lookahead.unitsAhead(signAhead, price)).toBe(units)
  })
})
