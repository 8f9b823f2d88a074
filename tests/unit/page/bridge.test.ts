import { describe, expect, test, vi } from 'vitest'
import { relay } from '@/lib/content/relay'
import { createAsker, maxPaidAttempts, wrapFetch } from '@/lib/page/bridge'
import type { Outcome } from '@/lib/protocol/pageBridge'

const paid: Outcome = { outcome: 'paid', authorization: 'Payment abc' }

function server(statuses: number[]) {
  const seen: Request[] = []
  const fetch = vi.fn(async (input: RequestInfo | URL) => {
    const request = input as Request
    seen.push(request)
    const status = statuses.shift() ?? 200
    return new Response(status === 402 ? null : 'ok', { status, headers: status === 402 ? { 'www-authenticate': 'Payment id="1"' } : {} })
  })
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen }
}

describe('wrapFetch', () => {
  test('non-402 responses pass through without asking Drip', async () => {
    const { fetch } = server([200])
    const ask = vi.fn()
    expect((await wrapFetch(fetch, ask)('https://site.test/a')).status).toBe(200)
    expect(ask).not.toHaveBeenCalled()
  })

  test('a paid 402 is retried once with the credential, the same method and the same body', async () => {
    const { fetch, seen } = server([402, 200])
    const ask = vi.fn(async () => paid)
    const response = await wrapFetch(fetch, ask)('https://site.test/api', { method: 'POST', body: 'hello', headers: { 'x-app': '1' } })
    expect(response.status).toBe(200)
    expect(ask).toHaveBeenCalledWith({ url: 'https://site.test/api', method: 'POST', wwwAuthenticate: 'Payment id="1"' })
    expect(seen).toHaveLength(2)
    expect(seen[1]!.headers.get('authorization')).toBe('Payment abc')
    expect(seen[1]!.headers.get('x-app')).toBe('1')
    expect(seen[1]!.method).toBe('POST')
    expect(await seen[1]!.text()).toBe('hello')
  })

  test('the paid response’s Payment-Receipt is reported for the ledger', async () => {
    const fetch = vi.fn(async (input: RequestInfo | URL) => {
      const paidRequest = (input as Request).headers.has('authorization')
      return new Response(null, { status: paidRequest ? 200 : 402, headers: paidRequest ? { 'payment-receipt': 'eyJyZWNlaXB0IjoxfQ' } : {} })
    }) as unknown as typeof globalThis.fetch
    const receipt = vi.fn()
    const delivery = vi.fn()
    await wrapFetch(fetch, async () => paid, { receipt, delivery })('https://site.test/a')
    expect(receipt).toHaveBeenCalledWith('https://site.test/a', 'eyJyZWNlaXB0IjoxfQ')
    expect(delivery).toHaveBeenCalledWith('Payment abc', 200)
  })

  test(`a paid retry the site still refuses is reported and asked about again, ${maxPaidAttempts} times in all, then the page gets the answer`, async () => {
    const { fetch, seen } = server([402, 402, 402, 402, 200])
    const delivery = vi.fn()
    const ask = vi.fn(async () => paid)
    const response = await wrapFetch(fetch, ask, { delivery })('https://site.test/a', { method: 'POST', body: 'x' })
    expect(response.status).toBe(402)
    expect(ask).toHaveBeenCalledTimes(maxPaidAttempts)
    expect(delivery.mock.calls).toEqual(Array.from({ length: maxPaidAttempts }, () => ['Payment abc', 402]))
    expect(seen).toHaveLength(maxPaidAttempts + 1)
    expect(await seen[maxPaidAttempts]!.text()).toBe('x')
  })

  test.each([
    ['pending', { outcome: 'pending', message: 'approve me' }],
    ['refused', { outcome: 'refused', message: 'no' }],
    ['locked', { outcome: 'locked', message: 'locked' }],
  ] as const)('a %s outcome hands the page its original 402', async (_name, outcome) => {
    const { fetch, seen } = server([402])
    const response = await wrapFetch(fetch, async () => outcome)('https://site.test/a')
    expect(response.status).toBe(402)
    expect(seen).toHaveLength(1)
  })

  test('if asking Drip fails, the page gets its 402', async () => {
    const { fetch } = server([402])
    const response = await wrapFetch(fetch, async () => {
      throw new Error('extension reloaded')
    })('https://site.test/a')
    expect(response.status).toBe(402)
  })
})

/** A window stand-in: postMessage dispatches to its own listeners, marking itself as the source. */
function fakeWindow(origin = 'https://site.test') {
  const target = new EventTarget() as EventTarget & { postMessage: (data: unknown) => void; location: { origin: string } }
  target.location = { origin }
  target.postMessage = (data: unknown) => queueMicrotask(() => target.dispatchEvent(Object.assign(new Event('message'), { data, source: target })))
  return target as unknown as Window
}

describe('bridge between the page world and the content script', () => {
  test('a request from the page reaches the background and the outcome comes back', async () => {
    const window = fakeWindow()
    const pay = vi.fn(async () => paid)
    relay(window, { pay })
    const ask = createAsker(window)
    expect(await ask({ url: 'https://site.test/a', method: 'GET', wwwAuthenticate: null })).toEqual(paid)
    expect(pay).toHaveBeenCalledWith({ url: 'https://site.test/a', method: 'GET', wwwAuthenticate: null })
  })

  test('messages from other windows (frames, openers) are ignored', async () => {
    const window = fakeWindow()
    const pay = vi.fn(async () => paid)
    relay(window, { pay })
    window.dispatchEvent(
      Object.assign(new Event('message'), {
        data: { drip: 'drip:payment-request', id: 'x', request: { url: 'https://evil.test', method: 'GET' } },
        source: {},
      }),
    )
    await new Promise((resolve) => setTimeout(resolve, 10))
    expect(pay).not.toHaveBeenCalled()
  })

  test('a background error becomes a refusal, not a hang', async () => {
    const window = fakeWindow()
    relay(window, {
      pay: async () => {
        throw new Error('Refused "page.pay": the sender is not part of Drip.')
      },
    })
    expect(await createAsker(window)({ url: 'https://site.test/a', method: 'GET', wwwAuthenticate: null })).toEqual({
      outcome: 'refused',
      message: 'Refused "page.pay": the sender is not part of Drip.',
    })
  })
})
