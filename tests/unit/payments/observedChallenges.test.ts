import { describe, expect, test } from 'vitest'
import { keepMs, maxObserved, ObservedChallenges } from '@/lib/payments/observedChallenges'

const challenge = 'Payment id="1", method="tempo", intent="session"'
const response = (over: Partial<{ tabId: number; url: string; statusCode: number; headers: Record<string, string> }> = {}) => ({
  tabId: over.tabId ?? 7,
  url: over.url ?? 'http://api.test/photo',
  statusCode: over.statusCode ?? 402,
  responseHeaders: Object.entries(over.headers ?? { 'WWW-Authenticate': challenge, 'Access-Control-Allow-Origin': 'http://page.test' }).map(([name, value]) => ({ name, value })),
})

describe('402s the browser saw', () => {
  test('a tab’s 402 with a Payment challenge is kept with its CORS answer', () => {
    const observed = new ObservedChallenges(() => 0)
    observed.record(response())
    expect(observed.find(7, 'http://api.test/photo')).toMatchObject({ wwwAuthenticate: challenge, allowOrigin: 'http://page.test', allowCredentials: false })
    expect(observed.find(8, 'http://api.test/photo')).toBeUndefined()
  })

  test.each([
    { what: 'not a 402', over: { statusCode: 200 } },
    { what: 'not from a tab', over: { tabId: -1 } },
    { what: 'without a Payment challenge', over: { headers: { 'WWW-Authenticate': 'Basic realm="x"' } } },
    { what: 'with an oversized challenge', over: { headers: { 'WWW-Authenticate': `Payment ${'x'.repeat(20_000)}` } } },
  ])('$what: not kept', ({ over }) => {
    const observed = new ObservedChallenges(() => 0)
    observed.record(response(over))
    expect(observed.find(over.tabId ?? 7, 'http://api.test/photo')).toBeUndefined()
  })

  test(`kept for a minute, at most ${maxObserved}`, () => {
    let now = 0
    const observed = new ObservedChallenges(() => now)
    observed.record(response())
    for (let i = 0; i < maxObserved; i++) observed.record(response({ url: `http://api.test/${i}` }))
    expect(observed.find(7, 'http://api.test/photo')).toBeUndefined()
    observed.record(response())
    now = keepMs
    expect(observed.find(7, 'http://api.test/photo')).toBeUndefined()
  })
})
