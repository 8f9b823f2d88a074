import { describe, expect, test } from 'vitest'
import * as Challenge from '@/lib/payments/challenge'
import { FreshChallenges, maxKept, reuseMs } from '@/lib/payments/freshChallenges'
import { challengeExpiryMarginMs as expiryMarginMs } from '@/lib/shared/challengeExpiry'
import { sessionChallengeHeader } from '../../support/challenges'

const origin = 'https://site.test'
const url = 'https://site.test/api/sessions/poem'

function clock(start = 1_000_000) {
  const time = { now: start }
  return { time, challenges: new FreshChallenges(() => time.now) }
}

describe('FreshChallenges: a declared stream’s challenge, kept for the next stream of the URL', () => {
  test.each([
    // [name, expires in ms from now (undefined: none), reused until ms from now]
    ['far expiry: at most reuseMs', 300_000, reuseMs],
    ['no expiry: at most reuseMs', undefined, reuseMs],
    ['near expiry: until the margin before it', expiryMarginMs + 10_000, 10_000],
  ] as const)('%s', (_name, expiresIn, until) => {
    const { time, challenges } = clock()
    challenges.keep(origin, url, 'header', expiresIn === undefined ? undefined : new Date(time.now + expiresIn))
    time.now += until - 1
    expect(challenges.get(origin, url)).toBe('header')
    time.now += 1
    expect(challenges.get(origin, url)).toBeUndefined()
  })

  test('one inside the margin of its expiry is not kept at all', () => {
    const { time, challenges } = clock()
    challenges.keep(origin, url, 'header', new Date(time.now + expiryMarginMs))
    expect(challenges.get(origin, url)).toBeUndefined()
  })

  test('kept per page origin and URL; keep replaces, forget drops', () => {
    const { challenges } = clock()
    challenges.keep(origin, url, 'a', undefined)
    expect(challenges.get('https://other.test', url)).toBeUndefined()
    expect(challenges.get(origin, `${url}?x=1`)).toBeUndefined()
    challenges.keep(origin, url, 'b', undefined)
    expect(challenges.get(origin, url)).toBe('b')
    challenges.forget(origin, url)
    expect(challenges.get(origin, url)).toBeUndefined()
  })

  test(`bounded: the ${maxKept} most recent`, () => {
    const { challenges } = clock()
    for (let i = 0; i <= maxKept; i++) challenges.keep(origin, `${url}/${i}`, String(i), undefined)
    expect(challenges.get(origin, `${url}/0`)).toBeUndefined()
    expect(challenges.get(origin, `${url}/1`)).toBe('1')
    expect(challenges.get(origin, `${url}/${maxKept}`)).toBe(String(maxKept))
  })

  test('what is kept is what the firewall reads back: serialize, then parse, gives the same challenge', () => {
    const parsed = Challenge.parse(sessionChallengeHeader({ unitType: 'word', amount: '1000', expires: '2030-01-01T00:00:00.000Z' }))
    const again = Challenge.parse(Challenge.serialize(parsed))
    expect(again).toEqual(parsed)
  })
})
