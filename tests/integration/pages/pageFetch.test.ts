/**
 * A page's own `fetch` as Drip wraps it (the page-world wrapper, the hand-over
 * and the background's `RequestServer.answer`, in one process) against the
 * demo site on the devnet: streaming SSE read through `response.body`, a
 * POST with a body, abort, and an unapproved site.
 */
import { createParser } from 'eventsource-parser'
import { afterAll, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest'
import { fakeBrowser } from 'wxt/testing/fake-browser'
import { findArticle, poem, poemWords } from '@/demo/content'
import * as Policy from '@/lib/payments/policy'
import * as Schema from '@/lib/storage/schema'
import { startDevnetAndDemo } from '../../support/demoSite'
import { waitUntil } from '../../support/pages/driver'
import { readerScope } from '../../support/readerScope'

let env: Awaited<ReturnType<typeof startDevnetAndDemo>>
beforeAll(async () => void (env = await startDevnetAndDemo({ downloads: true })))
afterAll(() => env.stop())
beforeEach(() => fakeBrowser.reset())

const poemUrl = () => `${env.demo.origin}/api/sessions/poem`
const photoUrl = () => `${env.demo.origin}/api/sessions/photo`

/** Reads an SSE body as a page would: every event with its name, and the raw text. */
async function readEvents(response: Response, stopAfter = Infinity, onStop?: () => void) {
  const events: { event?: string; data: string }[] = []
  let text = ''
  const parser = createParser({ onEvent: (event) => void events.push({ event: event.event, data: event.data }) })
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      text += value
      parser.feed(value)
      if (events.length >= stopAfter) {
        onStop?.()
        break
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error
  }
  return { events, text }
}

describe("a page's own fetch, paid by Drip", () => {
  test('streaming fetch of the seed poem: every word in order through response.body, no payment events, words × $0.001', async () => {
    const reader = await readerScope(env.devnet, 5)
    const { challenge } = await reader.approve(env.demo.origin, poemUrl(), '1')
    const response = await reader.pageFetch(env.demo.origin)(poemUrl())
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.url).toBe(poemUrl())
    const { events, text } = await readEvents(response)
    expect(text).not.toContain('payment-')
    expect(JSON.parse(events[0]!.data)).toEqual({ title: poem.title, author: poem.author })
    expect(events.slice(1).map((e) => e.data)).toEqual(poemWords)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
  })

  test('the shipped defaults ($0.01 signed ahead, automatic deposit): the whole article, at most ten words signed beyond it, one transaction', async () => {
    const article = findArticle('metered-reading')!
    const url = `${env.demo.origin}/api/sessions/article/metered-reading`
    const reader = await readerScope(env.devnet, 9, { signAhead: Schema.fallbackSignAhead })
    const start = env.devnet.chain.latest.number
    const { challenge } = await reader.approve(env.demo.origin, url, '5')
    const { events } = await readEvents(await reader.pageFetch(env.demo.origin)(url))
    expect(events.slice(1).map((e) => e.data)).toEqual(article.words)
    const signed = (await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative
    const delivered = BigInt(article.words.length) * 1_000n
    expect(signed).toBeGreaterThanOrEqual(delivered)
    expect(signed - delivered).toBeLessThanOrEqual(Schema.fallbackSignAhead)
    // Opened with half the $5 cap: the $2 article needs no top-up (the site's own settlements are its transactions).
    const readers = env.devnet.reserveEvents(undefined, start).filter((e) => e.eventName === 'ChannelOpened' || e.eventName === 'TopUp')
    expect(readers.map((e) => e.eventName)).toEqual(['ChannelOpened'])
  })

  test('a site’s own sign-ahead (Sites) beats the reader’s default: $0 on this site pays the poem exactly as delivered while the default is $0.01', async () => {
    const reader = await readerScope(env.devnet, 5, { signAhead: Schema.fallbackSignAhead })
    const { challenge } = await reader.approve(env.demo.origin, poemUrl(), '1')
    const approval = (await reader.scope.approvals.get(env.demo.origin))!
    await reader.scope.approvals.grant(Policy.withSignAhead(approval, 0n))
    const { events } = await readEvents(await reader.pageFetch(env.demo.origin)(poemUrl()))
    expect(events.slice(1).map((e) => e.data)).toEqual(poemWords)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
    // Paying (which records the prices seen) keeps the reader's choice.
    expect((await reader.scope.approvals.get(env.demo.origin))!.signAhead).toBe('0')
  })

  test('a POST with a JSON body and the page’s headers is paid once and answered as the site answers it', async () => {
    const reader = await readerScope(env.devnet, 6)
    const { challenge } = await reader.approve(env.demo.origin, photoUrl(), '1')
    const response = await reader.pageFetch(env.demo.origin)(photoUrl(), { method: 'POST', headers: { 'content-type': 'application/json', 'x-app': 'gallery' }, body: JSON.stringify({ size: 200 }) })
    expect(response.status).toBe(200)
    expect((await response.json()).url).toMatch(/\/photos\/\d+\.svg$/)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(10_000n)
  })

  test('a paid 1 MiB binary download reaches the page byte for byte, in pieces, for one unit; the same bytes as the unpaid twin', async () => {
    const reader = await readerScope(env.devnet, 6)
    const paidUrl = `${env.demo.origin}/api/sessions/download/1024`
    const { challenge } = await reader.approve(env.demo.origin, paidUrl, '1')
    const paid = new Uint8Array(await (await reader.pageFetch(env.demo.origin)(paidUrl)).arrayBuffer())
    const unpaid = new Uint8Array(await (await fetch(`${env.demo.origin}/api/free/download/1024`)).arrayBuffer())
    expect(unpaid.byteLength).toBe(1024 * 1024)
    expect(new Set(unpaid).size).toBe(256)
    expect(Buffer.from(paid).equals(Buffer.from(unpaid))).toBe(true)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(10_000n)
  })

  test('aborting a paid stream after 5 words stops vouchers at once', async () => {
    const reader = await readerScope(env.devnet, 7)
    const { challenge } = await reader.approve(env.demo.origin, poemUrl(), '1')
    const controller = new AbortController()
    const response = await reader.pageFetch(env.demo.origin)(`${env.demo.origin}/api/sessions/article/metered-reading?wps=50`, { signal: controller.signal })
    const { events } = await readEvents(response, 6, () => controller.abort())
    const words = events.length - 1
    const atAbort = (await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative
    // Once the site has seen the reader leave, nothing can ask for another voucher.
    await waitUntil(async () => env.demo.openReads(), (reads) => reads.length === 0, { what: 'the site to see the stream end' })
    const later = (await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative
    expect(later).toBe(atAbort)
    // What was delivered, plus at most the unit in flight.
    expect(later).toBeLessThanOrEqual(BigInt(words + 1) * 1_000n)
  })

  test('an unapproved site: the request waits, the reader is told, nothing is signed; once approved the page reads every word', async () => {
    const reader = await readerScope(env.devnet, 8)
    const told: string[] = []
    const responding = reader.pageFetch(env.demo.origin, { onWaiting: (message) => told.push(message) })(poemUrl())
    await vi.waitFor(() => expect(reader.scope.approvals.waits.held(env.demo.origin)).toBe(1))
    expect(told).toEqual([expect.stringMatching(/^Waiting for your approval in Drip .*asks to be paid \$0\.001 per word/)])
    expect(await reader.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, unitType: 'word' }])
    expect(await reader.scope.records.spentByOrigin()).toEqual({})
    const { challenge } = await reader.approve(env.demo.origin, poemUrl(), '1')
    const response = await responding
    expect(response.status).toBe(200)
    const { events } = await readEvents(response)
    expect(events.slice(1).map((e) => e.data)).toEqual(poemWords)
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(BigInt(poemWords.length) * 1_000n)
    expect(reader.scope.approvals.waits.held(env.demo.origin)).toBe(0)
  })

  test('Deny, or no answer within the wait: the waiting page gets the site’s 402; nothing is signed', async () => {
    const reader = await readerScope(env.devnet, 8)
    const denied = reader.pageFetch(env.demo.origin)(photoUrl())
    await vi.waitFor(() => expect(reader.scope.approvals.waits.held(env.demo.origin)).toBe(1))
    await reader.scope.approvals.deny(env.demo.origin)
    const response = await denied
    expect(response.status).toBe(402)
    expect(response.headers.get('www-authenticate')).toMatch(/^Payment /)
    fakeBrowser.reset()
    const other = await readerScope(env.devnet, 8)
    const unanswered = await other.pageFetch(env.demo.origin, { waitMs: 50 })(photoUrl())
    expect(unanswered.status).toBe(402)
    expect(await other.scope.approvals.pending()).toMatchObject([{ origin: env.demo.origin, unitType: 'photo' }])
    expect(await other.scope.records.spentByOrigin()).toEqual({})
  })

  test('four photo requests of one page at once: four photos, four units, none offered twice', async () => {
    const reader = await readerScope(env.devnet, 9)
    const { challenge } = await reader.approve(env.demo.origin, photoUrl(), '1')
    const fetchPaid = reader.pageFetch(env.demo.origin)
    expect((await fetchPaid(photoUrl())).status).toBe(200)
    const responses = await Promise.all(Array.from({ length: 4 }, () => fetchPaid(photoUrl())))
    expect(await Promise.all(responses.map(async (r) => `${r.status} ${r.status === 200 ? '' : await r.text()}`))).toEqual(['200 ', '200 ', '200 ', '200 '])
    expect((await reader.scope.payer.signed(env.demo.origin, challenge))!.cumulative).toBe(50_000n)
  })
})
