import { beforeEach, describe, expect, test } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import type { PaidRequest } from '@/lib/protocol/requestPort'
import { accountItems } from '@/lib/storage/schema'
import { keepMs, maxKept, requestKey, Undelivered, type UndeliveredResponse } from '@/lib/streams/undelivered'

const request: PaidRequest = { url: 'https://site.test/api/photo', method: 'GET', headers: [], body: null, credentials: 'include', wwwAuthenticate: null }
const response = (at: number, over: Partial<UndeliveredResponse> = {}): UndeliveredResponse => ({
  origin: 'https://site.test',
  key: requestKey(request),
  status: 200,
  statusText: 'OK',
  headers: [['content-type', 'application/json']],
  url: request.url,
  body: 'e30=',
  at,
  ...over,
})

describe('undelivered paid responses', () => {
  let now = 1_000_000
  let undelivered: Undelivered
  beforeEach(() => {
    fakeBrowser.reset()
    now = 1_000_000
    undelivered = new Undelivered(accountItems('0x0000000000000000000000000000000000000001'), () => now)
  })

  test('a kept response is handed to the same request of the same origin once', async () => {
    await undelivered.keep(response(now))
    expect(await undelivered.take('https://other.test', requestKey(request))).toBeUndefined()
    expect(await undelivered.take('https://site.test', requestKey({ ...request, method: 'POST' }))).toBeUndefined()
    expect((await undelivered.take('https://site.test', requestKey(request)))?.body).toBe('e30=')
    expect(await undelivered.take('https://site.test', requestKey(request))).toBeUndefined()
  })

  test.each([
    { what: 'confirmed by the page', act: (u: Undelivered) => u.confirm('https://site.test', requestKey(request)), after: 0 },
    { what: 'older than a minute', act: async () => void (now += keepMs), after: 0 },
    { what: 'still fresh', act: async () => void (now += keepMs - 1), after: 1 },
  ])('a response $what', async ({ act, after }) => {
    await undelivered.keep(response(now))
    await act(undelivered)
    expect((await undelivered.take('https://site.test', requestKey(request))) ? 1 : 0).toBe(after)
  })

  test(`at most ${maxKept} are kept, the newest`, async () => {
    for (let i = 0; i < maxKept + 3; i++) await undelivered.keep(response(now, { key: `k${i}` }))
    expect(await undelivered.take('https://site.test', 'k0')).toBeUndefined()
    expect(await undelivered.take('https://site.test', `k${maxKept + 2}`)).toBeDefined()
  })
})
