/**
 * What the browser answered a tab's requests (`webRequest` statuses), and
 * whether a page's failed stream or socket was a 402 it may pay: pure
 * rules and a fake clock, no waiting on the wall clock.
 */
import { describe, expect, test, vi } from 'vitest'
import type { Observed402 } from '@/lib/payments/observedChallenges'
import { keepMs, maxSeen, paymentSeen, SeenResponses } from '@/lib/payments/seenResponses'

const url = 'https://news.test/live'

describe('SeenResponses', () => {
  test('the latest status of a tab’s request to a URL; another tab’s is not this one’s; stale after a minute', async () => {
    let now = 1_000
    const seen = new SeenResponses(() => now)
    seen.record({ tabId: 1, url, statusCode: 200, requestId: '1' })
    seen.record({ tabId: 1, url, statusCode: 402, requestId: '2' })
    seen.record({ tabId: 2, url, statusCode: 404, requestId: '3' })
    expect(await seen.status(1, url, 0)).toBe(402)
    expect(await seen.status(2, url, 0)).toBe(404)
    expect(await seen.status(3, url, 0)).toBeUndefined()
    seen.failed({ tabId: 2, url, requestId: '4' })
    expect(await seen.status(2, url, 0)).toBe(0)
    now += keepMs
    expect(await seen.status(1, url, 0)).toBeUndefined()
  })

  test('a request that failed after its headers came keeps their status (an EventSource the browser drops at a 402 whose body lags); another request’s failure is a 0', async () => {
    const seen = new SeenResponses()
    seen.record({ tabId: 1, url, statusCode: 402, requestId: '7' })
    seen.failed({ tabId: 1, url, requestId: '7' })
    expect(await seen.status(1, url, 0)).toBe(402)
    seen.failed({ tabId: 1, url, requestId: '8' })
    expect(await seen.status(1, url, 0)).toBe(0)
    seen.failed({ tabId: 1, url, requestId: '8' })
    expect(await seen.status(1, url, 0)).toBe(0)
  })

  test('a question about a request not reported yet waits for the report; with none, it ends after the wait', async () => {
    vi.useFakeTimers()
    try {
      const seen = new SeenResponses()
      const asked = seen.status(1, url, 3_000)
      seen.record({ tabId: 1, url: 'https://news.test/other', statusCode: 200, requestId: '1' })
      seen.record({ tabId: 1, url, statusCode: 402, requestId: '2' })
      expect(await asked).toBe(402)
      const unanswered = seen.status(1, 'https://news.test/never', 3_000)
      await vi.advanceTimersByTimeAsync(3_000)
      expect(await unanswered).toBeUndefined()
    } finally {
      vi.useRealTimers()
    }
  })

  test('requests outside tabs are not kept; the oldest go past the bound', async () => {
    const seen = new SeenResponses()
    seen.record({ tabId: -1, url, statusCode: 402, requestId: '1' })
    expect(await seen.status(-1, url, 0)).toBeUndefined()
    for (let i = 0; i <= maxSeen; i++) seen.record({ tabId: 1, url: `${url}/${i}`, statusCode: 200, requestId: String(i + 2) })
    expect(await seen.status(1, `${url}/0`, 0)).toBeUndefined()
    expect(await seen.status(1, `${url}/${maxSeen}`, 0)).toBe(200)
  })
})

describe('paymentSeen: a 402 the page may act on', () => {
  const observed = (allowOrigin?: string): Observed402 => ({ tabId: 1, url, wwwAuthenticate: 'Payment id="1"', allowOrigin, allowCredentials: false, at: 0 })
  test.each([
    // name, status, observed 402, page origin, resource origin → challenge
    ['the page’s own origin, a 402 with a challenge', 402, observed(), 'https://news.test', 'https://news.test', 'Payment id="1"'],
    ['a 404', 404, undefined, 'https://news.test', 'https://news.test', null],
    ['nothing seen', undefined, undefined, 'https://news.test', 'https://news.test', null],
    ['a 402 without a payment challenge', 402, undefined, 'https://news.test', 'https://news.test', null],
    ['another origin whose CORS lets the page read it', 402, observed('https://news.test'), 'https://news.test', 'https://api.test', 'Payment id="1"'],
    ['another origin, CORS for anyone', 402, observed('*'), 'https://news.test', 'https://api.test', 'Payment id="1"'],
    ['another origin whose CORS hides it from the page', 402, observed('https://else.test'), 'https://news.test', 'https://api.test', null],
    ['another origin, no CORS', 402, observed(), 'https://news.test', 'https://api.test', null],
  ] as const)('%s', (_name, status, seen, pageOrigin, resourceOrigin, challenge) => {
    expect(paymentSeen(status, seen, pageOrigin, resourceOrigin)).toBe(challenge)
  })
})
