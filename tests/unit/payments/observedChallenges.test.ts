import { describe, expect, test, vi } from 'vitest'
import { keepMs, maxObserved, ObservedChallenges, seenOnceReported } from '@/lib/payments/observedChallenges'
import { SeenResponses, waitMs } from '@/lib/payments/seenResponses'

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

  describe('asked before the browser reported the request (Firefox can report it after the page handed it over)', () => {
    /** The entry's `webRequest.onHeadersReceived` listener: both records, in one turn. */
    const heard = (statuses: SeenResponses, challenges: ObservedChallenges, over: Parameters<typeof response>[0] = {}) => {
      const details = { ...response(over), requestId: '1' }
      challenges.record(details)
      statuses.record(details)
    }

    test('the 402 reported a moment later is found', async () => {
      const [statuses, challenges] = [new SeenResponses(), new ObservedChallenges()]
      const asked = seenOnceReported(statuses, challenges, 7, 'http://api.test/photo')
      await Promise.resolve()
      heard(statuses, challenges)
      expect(await asked).toMatchObject({ wwwAuthenticate: challenge })
    })

    test('another answer reported: nothing, at once', async () => {
      const [statuses, challenges] = [new SeenResponses(), new ObservedChallenges()]
      const asked = seenOnceReported(statuses, challenges, 7, 'http://api.test/photo')
      heard(statuses, challenges, { statusCode: 404 })
      expect(await asked).toBeUndefined()
    })

    test(`never reported: nothing, after ${waitMs} ms`, async () => {
      vi.useFakeTimers()
      try {
        const [statuses, challenges] = [new SeenResponses(), new ObservedChallenges()]
        let settled = false
        const asked = seenOnceReported(statuses, challenges, 7, 'http://api.test/photo').finally(() => (settled = true))
        await vi.advanceTimersByTimeAsync(waitMs - 1)
        expect(settled).toBe(false)
        await vi.advanceTimersByTimeAsync(1)
        expect(await asked).toBeUndefined()
      } finally {
        vi.useRealTimers()
      }
    })
  })
})
